/** The check rules' helpers (values.ts, definition.ts): dates, title case, flattened keys. */
import { flatten } from './definition';
import { isIso8601, looksLikeDate, titleCase } from './values';

describe('check helpers', () => {
  // Zapier's own D023 examples, and a few more
  test.each([
    ['2023-08-01', true],
    ['2023-08-01T06:50:30-0500', true],
    ['2023-09-15T09:59:59Z', true],
    ['2024-11-08T10:30:00.000+01:00', true],
    ['01 Aug 2023', false],
    ['01 Aug 2023 06:50:30', false],
    ['2023-08-01T06:50:30', false],
    ['2023-02-30', false],
    ['08/01/2023', false],
    ['Aug 1, 2023', false],
  ])('%s looks like a date; ISO-8601: %s', (value, iso) => {
    expect(looksLikeDate(value)).toBe(true);
    expect(isIso8601(value)).toBe(iso);
  });

  test.each(['+33987654321', 'contact_123', 'Marc Dupont', 'Enterprise plan – Tech Corp', '12000'])(
    '%s does not look like a date',
    (value) => {
      expect(looksLikeDate(value)).toBe(false);
    },
  );

  test.each([
    ['new contact', 'New Contact'],
    ['Deal Stage Changed', 'Deal Stage Changed'],
    ['canceled Or deleted appointment', 'Canceled or Deleted Appointment'],
    ['find contact by ID', 'Find Contact by ID'],
    ['follow-up created', 'Follow-Up Created'],
    ['sign in to', 'Sign in To'],
  ])('title case: %s → %s', (label, wanted) => {
    expect(titleCase(label)).toBe(wanted);
  });

  test('flatten: nested objects become a__b, lists stay whole', () => {
    expect(flatten({ id: 1, a: { b: 2, c: { d: [1, { e: 3 }] } }, empty: {} })).toEqual({
      id: 1,
      a__b: 2,
      a__c__d: [1, { e: 3 }],
      empty: {},
    });
  });
});
