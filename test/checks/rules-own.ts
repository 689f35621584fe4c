/**
 * The project's own checks beside Zapier's (rules.ts, which runs these after its own): a sample
 * a minimal live record would deliver (LIVE), halts only where HALTS_ALLOWED lists them (HALT),
 * help text (HELP, with Zapier's D011), unique keys, labels and nouns (UNIQUE, NOUN), events
 * (EVENT) and modules (MODULE).
 */
import {
  ACTION_TYPES,
  MINIMAL_RUN,
  type Rule,
  isObject,
  text,
  type Component,
  components,
  visible,
  hasSample,
  failure,
  partition,
  repeats,
  hookTriggers,
} from './definition';
import { visibleInputFields, words, sampleKeysMissing } from './values';

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

export const OWN_RULES: readonly Rule[] = [
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
