/**
 * Trigger filters: the optional inputs a Zap user sets on a trigger (Tags, Stage, Staff,
 * Location). Each is sent to ISAO as `filters[key]` on subscribe and applied again here to every
 * record, live (perform) and test (performList) alike, with one predicate: the Zap sees the same
 * records whether or not the API honoured a filter it may not know. The sandbox applies the same
 * predicate to its deliveries.
 *
 * Semantics, for every filter: the record matches when ANY of the listed values matches
 * (case-insensitive, surrounding spaces ignored); several filters on one trigger must ALL match;
 * an empty filter matches everything; a record that lacks the field does not match a set filter.
 * Each line the user fills is one value, commas included (`readList`: only a whole value given
 * as one plain string is split at commas). `filtersFrom` is the one reading of the inputs: its
 * result is both what subscribe sends ISAO and what the predicate compares.
 */
import type { RawRecord } from './entities';
import { isRecord } from './inputs';
import { listOf, onlyBlanks } from './inputs';

export type FilterKey = 'tags' | 'stage' | 'staff' | 'location';

/** What the API receives as `filters` (and what a subscription keeps): key → wanted values. */
export type FilterValues = Partial<Record<FilterKey, string[]>>;

/** A filter's input as every platform's adapter offers it: an optional list of texts. */
export interface ListInput {
  key: string;
  label: string;
  type: 'string';
  list: true;
  required: false;
  helpText: string;
}

export interface TriggerFilter {
  key: FilterKey;
  input: ListInput;
  /** The record's values this filter compares with (ids and names, as the record carries them). */
  valuesOf: (record: RawRecord) => unknown[];
}

const at = (record: RawRecord, key: string): RawRecord =>
  isRecord(record[key]) ? record[key] : {};

/** A text or number as a comparable value: trimmed, lower-cased; undefined otherwise. */
const comparable = (value: unknown): string | undefined => {
  if (Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  // Stryker disable next-line MethodExpression: both sides of every comparison pass through here
  return value.trim().toLowerCase() || undefined;
};

/** A contact's tags as an optional list input (read with `listOf`: one tag per line). */
export const tagsField = (helpText: string) =>
  ({
    key: 'tags',
    label: 'Tags',
    type: 'string',
    list: true,
    required: false,
    helpText,
  }) as const satisfies ListInput;

const listInput = (key: FilterKey, label: string, helpText: string): ListInput => ({
  key,
  label,
  type: 'string',
  list: true,
  required: false,
  helpText,
});

const ANY_OF =
  'One value per line: a comma is part of the value (for example `Jones, Ana`), so put each value on its own line; only one plain text given instead of a list is split at commas. The trigger fires when any of them matches (case-insensitive). Leave empty to trigger for every';

export const FILTERS: Readonly<Record<FilterKey, TriggerFilter>> = {
  tags: {
    key: 'tags',
    input: tagsField(
      `Optional. Only trigger for contacts that have any of these tags (for example \`lead\`). ${ANY_OF} contact.`,
    ),
    valuesOf: (record): unknown[] => (Array.isArray(record.tags) ? record.tags : [record.tags]),
  },
  stage: {
    key: 'stage',
    input: listInput(
      'stage',
      'Stage',
      `Optional. Only trigger for deals in any of these stages, as named in your ISAO pipeline (for example \`Proposal\`). ${ANY_OF} deal.`,
    ),
    valuesOf: (record) => [record.stage],
  },
  staff: {
    key: 'staff',
    input: listInput(
      'staff',
      'Staff',
      `Optional. Only trigger for appointments with any of these staff members, by ISAO staff ID (for example \`42441\`), full name, user name or email. ${ANY_OF} appointment.`,
    ),
    valuesOf: (record) => {
      const staff = at(record, 'staff');
      const fullName =
        staff.fullName ??
        [staff.firstName, staff.lastName].filter((v) => typeof v === 'string').join(' ');
      return [staff.professionalId, staff.id, fullName, staff.userName, staff.email];
    },
  },
  location: {
    key: 'location',
    input: listInput(
      'location',
      'Location',
      `Optional. Only trigger for appointments at any of these locations, by ISAO location ID (for example \`29945\`) or name. ${ANY_OF} appointment.`,
    ),
    valuesOf: (record) => {
      const location = at(record, 'location');
      return [location.locationId, location.id, location.locationName, location.name];
    },
  },
};

const isFilterKey = (key: string): key is FilterKey => Object.hasOwn(FILTERS, key);

/** The non-empty filter inputs, as ISAO's `filters` object (undefined when none is set). */
export const filtersFrom = (
  filters: readonly TriggerFilter[],
  inputData: Record<string, unknown> | undefined,
): FilterValues | undefined => {
  const set = filters.flatMap(({ key }) => {
    const list = listOf(inputData?.[key]);
    return list.length > 0 ? [[key, list] as const] : [];
  });
  return set.length > 0 ? Object.fromEntries(set) : undefined;
};

/** The first filter the user filled with blanks only (spaces, commas, invisible characters). */
export const blankFilter = (
  filters: readonly TriggerFilter[],
  inputData: Record<string, unknown> | undefined,
): TriggerFilter | undefined => filters.find(({ key }) => onlyBlanks(inputData?.[key]));

/** Whether a record passes every set filter (see the semantics above). Unknown keys are ignored. */
export const matchesFilters = (record: RawRecord, filters: FilterValues | undefined): boolean => {
  if (!filters) return true;
  return Object.entries(filters).every(([key, wanted]: [string, string[] | undefined]) => {
    if (!isFilterKey(key) || !wanted || wanted.length === 0) return true;
    const have = new Set(FILTERS[key].valuesOf(record).map(comparable));
    return wanted.some((value) => have.has(comparable(value)));
  });
};
