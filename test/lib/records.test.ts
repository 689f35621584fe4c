import { appointment } from '../../src/lib/entities';
import {
  customFieldKeys,
  customFields,
  slug,
  slugsCached,
  SLUGS_KEPT,
  toEntityRecord,
} from '../../src/lib/records';

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

  // Zaps map these keys: a change to the rule silently breaks existing mappings. Pinned here.
  it.each([
    ['plain labels', ['Notes', 'Preferred Contact Time?'], ['notes', 'preferred_contact_time']],
    ['repeated punctuation', ['Room -- 1 // A', 'a..b'], ['room_1_a', 'a_b']],
    [
      'leading and trailing punctuation',
      ['(Notes)', '¿Qué?', '__x__', '  Pad  '],
      ['notes', 'que', 'x', 'pad'],
    ],
    ['accents and case', ['Préférence Horaire', 'ÉTAGE'], ['preference_horaire', 'etage']],
    ['three equal labels', ['Notes', 'notes!', 'NOTES'], ['notes', 'notes_2', 'notes_3']],
    [
      'a label equal to a numbered one',
      ['Notes', 'Notes', 'Notes 2'],
      ['notes', 'notes_2', 'notes_2_2'],
    ],
    ['unlabelled fields, by position', [undefined, '', '?!'], ['field_1', 'field_2', 'field_3']],
    ['an unlabelled field whose field_N is taken', ['Field 2', undefined], ['field_2', 'field_3']],
    [
      'unlabelled fields whose field_N is taken: the next free number',
      ['field_2', undefined, undefined],
      ['field_2', 'field_3', 'field_4'],
    ],
    ['a non-text label', [42, 'x'], ['field_1', 'x']],
  ])('keys for %s', (_what, labels, keys) => {
    const fields = labels.map((label, i) =>
      label === undefined ? { value: i } : { label, value: i },
    );
    expect(customFieldKeys(fields).map(({ key }) => key)).toEqual(keys);
  });

  it('keep the label as the editor shows it (trimmed), none for a blank one', () => {
    const fields = [{ label: '  Room  ' }, { label: '   ' }, { value: 1 }, 'junk'];
    expect(customFieldKeys(fields)).toEqual([
      { key: 'room', label: 'Room', field: fields[0] },
      { key: 'field_2', label: undefined, field: fields[1] },
      { key: 'field_3', label: undefined, field: fields[2] },
    ]);
    expect(customFieldKeys({ label: 'not a list' })).toEqual([]);
  });
});

describe('declared fields', () => {
  it('are all present (null where missing) without changing the record given', () => {
    const raw = { id: 'a1', client: { firstName: 'Jon' }, staff: null, location: 'Paris' };
    const before = structuredClone(raw);
    const out = toEntityRecord(appointment, raw);
    expect(raw).toEqual(before);
    expect(out.client).toEqual({
      clientId: null,
      firstName: 'Jon',
      lastName: null,
      emailAddress: null,
      phoneNumber: null,
      notes: null,
    });
    expect(out.staff).toEqual({ professionalId: null, fullName: null, email: null });
    expect(out.reason).toEqual({ reasonId: null, reasonDesc: null, visitMinutes: null });
    // a value of another type where an object is declared is left as it is
    expect(out.location).toBe('Paris');
    expect(out).toMatchObject({ id: 'a1', status: null, custom_fields: {} });
  });
});

describe('the slug cache', () => {
  it('keeps each label it slugs, up to SLUGS_KEPT labels', () => {
    const before = slugsCached();
    expect(before).toBeLessThan(SLUGS_KEPT);
    customFieldKeys([{ label: 'A label seen once, for the cache test' }]);
    expect(slugsCached()).toBe(before + 1);
    const many = Array.from({ length: SLUGS_KEPT + 100 }, (_, i) => ({
      label: `Label ${String(i)}`,
    }));
    const keys = customFieldKeys(many).map((k) => k.key);
    expect(keys.at(-1)).toBe(`label_${String(SLUGS_KEPT + 99)}`);
    expect(slugsCached()).toBe(SLUGS_KEPT);
  });
});

describe('declared keys around a value of another type', () => {
  it('leaves a client that is text as it is, adding nothing beside it', () => {
    const record = toEntityRecord(appointment, { id: 'a1', client: 'Jane Doe' });
    expect(record.client).toBe('Jane Doe');
    // the client's own keys (firstName, clientId…) are not set on the appointment instead
    expect(record).not.toHaveProperty('firstName');
    expect(record).not.toHaveProperty('clientId');
  });
});
