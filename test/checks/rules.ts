/**
 * Zapier's publishing checks that can be judged from the app definition, as pure functions.
 *
 * Zapier runs its integration checks only on zapier.com (`zapier-platform validate` without
 * `--without-style`). Each rule here re-implements one of them (same id, same meaning) over the
 * definition core serialises for Zapier, plus what the live app produced for its own samples
 * (gathered by evidence.ts). Rules are data-driven: every trigger, create and search in the
 * definition is covered, with no per-trigger code.
 *
 * Meanings are from Zapier's "Integration check reference"
 * (https://platform.zapier.com/publish/integration-checks-reference, source in the
 * zapier/visual-builder repository, docs/_publish/validation/integration-checks-reference.md).
 * Rules whose id is a word (HELP, UNIQUE, NOUN, EVENT, MODULE) are this project's own standards,
 * not Zapier check ids.
 */

import { isRecord } from '../../core/inputs';

export interface Failure {
  id: string;
  /** Where in the definition: `triggers.deal_won`, `authentication.fields.api_key`, … */
  key: string;
  message: string;
}

/** A field as the serialised definition holds it (auth, input and output fields). */
export interface FieldDef {
  key: string;
  label?: string;
  helpText?: string;
  type?: string;
  list?: boolean;
  required?: boolean;
  computed?: boolean;
  primary?: boolean;
  children?: unknown[];
  default?: unknown;
  sample?: unknown;
}

/** A trigger, create or search. Functions appear as `$func$…` strings in a serialised definition. */
export interface ActionDef {
  key: string;
  noun?: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: {
    type?: string;
    inputFields?: unknown[];
    outputFields?: unknown[];
    sample?: unknown;
    perform?: unknown;
    performList?: unknown;
    performSubscribe?: unknown;
  };
}

export interface Definition {
  authentication?: { type?: string; fields?: unknown[]; connectionLabel?: unknown };
  triggers?: Record<string, ActionDef>;
  creates?: Record<string, ActionDef>;
  searches?: Record<string, ActionDef>;
}

