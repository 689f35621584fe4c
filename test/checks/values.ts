/**
 * How the check rules judge a value: dates (D023), output field types (D024), title case (D018),
 * help text, and a sample's keys against what an operation produced (T004, LIVE).
 */
import {
  type Failure,
  type FieldDef,
  type Definition,
  type Produced,
  isObject,
  fieldsOf,
  type Component,
  visible,
  flatten,
} from './definition';

// ---------------------------------------------------------------------------------------------
// Dates (D023)

export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/;

/**
 * ISO-8601 as D023 accepts it: a calendar date (`2023-08-01`), or a date and time that carries
 * its time zone (`2023-09-15T09:59:59Z`, `2023-08-01T06:50:30-0500`). A time without a zone
 * (`2023-08-01T06:50:30`) fails, as in Zapier's own examples.
 */
export const isIso8601 = (value: string): boolean => {
  const match = ISO_DATE.exec(value) ?? ISO_DATETIME.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

export const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
export const DATE_LIKE: readonly RegExp[] = [
  /\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/, // 2023-08-01, 2023/8/1
  /\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/, // 08/01/2023, 01.08.2023
  new RegExp(`\\b\\d{1,2}(st|nd|rd|th)?\\s+${MONTH}(\\s+\\d{2,4})?\\b`, 'i'), // 01 Aug 2023
  new RegExp(`\\b${MONTH}\\s+\\d{1,2}(st|nd|rd|th)?\\b`, 'i'), // Aug 1, 2023
];

/** A string a reader (or Zapier's date parser) would take for a date or a date-time. */
export const looksLikeDate = (value: string): boolean => DATE_LIKE.some((re) => re.test(value));

/** Every string leaf of a value, with its path in Zapier's flattened notation. */
export const stringLeaves = (value: unknown, path: string): [string, string][] => {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, `${path}[${i}]`));
  if (isObject(value)) {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, path ? `${path}__${k}` : k));
  }
  return [];
};

// ---------------------------------------------------------------------------------------------
// Output field types (D024)

export const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  password: (v) => typeof v === 'string',
  datetime: (v) => typeof v === 'string',
  file: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
};

export const describeValue = (value: unknown): string =>
  Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;

/** Why a sample value does not fit its output field, or undefined when it does. */
export const typeMismatch = (field: FieldDef, value: unknown): string | undefined => {
  if (field.children) {
    return Array.isArray(value) && value.every(isObject)
      ? undefined
      : `is line items (children), so the sample needs a list of objects, not ${describeValue(value)}`;
  }
  const check = field.type ? TYPE_CHECKS[field.type] : undefined;
  if (field.list) {
    if (!Array.isArray(value)) return `is a list, but the sample has ${describeValue(value)}`;
    const bad = check ? value.find((item) => !check(item)) : undefined;
    return bad === undefined
      ? undefined
      : `is a list of ${field.type ?? ''}, but holds ${describeValue(bad)}`;
  }
  if (!check || check(value)) return undefined;
  return `is of type ${field.type ?? ''}, but the sample has ${describeValue(value)} (${JSON.stringify(value)})`;
};

// ---------------------------------------------------------------------------------------------
// Title case (D018)

/** The small words title case keeps lower-case mid-label (python-titlecase's list). */
export const SMALL_WORDS = new Set(
  'a an and as at but by en for if in of on or the to v v. via vs vs.'.split(' '),
);

export const capitalise = (part: string): string =>
  /[A-Z]/.test(part.slice(1)) ? part : part.replace(/[a-z]/i, (c) => c.toUpperCase());

/** The title-case form of a label, the "passing version" D018 shows; acronyms are kept. */
export const titleCase = (label: string): string => {
  const words = label.trim().split(/\s+/);
  return words
    .map((word, i) => {
      const edge = i === 0 || i === words.length - 1;
      if (!edge && SMALL_WORDS.has(word.toLowerCase())) return word.toLowerCase();
      return word.split('-').map(capitalise).join('-');
    })
    .join(' ');
};

// ---------------------------------------------------------------------------------------------
// Help text

export const MARKDOWN_LINK = /\[[^\]]+\]\(https:\/\/[^)\s]+\)/;

/** Fields a user fills in: auth fields that are not computed, and static input fields. */
export const visibleInputFields = (definition: Definition): { key: string; field: FieldDef }[] => [
  ...fieldsOf(definition.authentication?.fields)
    .filter((field) => field.computed !== true)
    .map((field) => ({ key: `authentication.fields.${field.key}`, field })),
  ...visible(definition).flatMap(({ path, action }) =>
    fieldsOf(action.operation.inputFields).map((field) => ({
      key: `${path}.inputFields.${field.key}`,
      field,
    })),
  ),
];

export const words = (value: string): string =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

// ---------------------------------------------------------------------------------------------
// Samples (T004, LIVE)

/** Keys of a record as Zapier lists them (flattened), for T004's subset comparison. */
export const keysOf = (value: unknown): Set<string> => new Set(Object.keys(flatten(value)));

/** The operations T004 runs on a component's sample: a hook trigger's test uses performList. */
export const operationsToRun = ({ type, action }: Component): string[] =>
  type === 'triggers' && action.operation.type === 'hook'
    ? ['perform', 'performList']
    : ['perform'];

/**
 * T004 and LIVE: the sample's keys an operation's first record lacks, as one failure (or one for
 * an operation that was not run, failed or produced nothing), worded by the rule.
 */
export const sampleKeysMissing = (
  component: Component,
  result: Produced | undefined,
  fail: (message: string) => Failure,
  says: { notRun: string; failed: string; empty: string; missing: string },
): Failure[] => {
  if (!result) return [fail(says.notRun)];
  if ('error' in result) return [fail(`${says.failed}: ${result.error}`)];
  const [first] = result.records;
  if (first === undefined) return [fail(says.empty)];
  const produce = keysOf(first);
  const missing = [...keysOf(component.action.operation.sample)].filter((k) => !produce.has(k));
  return missing.length > 0 ? [fail(`${says.missing}: ${missing.join(', ')}`)] : [];
};
