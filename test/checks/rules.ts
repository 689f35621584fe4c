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
import {
  type Failure,
  type Rule,
  isObject,
  fieldsOf,
  text,
  components,
  visible,
  hasSample,
  effectiveSample,
  failure,
  perComponent,
  hookTriggers,
  visibleOf,
} from './definition';
import {
  isIso8601,
  looksLikeDate,
  stringLeaves,
  typeMismatch,
  titleCase,
  MARKDOWN_LINK,
  operationsToRun,
  sampleKeysMissing,
} from './values';
import { OWN_RULES } from './rules-own';

/** Words that only repeat the app's name in a description ("… in ISAO."). */
const APP_NAME_FILLER = /\b(in|to|from|on) ISAO\b/;

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
  ...OWN_RULES,
];

/** `D021 triggers.deal_won: description must …`: how a failure reads in the test output. */
export const formatFailure = ({ id, key, message }: Failure): string => `${id} ${key}: ${message}`;