export const ACTION_TYPES = ['triggers', 'creates', 'searches'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** What running an operation on its own static sample gave (T004). */
export type Produced = { records: unknown[] } | { error: string };

/** The definition plus what the live app did, as far as a rule needs it. */
export interface Evidence {
  definition: Definition;
  /** The request body each hook trigger's performSubscribe sent, by trigger key. */
  subscriptions?: Record<string, unknown>;
  /** By component path (`triggers.new_deal`), then operation (`perform`, `performList`). */
  produced?: Record<string, Partial<Record<string, Produced>>>;
  /** Each module file under src/triggers, src/creates, … and the key it declares. */
  modules?: { type: ActionType; file: string; key: string }[];
  /** How many times each src/ file throws a HaltedError (HALT). */
  halts?: Record<string, number>;
}

/** The `produced` entry for what an operation made of a minimal live record (LIVE). */
export const MINIMAL_RUN = 'perform:minimal';

/**
 * Where the app may halt (HaltedError: a deliberate drop that notifies nobody), and how often.
 * Anything a user must fix is a z.errors.Error instead; a new halt anywhere fails HALT until it
 * is reviewed and listed here.
 */
export const HALTS_ALLOWED: Record<string, { count: number; why: string }> = {
  'src/lib/delivery.ts': { count: 4, why: 'a webhook whose signature is missing or wrong' },
  'src/lib/webhook.ts': { count: 3, why: 'a webhook body that is empty, not JSON or no event' },
  'src/lib/hooks.ts': {
    count: 1,
    why: 'a webhook with nothing usable for the trigger (no record, malformed, a signed replay)',
  },
  'src/lib/errors.ts': {
    count: 1,
    why: 'ISAO answering 409 (it already has it): nothing to do. A 422 or a 400 naming fields is an error, so the user is told',
  },
};

/** Words that only repeat the app's name in a description ("… in ISAO."). */
const APP_NAME_FILLER = /\b(in|to|from|on) ISAO\b/;

export interface Rule {
  id: string;
  description: string;
  run: (evidence: Evidence) => Failure[];
}

type Json = Record<string, unknown>;

export const isObject: (value: unknown) => value is Json = isRecord;

const isField = (value: unknown): value is FieldDef =>
  isObject(value) && typeof value.key === 'string';

const fieldsOf = (list: unknown): FieldDef[] => (Array.isArray(list) ? list.filter(isField) : []);

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

interface Component {
  type: ActionType;
  key: string;
  path: string;
  action: ActionDef;
}

/** Every trigger, create and search, hidden ones included. */
export const components = (definition: Definition): Component[] =>
  ACTION_TYPES.flatMap((type) =>
    Object.entries(definition[type] ?? {}).map(([key, action]) => ({
      type,
      key,
      path: `${type}.${key}`,
      action,
    })),
  );

/** The ones a Zap user sees: Zapier's checks skip hidden triggers/actions. */
const visible = (definition: Definition): Component[] =>
  components(definition).filter((c) => c.action.display.hidden !== true);

/**
 * A sample as Zapier shows it in the Zap editor: nested objects flattened to `parent__child`
 * keys, arrays (lists, line items) kept whole under their key.
 */
export const flatten = (value: unknown, prefix = ''): Json =>
  isObject(value)
    ? Object.fromEntries(
        Object.entries(value).flatMap(([key, child]) =>
          isObject(child) && Object.keys(child).length > 0
            ? Object.entries(flatten(child, `${prefix}${key}__`))
            : [[`${prefix}${key}`, child]],
        ),
      )
    : {};

const hasSample = (action: ActionDef): boolean =>
  isObject(action.operation.sample) && Object.keys(action.operation.sample).length > 0;

/** The static sample with each output field's own `sample` taking precedence, as Zapier merges. */
const effectiveSample = (action: ActionDef): Json => {
  const flat = flatten(action.operation.sample);
  for (const field of fieldsOf(action.operation.outputFields)) {
    if (field.sample !== undefined) flat[field.key] = field.sample;
  }
  return flat;
};

const failure = (id: string, key: string, message: string): Failure => ({ id, key, message });

/** A rule judging components one by one: `problem` says what is wrong with one, if anything. */
const perComponent = (
  id: string,
  description: string,
  select: (definition: Definition) => Component[],
  problem: (component: Component) => string | undefined,
): Rule => ({
  id,
  description,
  run: ({ definition }) =>
    select(definition).flatMap((component) => {
      const message = problem(component);
      return message === undefined ? [] : [failure(id, component.path, message)];
    }),
});

const partition = <T>(list: T[], test: (item: T) => boolean): [T[], T[]] => [
  list.filter(test),
  list.filter((item) => !test(item)),
];

/** Each component whose value an earlier one already has, paired with that earlier one's path. */
const repeats = (
  list: Component[],
  valueOf: (component: Component) => string,
): [Component, string][] => {
  const seen = new Map<string, string>();
  return list.flatMap((component) => {
    const value = valueOf(component);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, component.path);
    return first === undefined ? [] : [[component, first] as [Component, string]];
  });
};

const hookTriggers = (definition: Definition): Component[] =>
  components(definition).filter(
    ({ type, action }) => type === 'triggers' && action.operation.type === 'hook',
  );

const visibleOf =
  (type: ActionType) =>
  (definition: Definition): Component[] =>
    visible(definition).filter((c) => c.type === type);

// ---------------------------------------------------------------------------------------------
// Dates (D023)

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME =
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

const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const DATE_LIKE: readonly RegExp[] = [
  /\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/, // 2023-08-01, 2023/8/1
  /\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/, // 08/01/2023, 01.08.2023
  new RegExp(`\\b\\d{1,2}(st|nd|rd|th)?\\s+${MONTH}(\\s+\\d{2,4})?\\b`, 'i'), // 01 Aug 2023
  new RegExp(`\\b${MONTH}\\s+\\d{1,2}(st|nd|rd|th)?\\b`, 'i'), // Aug 1, 2023
];

/** A string a reader (or Zapier's date parser) would take for a date or a date-time. */
export const looksLikeDate = (value: string): boolean => DATE_LIKE.some((re) => re.test(value));

