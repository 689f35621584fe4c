import { appointment } from '../../core/entities';
import {
  customFieldKeys,
  customFields,
  labelKeysCached,
  LABEL_KEYS_KEPT,
  slug,
  toEntityRecord,
} from '../../core/records';

describe('custom fields', () => {
  it('are keyed by a stable slug of their label', () => {
    expect(slug('Préférence horaire?')).toBe('preference_horaire');
    expect(slug('  Comments  ')).toBe('comments');
  });

  it('key a field by its own label, whatever other fields the appointment carries', () => {
    // "Phone #" used to take `phone` when "Phone" was absent, and `phone_2` when present
    const alone = customFields([{ label: 'Phone #', value: '+33 6' }]);
    const both = customFields([
      { label: 'Phone', value: '+33 1' },
      { label: 'Phone #', value: '+33 6' },
    ]);
    const reversed = customFields([
      { label: 'Phone #', value: '+33 6' },
      { label: 'Phone', value: '+33 1' },
    ]);
    expect(alone).toEqual({ phone_f38c2711: '+33 6' });
    expect(both).toEqual({ phone: '+33 1', phone_f38c2711: '+33 6' });
    expect(reversed).toEqual(both);
    expect(alone).not.toHaveProperty('phone');
  });

  it('key a label without a Latin letter or digit by the label, not by its position', () => {
    const first = customFieldKeys([{ label: '電話' }, { label: '住所' }]).map(({ key }) => key);
    const second = customFieldKeys([{ label: '住所' }]).map(({ key }) => key);
    expect(first[0]).toBe('field_5154b7cf');
    expect(first[1]).toBe(second[0]);
    expect(new Set(first).size).toBe(2);
  });

  it('keep the first of two labels that differ only in case, accents or separators', () => {
    const fields = [
      { label: 'Notes', value: 'a' },
      { label: 'NOTES', value: 'b' },
      { label: 'Né-le', value: 'c' },
      { label: 'ne le', value: 'd' },
    ];
    expect(customFields(fields)).toEqual({ notes: 'a', ne_le: 'c' });
  });

  it('key an unlabelled field by its definition id, and leave one without either out', () => {
    const fields = [
      { schedulerPreferenceFieldDefnId: 107740, value: 'a' },
      { fieldId: 'cf-9', value: 'b' },
      { definitionId: 'd1', value: 'c' },
      { id: 7, label: '   ', value: 'd' },
      { label: 42, value: 'e' },
      { value: 'f' },
    ];
    expect(customFields(fields)).toEqual({
      field_107740: 'a',
      field_cf_9: 'b',
      field_d1: 'c',
      field_7: 'd',
    });
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
      ['proto_30e2af38', 'c'],
    ]);
  });

  it('keep falsy values (0, false, empty text) as they are', () => {
    const fields = [
      { label: 'Zero', value: 0, extendedValue: 'zero' },
      { label: 'No', value: false, extendedValue: 'No' },
      { label: 'Empty', value: '', extendedValue: 'x' },
    ];
    expect(customFields(fields)).toEqual({ zero: 0, no: false, empty: '' });
  });

  it('fall back to extendedValue, then null, only for a missing value (absent or null)', () => {
    const fields = [
      { label: 'A', extendedValue: 'x' },
      { label: 'B' },
      { label: 'C', value: null, extendedValue: 'y' },
      { label: 'D', value: null, extendedValue: 0 },
      { label: 'E', value: null, extendedValue: null },
      'junk',
      null,
    ];
    expect(customFields(fields)).toEqual({ a: 'x', b: null, c: 'y', d: 0, e: null });
    expect(customFields(undefined)).toEqual({});
  });

  // Zaps map these keys: a change to the rule silently breaks existing mappings. Pinned here.
  it.each([
    ['plain labels', ['Notes', 'Date of birth'], ['notes', 'date_of_birth']],
    ['hyphens and underscores between words', ['E-mail', 'room_1'], ['e_mail', 'room_1']],
    ['accents and case', ['Préférence Horaire', 'ÉTAGE'], ['preference_horaire', 'etage']],
    [
      'punctuation, by slug and digest',
      ['Notes?', 'Préférence horaire?', 'Room -- 1 // A', '(Notes)'],
      ['notes_180df4f6', 'preference_horaire_2e9fc766', 'room_1_a_8d20243e', 'notes_00ca9492'],
    ],
    ['separators that are not single', ['__x__', 'a  b'], ['x_a917b03b', 'a_b_6e12db73']],
    ['compatibility characters', ['m²', 'm2'], ['m2_09c2e207', 'm2']],
    ['no letter or digit at all', ['?!'], ['field_545f940d']],
    ['surrounding spaces', ['  Pad  ', ' Phone # '], ['pad', 'phone_f38c2711']],
    // one label, composed (NFC) or decomposed (NFD) by the sender, is one key
    ['a label composed or decomposed', ['Café #', 'Cafe\u0301 #'], ['cafe_adea0242']],
  ])('keys for %s', (_what, labels, keys) => {
    const fields = labels.map((label, i) => ({ label, value: i }));
    expect(customFieldKeys(fields).map(({ key }) => key)).toEqual(keys);
  });

  it('keep the label as the editor shows it (trimmed), none for a blank one', () => {
    const fields = [{ label: '  Room  ' }, { label: '   ', id: 3 }, { value: 1 }, 'junk'];
    expect(customFieldKeys(fields)).toEqual([
      { key: 'room', label: 'Room', field: fields[0] },
      { key: 'field_3', label: undefined, field: fields[1] },
    ]);
    expect(customFieldKeys({ label: 'not a list' })).toEqual([]);
  });
});

describe('declared fields', () => {
  it('are all present (null where missing) without changing the record given', () => {
    const raw = { id: 'a1', client: { firstName: 'Jon' }, staff: null, location: 'Paris' };
    const before = structuredClone(raw);
    const out = toEntityRecord(appointment, raw, 'unused');
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

describe('the label key cache', () => {
  it('keeps each label it keys, up to LABEL_KEYS_KEPT labels', () => {
    const before = labelKeysCached();
    expect(before).toBeLessThan(LABEL_KEYS_KEPT);
    customFieldKeys([{ label: 'A label seen once for the cache test' }]);
    expect(labelKeysCached()).toBe(before + 1);
    const many = Array.from({ length: LABEL_KEYS_KEPT + 100 }, (_, i) => ({
      label: `Label ${String(i)}`,
    }));
    const keys = customFieldKeys(many).map((k) => k.key);
    expect(keys.at(-1)).toBe(`label_${String(LABEL_KEYS_KEPT + 99)}`);
    expect(labelKeysCached()).toBe(LABEL_KEYS_KEPT);
  });
});

describe('declared keys around a value of another type', () => {
  it('leaves a client that is text as it is, adding nothing beside it', () => {
    const record = toEntityRecord(appointment, { id: 'a1', client: 'Jane Doe' }, 'unused');
    expect(record.client).toBe('Jane Doe');
    // the client's own keys (firstName, clientId…) are not set on the appointment instead
    expect(record).not.toHaveProperty('firstName');
    expect(record).not.toHaveProperty('clientId');
  });
});
