import { blankFilter, FILTERS, filtersFrom, matchesFilters } from '../../core/filters';

const contact = { id: 'c1', tags: ['Lead', 'vip'] };
const deal = { id: 'd1', stage: 'Proposal' };
const appointment = {
  id: 'a1',
  staff: {
    professionalId: 42441,
    fullName: 'Dr. Ana Jones',
    userName: 'DrJones2',
    email: 'ana@x.io',
  },
  location: { locationId: 29945, locationName: 'Paris Office' },
};

describe('matchesFilters', () => {
  it.each([
    ['no filter', contact, undefined, true],
    ['an empty filter', contact, { tags: [] }, true],
    ['any of the tags, case-insensitive', contact, { tags: ['lead', 'other'] }, true],
    ['none of the tags', contact, { tags: ['other'] }, false],
    ['a record without tags', { id: 'c2' }, { tags: ['lead'] }, false],
    ['a single tag string', { tags: 'vip' }, { tags: ['VIP'] }, true],
    ['the stage', deal, { stage: [' proposal '] }, true],
    ['another stage', deal, { stage: ['Won'] }, false],
    ['staff by id', appointment, { staff: ['42441'] }, true],
    ['staff by full name', appointment, { staff: ['dr. ana jones'] }, true],
    ['staff by user name', appointment, { staff: ['drjones2'] }, true],
    ['staff by email', appointment, { staff: ['ANA@x.io'] }, true],
    [
      'staff by first and last name',
      { staff: { firstName: 'Ana', lastName: 'Jones' } },
      { staff: ['ana jones'] },
      true,
    ],
    ['other staff', appointment, { staff: ['42'] }, false],
    ['location by id', appointment, { location: ['29945'] }, true],
    ['location by name', appointment, { location: ['paris office'] }, true],
    ['another location', appointment, { location: ['Lyon'] }, false],
    ['all filters must match', appointment, { staff: ['42441'], location: ['Lyon'] }, false],
    ['both matching', appointment, { staff: ['42441'], location: ['29945'] }, true],
    ['a key it does not know', deal, { colour: ['red'] }, true],
  ])('%s', (_what, record, filters, expected) => {
    expect(matchesFilters(record, filters as never)).toBe(expected);
  });
});

describe('filtersFrom', () => {
  it('keeps only the set filters, as lists', () => {
    expect(
      filtersFrom([FILTERS.staff, FILTERS.location], {
        staff: '42441, Dr. Ana Jones',
        location: [],
      }),
    ).toEqual({ staff: ['42441', 'Dr. Ana Jones'] });
    expect(filtersFrom([FILTERS.location], { location: ['Paris, 8e arrondissement'] })).toEqual({
      location: ['Paris, 8e arrondissement'],
    });
    expect(filtersFrom([FILTERS.stage], { stage: '' })).toBeUndefined();
    expect(filtersFrom([FILTERS.stage], undefined)).toBeUndefined();
  });

  it('every filter input says it is optional and that any value matches', () => {
    for (const filter of Object.values(FILTERS)) {
      expect(filter.input).toMatchObject({ key: filter.key, required: false, list: true });
      expect(filter.input.helpText).toMatch(/^Optional\. .*any of/);
      expect(filter.input.helpText).toContain(
        'One value per line: a comma is part of the value (for example `Jones, Ana`)',
      );
    }
  });
});

describe('filter edge cases', () => {
  it("builds a staff member's full name from the parts that are text", () => {
    const record = { id: 'a2', staff: { firstName: 42, lastName: 'Smith' } };
    expect(matchesFilters(record, { staff: ['smith'] })).toBe(true);
  });

  it('finds no blank filter when there is no input at all', () => {
    expect(blankFilter([FILTERS.staff, FILTERS.location], undefined)).toBeUndefined();
  });
});
