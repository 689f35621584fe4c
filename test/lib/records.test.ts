import { customFields, slug } from '../../src/lib/records';

describe('custom fields', () => {
  it('are keyed by a stable slug of their label', () => {
    expect(slug('Préférence horaire?')).toBe('preference_horaire');
    expect(slug('  Comments  ')).toBe('comments');
  });

  it('keep the first of two equal labels and number the next', () => {
    const fields = [
      { label: 'Notes', value: 'a' },
      { label: 'notes!', value: 'b' },
      { label: '', value: 'c' },
      { value: 'd' },
    ];
    expect(customFields(fields)).toEqual({ notes: 'a', notes_2: 'b', field_3: 'c', field_4: 'd' });
  });

  it('are not confused by names an object inherits (constructor, toString)', () => {
    const fields = [
      { label: 'Constructor', value: 'a' },
      { label: 'toString', value: 'b' },
      { label: '__proto__', value: 'c' },
    ];
    const out = customFields(fields);
    expect(Object.entries(out)).toEqual([
      ['constructor', 'a'],
      ['tostring', 'b'],
      ['proto', 'c'],
    ]);
  });

  it('fall back to extendedValue, then null', () => {
    const fields = [{ label: 'A', extendedValue: 'x' }, { label: 'B' }, 'junk', null];
    expect(customFields(fields)).toEqual({ a: 'x', b: null });
    expect(customFields(undefined)).toEqual({});
  });
});
