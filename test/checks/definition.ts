/**
 * The app definition as Zapier's publishing checks read it (rules.ts, rules-own.ts), what the live
 * app adds to it (gathered by evidence.ts), and the ways of walking it the rules share: every
 * trigger, create and search, the visible ones, samples, and a rule that judges them one by one.
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

export interface Rule {
  id: string;
  description: string;
  run: (evidence: Evidence) => Failure[];
}

export type Json = Record<string, unknown>;

export const isObject: (value: unknown) => value is Json = isRecord;

export const isField = (value: unknown): value is FieldDef =>
  isObject(value) && typeof value.key === 'string';

export const fieldsOf = (list: unknown): FieldDef[] =>
  Array.isArray(list) ? list.filter(isField) : [];

export const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export interface Component {
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
export const visible = (definition: Definition): Component[] =>
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

export const hasSample = (action: ActionDef): boolean =>
  isObject(action.operation.sample) && Object.keys(action.operation.sample).length > 0;

/** The static sample with each output field's own `sample` taking precedence, as Zapier merges. */
export const effectiveSample = (action: ActionDef): Json => {
  const flat = flatten(action.operation.sample);
  for (const field of fieldsOf(action.operation.outputFields)) {
    if (field.sample !== undefined) flat[field.key] = field.sample;
  }
  return flat;
};

export const failure = (id: string, key: string, message: string): Failure => ({
  id,
  key,
  message,
});

/** A rule judging components one by one: `problem` says what is wrong with one, if anything. */
export const perComponent = (
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

export const partition = <T>(list: T[], test: (item: T) => boolean): [T[], T[]] => [
  list.filter(test),
  list.filter((item) => !test(item)),
];

/** Each component whose value an earlier one already has, paired with that earlier one's path. */
export const repeats = (
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

export const hookTriggers = (definition: Definition): Component[] =>
  components(definition).filter(
    ({ type, action }) => type === 'triggers' && action.operation.type === 'hook',
  );

export const visibleOf =
  (type: ActionType) =>
  (definition: Definition): Component[] =>
    visible(definition).filter((c) => c.type === type);