/** Every string leaf of a value, with its path in Zapier's flattened notation. */
const stringLeaves = (value: unknown, path: string): [string, string][] => {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, `${path}[${i}]`));
  if (isObject(value)) {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, path ? `${path}__${k}` : k));
  }
  return [];
};

// ---------------------------------------------------------------------------------------------
// Output field types (D024)

const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  password: (v) => typeof v === 'string',
  datetime: (v) => typeof v === 'string',
  file: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
};

const describeValue = (value: unknown): string =>
  Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;

/** Why a sample value does not fit its output field, or undefined when it does. */
const typeMismatch = (field: FieldDef, value: unknown): string | undefined => {
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
const SMALL_WORDS = new Set(
  'a an and as at but by en for if in of on or the to v v. via vs vs.'.split(' '),
);

const capitalise = (part: string): string =>
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

const MARKDOWN_LINK = /\[[^\]]+\]\(https:\/\/[^)\s]+\)/;

/** Fields a user fills in: auth fields that are not computed, and static input fields. */
const visibleInputFields = (definition: Definition): { key: string; field: FieldDef }[] => [
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

const words = (value: string): string =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

// ---------------------------------------------------------------------------------------------
// The rules

/** Keys of a record as Zapier lists them (flattened), for T004's subset comparison. */
const keysOf = (value: unknown): Set<string> => new Set(Object.keys(flatten(value)));

/** The operations T004 runs on a component's sample: a hook trigger's test uses performList. */
const operationsToRun = ({ type, action }: Component): string[] =>
  type === 'triggers' && action.operation.type === 'hook'
    ? ['perform', 'performList']
    : ['perform'];

/**
 * T004 and LIVE: the sample's keys an operation's first record lacks, as one failure (or one for
 * an operation that was not run, failed or produced nothing), worded by the rule.
 */
const sampleKeysMissing = (
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

export const RULES: readonly Rule[] = [
  {
    // D002 "Provide Link in Help Text for Auth Fields": link users to the page that has their key.
    id: 'D002',
    description: 'auth fields link (markdown, https) to where their value is found',
    run: ({ definition }) =>
      fieldsOf(definition.authentication?.fields)
        .filter((field) => field.computed !== true && !MARKDOWN_LINK.test(text(field.helpText)))
        .map((field) =>
          failure(
            'D002',
            `authentication.fields.${field.key}`,
            'help text must link, as a markdown [text](https://…) link, to the page where the user finds this value',
          ),
        ),
  },
  {
    // D003 "Connection Label Should Be Set": a short label that tells connected accounts apart.
    id: 'D003',
    description: 'the connection label is set and comes from the account (not a constant)',
    run: ({ definition }) => {
      const auth = definition.authentication;
      if (!auth || auth.type === undefined) return [];
      const label = auth.connectionLabel;
      const dynamic =
        (typeof label === 'string' && (label.startsWith('$func$') || /\{\{.+?\}\}/.test(label))) ||
        isObject(label);
      return dynamic
        ? []
        : [
            failure(
              'D003',
              'authentication.connectionLabel',
              label === undefined || text(label) === ''
                ? 'the connection label must be set'
                : `the connection label ${JSON.stringify(label)} is a constant: use {{…}} fields from the auth test so each account is identifiable`,
            ),
          ];
    },
  },
  // D006 "REST Hook Trigger Needs a Polling URL": performList gives Zap setup a real sample.
  perComponent('D006', 'every hook trigger has performList', hookTriggers, ({ action }) =>
    action.operation.performList === undefined
      ? 'a REST hook trigger needs performList for the Zap editor test'
      : undefined,
  ),
  {
    // D010 "Missing ID Field in Static Sample Data": the deduper keys on `id`, or on the output
    // fields marked `primary` when there are any (core 15+, checks/trigger-has-unique-primary).
    // Zapier applies it to polling triggers; here every trigger, because a hook trigger's
    // performList results go through the same id check in core and the sample stands for them.
    id: 'D010',
    description:
      'every trigger sample has its primary key (`id`, or the outputFields marked primary)',
    run: ({ definition }) =>
      components(definition)
        .filter(({ type, action }) => type === 'triggers' && hasSample(action))
        .flatMap(({ path, action }) => {
          const primary = fieldsOf(action.operation.outputFields)
            .filter((f) => f.primary === true)
            .map((f) => f.key);
          const sample = effectiveSample(action);
          return (primary.length > 0 ? primary : ['id'])
            .filter((key) => {
              const value = sample[key];
              return !(typeof value === 'number' || (typeof value === 'string' && value !== ''));
            })
            .map((key) =>
              failure(
                'D010',
                `${path}.sample.${key}`,
                `the sample needs the primary key "${key}" as a non-empty string or number`,
              ),
            );
        }),
  },
  // D012 "Static Sample Is Required": the fallback when testing returns no live result.
  perComponent(
    'D012',
    'every visible trigger, create and search has a static sample',
    visible,
    ({ action }) =>
      hasSample(action) ? undefined : 'a static sample (a non-empty object) is required',
  ),
  // D018 "Titlecased Label": trigger/action/search labels in title case.
  perComponent(
    'D018',
    'trigger, create and search labels are in title case',
    visible,
    ({ action }) => {
      const label = text(action.display.label);
      const wanted = titleCase(label);
      return label === wanted ? undefined : `label "${label}" must be title case: "${wanted}"`;
    },
  ),
  // D021 "Trigger Description Requirements": starts with `Triggers when ` and ends with `.`.
  perComponent(
    'D021',
    'trigger descriptions start with "Triggers when " and end with "."',
    visibleOf('triggers'),
    ({ action }) => {
      const description = action.display.description ?? '';
      return description.startsWith('Triggers when ') && description.endsWith('.')
        ? undefined
        : `description must start with "Triggers when " and end with ".": ${JSON.stringify(description)}`;
    },
  ),
  // Ours (Zapier's style guide): the description says what happens, not where; a create's says
  // what it creates.
  perComponent(
    'WORDING',
    'descriptions do not repeat the app name ("in ISAO"); create descriptions start "Creates "',
    (definition) => visible(definition).filter(({ type }) => type !== 'searches'),
    ({ type, action }) => {
      const description = action.display.description ?? '';
      if (APP_NAME_FILLER.test(description)) {
        return `description repeats the app's name: ${JSON.stringify(description)}`;
      }
      return type === 'creates' && !description.startsWith('Creates ')
        ? `a create's description must start with "Creates ": ${JSON.stringify(description)}`
        : undefined;
    },
  ),
  // D022 "Creates Should Try to Have Static Input Fields": Zap templates need common fields.
  perComponent(
    'D022',
    'every create has at least one static input field',
    visibleOf('creates'),
    ({ action }) =>
      fieldsOf(action.operation.inputFields).length > 0
        ? undefined
        : 'a create needs static input fields (not only dynamic ones)',
  ),
  {
    // D023 "ISO-8601 Date/Time Format in Static Sample", time zone included when there is a time.
    // Judged on every sample string that looks like a date and every datetime output field.
    id: 'D023',
    description: 'dates in samples are ISO-8601 (with a time zone when they have a time)',
    run: ({ definition }) =>
      components(definition).flatMap(({ path, action }) => {
        const datetimeKeys = new Set(
          fieldsOf(action.operation.outputFields)
            .filter((f) => f.type === 'datetime')
            .map((f) => f.key),
        );
        const flat = effectiveSample(action);
        const typed = [...datetimeKeys]
          .filter((key) => flat[key] !== undefined && flat[key] !== null)
          .filter((key) => typeof flat[key] !== 'string' || !isIso8601(flat[key]))
          .map((key) => [key, flat[key]] as const);
        const lookalikes = stringLeaves(flat, '')
          .filter(([key, value]) => !datetimeKeys.has(key) && looksLikeDate(value))
          .filter(([, value]) => !isIso8601(value));
        return [...typed, ...lookalikes].map(([key, value]) =>
          failure(
            'D023',
            `${path}.sample.${key}`,
            `${JSON.stringify(value)} is not an ISO-8601 date or date-time with a time zone (e.g. 2023-09-15T09:59:59Z)`,
          ),
        );
      }),
  },
  {
    // D024 "Static Sample Respects Output Field Definition": required fields are in the sample,
    // and sample values match their field type.
    id: 'D024',
    description: 'samples carry every required output field, with values of the declared type',
    run: ({ definition }) =>
      components(definition)
        .filter(({ action }) => hasSample(action))
        .flatMap(({ path, action }) => {
          const sample = effectiveSample(action);
          return fieldsOf(action.operation.outputFields).flatMap((field) => {
            const value = sample[field.key];
            const key = `${path}.sample.${field.key}`;
            if (value === undefined || value === null) {
              return field.required === true
                ? [
                    failure(
                      'D024',
                      key,
                      `required output field "${field.key}" is missing from the sample`,
                    ),
                  ]
                : [];
            }
            const why = typeMismatch(field, value);
            return why ? [failure('D024', key, `output field "${field.key}" ${why}`)] : [];
          });
        }),
  },
  {
    // T004 "Static Sample Contains a Subset of Keys from Live Result", its static half: the
    // sample's keys must all be in what perform (the sample delivered as a webhook / sent as the
    // API's answer) and a hook's performList (the API answering with the sample) produce.
    id: 'T004',
    description: 'sample keys ⊆ the keys perform and performList produce for that sample',
    run: ({ definition, produced = {} }) =>
      visible(definition)
        .filter(({ action }) => hasSample(action))
        .flatMap((component) => {
          return operationsToRun(component).flatMap((operation) =>
            sampleKeysMissing(
              component,
              produced[component.path]?.[operation],
              (message) => failure('T004', `${component.path}.${operation}`, message),
              {
                notRun: `${operation} was not run on the sample`,
                failed: `${operation} failed on its own sample`,
                empty: `${operation} produced no record for its own sample`,
                missing: `sample keys missing from what ${operation} produces`,
              },
            ),
          );
        }),
  },
  {
    // Ours: the static sample is what the editor shows when the account has no records, so it must
    // not show a field that a live record would not deliver (the record builder fills declared
    // fields a record lacks with null).
    id: 'LIVE',
    description: 'sample keys ⊆ the keys perform produces for a minimal live record',
    run: ({ definition, produced = {} }) =>
      visible(definition)
        .filter(({ action }) => hasSample(action))
        .flatMap((component) =>
          sampleKeysMissing(
            component,
            produced[component.path]?.[MINIMAL_RUN],
            (message) => failure('LIVE', component.path, message),
            {
              notRun: 'perform was not run on a minimal live record',
              failed: 'perform failed on a minimal record',
              empty: 'perform produced no record for a minimal live record',
              missing: 'sample keys a minimal live record does not deliver',
            },
          ),
        ),
  },
  {
    id: 'HALT',
    description: 'HaltedError is thrown only where HALTS_ALLOWED lists it',
    run: ({ halts = {} }) =>
      Object.entries(halts).flatMap(([file, count]) => {
        const allowed = HALTS_ALLOWED[file]?.count ?? 0;
        return count > allowed
          ? [
              failure(
                'HALT',
                file,
                `${String(count)} HaltedError(s), ${String(allowed)} allowed: input a user must fix is a z.errors.Error; list a deliberate drop in HALTS_ALLOWED with its reason`,
              ),
            ]
          : [];
      }),
  },
  {
    // Ours (Zapier only asks for help text where it is non-obvious): every field a user fills in
    // says what it is for.
    id: 'HELP',
    description: 'every visible input field (auth, trigger, create) has help text',
    run: ({ definition }) =>
      visibleInputFields(definition)
        .filter(({ field }) => text(field.helpText) === '')
        .map(({ key }) => failure('HELP', key, 'a visible input field needs help text')),
  },
  {
    // D011 "Redundant Help Text": help text that only repeats the label says nothing.
    id: 'D011',
    description: 'help text does not merely repeat the label',
    run: ({ definition }) =>
      visibleInputFields(definition)
        .filter(({ field }) => text(field.helpText) !== '')
        .filter(({ field }) => words(text(field.helpText)) === words(text(field.label)))
        .map(({ key, field }) =>
          failure('D011', key, `help text "${text(field.helpText)}" only repeats the label`),
        ),
  },
  {
    // Keys: Zapier's schema makes each trigger/create/search `key` match its entry (so keys are
    // unique per kind) — "a unique identifier for this trigger". Nouns are NOT unique in Zapier:
    // several triggers on one object share its noun (New Contact, Updated Contact: "Contact");
    // the NOUN rule covers nouns. Labels must differ per kind, or two events read the same in the
    // Zap editor's event list.
    id: 'UNIQUE',
    description: 'keys match their entry and are unique per kind; labels are unique per kind',
    run: ({ definition }) =>
      ACTION_TYPES.flatMap((type) => {
        const all = components(definition).filter((c) => c.type === type);
        const mismatched = all
          .filter(({ key, action }) => action.key !== key)
          .map(({ path, action }) =>
            failure('UNIQUE', path, `declares key "${action.key}" under the entry "${path}"`),
          );
        const sameLabel = repeats(
          all.filter(({ action }) => action.display.hidden !== true),
          ({ action }) => words(text(action.display.label)),
        ).map(([{ path, action }, first]) =>
          failure(
            'UNIQUE',
            path,
            `has the same label as ${first}: "${text(action.display.label)}"`,
          ),
        );
        return [...mismatched, ...sameLabel];
      }),
  },
  {
    // Zapier: the noun is "a single noun that describes what this trigger watches for", used to
    // generate sentences, and "a noun you used in the Name field" (the label).
    id: 'NOUN',
    description: 'every trigger/create/search has a noun, and its label names it',
    run: ({ definition }) =>
      visible(definition).flatMap(({ path, action }) => {
        const noun = words(text(action.noun));
        if (noun === '') return [failure('NOUN', path, 'a noun is required')];
        return ` ${words(text(action.display.label))} `.includes(` ${noun} `)
          ? []
          : [
              failure(
                'NOUN',
                path,
                `noun "${text(action.noun)}" does not appear in the label "${text(action.display.label)}"`,
              ),
            ];
      }),
  },
  {
    // Ours: two triggers on one ISAO event would deliver every event twice and read the same.
    // The event is what performSubscribe actually sends (gathered without network).
    id: 'EVENT',
    description: 'every hook trigger subscribes to an event, and no two to the same one',
    run: ({ definition, subscriptions = {} }) => {
      const eventOf = ({ key }: Component): string => {
        const body = subscriptions[key];
        return isObject(body) ? text(body.event) : '';
      };
      const [named, unnamed] = partition(hookTriggers(definition), (c) => eventOf(c) !== '');
      return [
        ...unnamed.map(({ key, path }) =>
          failure(
            'EVENT',
            path,
            `performSubscribe sent no event (sent ${JSON.stringify(subscriptions[key])})`,
          ),
        ),
        ...repeats(named, eventOf).map(([component, first]) =>
          failure(
            'EVENT',
            component.path,
            `subscribes to "${eventOf(component)}", as ${first} already does`,
          ),
        ),
      ];
    },
  },
  {
    // Ours: src/<kind>/<key>.ts declares the key it is named after and reaches the definition, so a
    // copy-pasted key cannot silently replace another trigger in the `{[key]: trigger}` index.
    id: 'MODULE',
    description: 'each trigger/create module declares its file name as key and is in the app',
    run: ({ definition, modules = [] }) =>
      modules.flatMap(({ type, file, key }) => {
        const where = `${type}.${key}`;
        if (file !== key) {
          return [failure('MODULE', where, `src/${type}/${file}.ts declares the key "${key}"`)];
        }
        return definition[type]?.[key]
          ? []
          : [failure('MODULE', where, `src/${type}/${file}.ts is not registered in the app`)];
      }),
  },
];

/** `D021 triggers.deal_won: description must …`: how a failure reads in the test output. */
export const formatFailure = ({ id, key, message }: Failure): string => `${id} ${key}: ${message}`;
