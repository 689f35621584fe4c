/**
 * The ISAO app for Make, built from the core: the connection, one attached webhook and one
 * instant trigger per event of the event table, Create Contact and the universal "Make an API
 * call" module. Every event, field, sample, input, rule and message comes from core/; what is
 * written here is only how Make says it. layout.ts turns it into files; nothing is hand-kept.
 */
import { createHash } from 'node:crypto';
import { API_KEY_HELP, DEFAULT_API_URL, DOCS_URL, type IsaoCall } from '../core/api';
import {
  CONTACT_INPUTS,
  CONTACT_SAMPLE,
  PHONE,
  PHONE_SEPARATORS,
  TRUNK_PREFIX,
} from '../core/contacts';
import { outputFieldsFor, sampleFor } from '../core/delivery';
import { contact, type EntityKind, type OutputField } from '../core/entities';
import { EVENT_NAMES, EVENTS, type EventFacts, type IsaoEvent } from '../core/events';
import { isRecord } from '../core/inputs';
import { SIGNATURE_HEADER } from '../core/signatures';
import { subscribeCall, unsubscribeCall } from '../core/subscriptions';
import { createContactCall } from '../core/contacts';
import { API_WORDS, responseFor } from './errors';
import { iml, imlKey, type Json, type JsonObject, type MakeParam } from './iml';

/** Module types as the local-development layout names them, with Make's type ids. */
export const MODULE_TYPE_IDS = { action: 4, instant_trigger: 10, universal: 12 } as const;
export type ModuleType = keyof typeof MODULE_TYPE_IDS;

export interface ConnectionDef {
  id: string;
  label: string;
  connectionType: 'basic';
  codes: { communication: JsonObject; params: MakeParam[] };
}

export interface WebhookDef {
  id: string;
  label: string;
  webhookType: 'web';
  connection: string;
  event: IsaoEvent;
  codes: { communication: JsonObject; params: MakeParam[]; attach: JsonObject; detach: JsonObject };
}

export interface ModuleDef {
  id: string;
  label: string;
  description: string;
  moduleType: ModuleType;
  actionCrud?: 'create';
  connection: string;
  /** The webhook an instant trigger listens on. */
  webhook?: string;
  codes: {
    communication?: JsonObject;
    staticParams: MakeParam[];
    mappableParams?: MakeParam[];
    interface: MakeParam[];
    samples?: JsonObject;
  };
}

export interface AppDef {
  name: string;
  label: string;
  description: string;
  theme: string;
  language: string;
  base: JsonObject;
  groups: { label: string; modules: string[] }[];
  readme: string;
  connection: ConnectionDef;
  webhooks: WebhookDef[];
  modules: ModuleDef[];
}

/** A value from the core as JSON: plain data only (a function or a symbol would be a bug here). */
export const toJson = (value: unknown): Json => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  throw new Error(`not JSON data: ${typeof value}`);
};

const CONNECTION_ID = 'isao';
/** The connection's one parameter; `{{connection.apiKey}}` everywhere else. */
const API_KEY = 'apiKey';
const BEARER = (source: string) => `Bearer ${iml(`${source}.${API_KEY}`)}`;
/** Make hides these request parts in every log it keeps (the key travels in this header). */
const LOG = { sanitize: ['request.headers.authorization'] };

/** `new_contact` → `NewContact`. */
const pascal = (key: string): string =>
  key.replace(/(?:^|_)([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

const PARAM_TYPES: Readonly<Record<OutputField['type'], MakeParam['type']>> = {
  string: 'text',
  number: 'number',
  integer: 'integer',
  datetime: 'date',
};

/** One output field as a Make parameter: a list is an array of its type. */
const paramOf = (name: string, field: OutputField): MakeParam => {
  const type = PARAM_TYPES[field.type];
  return field.list
    ? { name, label: field.label, type: 'array', spec: { name: 'value', type } }
    : { name, label: field.label, type };
};

/** A tree of output fields: `client__firstName` is `firstName` in the `client` collection. */
type FieldTree = Map<string, OutputField | FieldTree>;

const treeOf = (fields: readonly OutputField[]): FieldTree => {
  const root: FieldTree = new Map();
  for (const field of fields) {
    const path = field.key.split('__');
    const leaf = path.pop() ?? field.key;
    let node = root;
    for (const part of path) {
      const next = node.get(part);
      const child: FieldTree =
        next instanceof Map ? next : new Map<string, OutputField | FieldTree>();
      node.set(part, child);
      node = child;
    }
    node.set(leaf, field);
  }
  return root;
};

/** Labels of the collections the core's keys imply (`client__…` → "Client"). */
const collectionLabel = (name: string): string =>
  name.replace(/^isao_event$/, 'ISAO Event').replace(/^./, (first) => first.toUpperCase());

/** Output fields as Make's interface: nested keys become collections, in the table's order. */
export const interfaceOf = (fields: readonly OutputField[]): MakeParam[] => {
  const params = (tree: FieldTree): MakeParam[] =>
    [...tree].map(([name, node]) =>
      node instanceof Map
        ? { name, label: collectionLabel(name), type: 'collection', spec: params(node) }
        : paramOf(name, node),
    );
  return params(treeOf(fields));
};

/** The same tree, each leaf given a value from its path (the IML that reads it, or a sample's). */
const mapTree = (fields: readonly OutputField[], leaf: (path: string[]) => Json): JsonObject => {
  const walk = (tree: FieldTree, path: string[]): JsonObject =>
    Object.fromEntries(
      [...tree].map(([name, node]) => [
        name,
        node instanceof Map ? walk(node, [...path, name]) : leaf([...path, name]),
      ]),
    );
  return walk(treeOf(fields), []);
};

/**
 * What Make adds to the Zapier trigger's fields, at the top of every bundle: the event id a
 * data store can remember (instant triggers have no de-duplication of their own) and the
 * signature ISAO sent, passed through (a Make webhook never sees the raw body, so it cannot be
 * checked there: docs/make.md).
 */
export const MAKE_TRIGGER_FIELDS: OutputField[] = [
  { key: 'eventId', label: 'Event ID (for skipping retried events)', type: 'string' },
  {
    key: 'signature',
    label: `Signature (${SIGNATURE_HEADER} header, not verified)`,
    type: 'string',
  },
];

/**
 * Where each field of a trigger bundle comes from in the request ISAO sends: the event's
 * metadata in the envelope (core/webhook.ts reads the same places), the signature header, and
 * any other field in the record (`data`) at its own path.
 */
const FIELD_SOURCES: Readonly<Record<string, string>> = {
  eventId: 'body.metadata.eventId',
  signature: `headers.${imlKey(SIGNATURE_HEADER.toLowerCase())}`,
  isao_event__type: 'body.event',
  isao_event__id: 'body.metadata.eventId',
  isao_event__occurred_at: 'body.timestamp',
  isao_event__source: 'body.metadata.source',
  isao_event__company_id: 'body.metadata.companyId',
  isao_event_key: 'body.metadata.eventId',
};

export const sourceOf = (path: readonly string[]): string =>
  FIELD_SOURCES[path.join('__')] ?? ['body', 'data', ...path].map(imlKey).join('.');

/** A trigger's fields: the Zapier trigger's (core/delivery.ts), then Make's own. */
export const triggerFieldsFor = (facts: EventFacts): OutputField[] => [
  ...outputFieldsFor(facts),
  ...MAKE_TRIGGER_FIELDS,
];

/** The value at a path of a record, null where it has none. */
const at = (record: unknown, path: readonly string[]): Json =>
  toJson(
    path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), record) ?? null,
  );

/** The trigger's sample: the Zapier trigger's sample record (core), shaped as the bundle is. */
const triggerSample = (facts: EventFacts): JsonObject => {
  const record = sampleFor(facts);
  const signature = createHash('sha256').update(JSON.stringify(record)).digest('base64');
  const whole = { ...record, eventId: record.isao_event.id, signature };
  return mapTree(triggerFieldsFor(facts), (path) => at(whole, path));
};

const webhookId = (facts: EventFacts): string =>
  pascal(facts.trigger).replace(/^./, (c) => c.toLowerCase());
const triggerId = (facts: EventFacts): string => `watch${pascal(facts.trigger)}`;

/** What attach saves for detach: the subscription's id, from ISAO's answer (wrapped in `data` or not). */
const SUBSCRIPTION_ID = 'subscriptionId';
const ANSWERED_ID = iml('ifempty(body.data.subscription_id; body.subscription_id)');

/**
 * A subscribe answer without a subscription id is refused (as the core's `subscribed` refuses
 * it): nothing could remove that subscription later. This check also covers `{success: false}`,
 * which carries no id.
 */
const SUBSCRIBED: JsonObject = {
  condition: ANSWERED_ID,
  type: 'DataError',
  message: `ISAO did not confirm the subscription (its answer has no subscription_id, so it could not be removed later): ${API_WORDS}.`,
};

/** A core call as a Make request: its URL under the base, method and JSON body. */
const request = ({ path, method, body }: IsaoCall): JsonObject => ({
  url: path,
  method,
  ...(body === undefined ? {} : { body: toJson(body) }),
});

/** Attach: subscribe the Make hook URL, and keep the subscription id that detach needs. */
const attachOf = (call: IsaoCall): JsonObject => ({
  ...request(call),
  response: responseFor(call, { valid: SUBSCRIBED, data: { [SUBSCRIPTION_ID]: ANSWERED_ID } }),
});

/** Detach: remove the subscription attach kept. */
const detachOf = (call: IsaoCall): JsonObject => ({
  ...request(call),
  response: responseFor(call),
});

/** Create Contact's call, its output the created contact (bare or in `data`). */
const createOf = (call: IsaoCall): JsonObject => ({
  ...request(call),
  response: responseFor(call, { output: iml('ifempty(body.data; body)') }),
});

/** One event's webhook: attach subscribes the Make hook URL, detach removes that subscription. */
const webhookFor = (facts: EventFacts): WebhookDef => ({
  id: webhookId(facts),
  label: facts.label,
  webhookType: 'web',
  connection: CONNECTION_ID,
  event: facts.event,
  codes: {
    communication: {
      output: mapTree(triggerFieldsFor(facts), (path) => iml(sourceOf(path))),
    },
    params: [],
    attach: attachOf(subscribeCall(facts.event, iml('webhook.url'), undefined)),
    detach: detachOf(unsubscribeCall(iml(`webhook.${SUBSCRIPTION_ID}`))),
  },
});

const triggerFor = (facts: EventFacts): ModuleDef => ({
  id: triggerId(facts),
  label: `Watch ${facts.label}`,
  description: facts.description,
  moduleType: 'instant_trigger',
  connection: CONNECTION_ID,
  webhook: webhookId(facts),
  codes: {
    staticParams: [],
    interface: interfaceOf(triggerFieldsFor(facts)),
    samples: triggerSample(facts),
  },
});

/**
 * The pattern Make checks a phone number against before the call: what the core accepts once
 * separators are removed (core/contacts.ts), written over the text as typed: up to 15 digits
 * (the core's E.164 bound), each after any run of the core's separators, after an optional `+`.
 */
export const phonePattern = (): string => {
  const digits = /\{(\d+),(\d+)\}/.exec(PHONE.source);
  if (!digits) throw new Error('core/contacts.ts PHONE no longer bounds its digits');
  const separator = PHONE_SEPARATORS.source;
  return `^${separator}*\\+?(?:${separator}*\\d){${digits[1] ?? ''},${digits[2] ?? ''}}${separator}*$`;
};

/** A regular expression as IML writes one (`/…/g`, every `/` escaped), for `replace()`. */
const imlRegex = (regex: RegExp): string =>
  `/${regex.source.replace(/(?<!\\)\//g, '\\/')}/${regex.flags}`;

/** The phone number as the core sends it: the `(0)` trunk prefix, then the separators, removed. */
const NORMALISED_PHONE = iml(
  `replace(replace(parameters.phoneNumber; ${imlRegex(TRUNK_PREFIX)}; "$1"); ${imlRegex(PHONE_SEPARATORS)}; emptystring)`,
);

/** Create Contact's inputs (core/contacts.ts) as Make's mappable parameters. */
const contactInputs = (): MakeParam[] =>
  CONTACT_INPUTS.map((input): MakeParam => {
    const base = {
      name: input.key,
      label: input.label,
      help: input.helpText,
      required: input.required,
    };
    if ('list' in input)
      return { ...base, type: 'array', spec: { name: 'value', type: 'text', label: 'Tag' } };
    if (input.key === 'phoneNumber')
      return { ...base, type: 'text', validate: { pattern: phonePattern() } };
    return { ...base, type: 'text' };
  });

/** What Create Contact sends: each input as typed, the phone number normalised as the core does. */
const contactBody = (): JsonObject =>
  Object.fromEntries(
    CONTACT_INPUTS.map((input) => [
      input.key,
      input.key === 'phoneNumber' ? NORMALISED_PHONE : iml(`parameters.${input.key}`),
    ]),
  );

const createContact = (): ModuleDef => ({
  id: 'createContact',
  label: 'Create a Contact',
  description: 'Creates a contact in ISAO.',
  moduleType: 'action',
  actionCrud: 'create',
  connection: CONNECTION_ID,
  codes: {
    communication: createOf(createContactCall(contactBody())),
    staticParams: [],
    mappableParams: contactInputs(),
    interface: interfaceOf(contact.outputFields),
    samples: mapTree(contact.outputFields, (path) => at(CONTACT_SAMPLE, path)),
  },
});

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const keyValues = (name: string, label: string): MakeParam => ({
  name,
  label,
  type: 'array',
  spec: [
    { name: 'key', label: 'Key', type: 'text', required: true },
    { name: 'value', label: 'Value', type: 'text' },
  ],
});

/**
 * The universal module Make's review requires: any call to the ISAO API with the connection's
 * key. Its URL must be relative (it starts with one `/`), so the key never leaves ISAO's API.
 */
const apiCall = (): ModuleDef => ({
  id: 'makeApiCall',
  label: 'Make an API Call',
  description: 'Performs an arbitrary authorized call to the ISAO API.',
  moduleType: 'universal',
  connection: CONNECTION_ID,
  codes: {
    communication: {
      url: iml('parameters.url'),
      method: iml('parameters.method'),
      headers: iml("toCollection(parameters.headers; 'key'; 'value')"),
      qs: iml("toCollection(parameters.qs; 'key'; 'value')"),
      body: iml('parameters.body'),
      type: 'json',
      response: responseFor(
        {},
        { output: { body: iml('body'), headers: iml('headers'), statusCode: iml('statusCode') } },
      ),
    },
    staticParams: [],
    mappableParams: [
      {
        name: 'url',
        label: 'URL',
        type: 'text',
        required: true,
        help: `A path relative to ${DEFAULT_API_URL}, for example \`/webhooks\`. See [the ISAO API documentation](${DOCS_URL}).`,
        validate: { pattern: '^/(?:[^/].*)?$' },
      },
      {
        name: 'method',
        label: 'Method',
        type: 'select',
        required: true,
        default: 'GET',
        options: METHODS.map((method) => ({ label: method, value: method })),
      },
      keyValues('headers', 'Headers'),
      keyValues('qs', 'Query String'),
      { name: 'body', label: 'Body', type: 'any' },
    ],
    interface: [
      { name: 'body', label: 'Body', type: 'any' },
      { name: 'headers', label: 'Headers', type: 'collection' },
      { name: 'statusCode', label: 'Status Code', type: 'number' },
    ],
  },
});

/** The module groups Make's module picker shows, one per record kind. */
const GROUPS: readonly (readonly [EntityKind, string])[] = [
  ['contact', 'Contacts'],
  ['deal', 'Deals'],
  ['appointment', 'Appointments'],
];

const README = `# ISAO

Connects Make scenarios to [ISAO](${DOCS_URL}), the CRM and scheduling API: an instant trigger for
each ISAO event (${EVENT_NAMES.length} of them), **Create a Contact**, and **Make an API Call**.

Each trigger subscribes its own Make webhook URL to ISAO when the webhook is created and removes
the subscription when it is deleted. Make cannot check ISAO's webhook signature (it never sees the
raw body) and instant triggers have no de-duplication: each bundle carries \`eventId\` and the
\`signature\` header so a scenario can skip a retried event with a data store.
`;

/** The whole app. */
export const buildApp = (): AppDef => {
  const events = EVENT_NAMES.map((event) => EVENTS[event]);
  const triggers = events.map(triggerFor);
  return {
    name: 'isao',
    label: 'ISAO',
    description:
      'ISAO CRM and scheduling: instant triggers for contacts, deals and appointments, and Create a Contact.',
    theme: '#1f4e79',
    language: 'en',
    base: {
      baseUrl: DEFAULT_API_URL,
      headers: { Authorization: BEARER('connection') },
      response: responseFor({}),
      log: LOG,
    },
    groups: [
      ...GROUPS.map(([kind, label]) => ({
        label,
        modules: [
          ...(kind === 'contact' ? ['createContact'] : []),
          ...events.filter((facts) => facts.entity.kind === kind).map(triggerId),
        ],
      })),
      { label: 'Other', modules: ['makeApiCall'] },
    ],
    readme: README,
    connection: {
      id: CONNECTION_ID,
      label: 'ISAO',
      connectionType: 'basic',
      codes: {
        // a connection does not inherit the base: its URL is absolute and it sets its own header
        communication: {
          url: `${DEFAULT_API_URL}/test`,
          method: 'GET',
          headers: { Authorization: BEARER('parameters') },
          response: responseFor({ path: '/test', permission: 'webhooks:read', authTest: true }),
          log: LOG,
        },
        params: [
          { name: API_KEY, label: 'API Key', type: 'password', required: true, help: API_KEY_HELP },
        ],
      },
    },
    webhooks: events.map(webhookFor),
    modules: [...triggers, createContact(), apiCall()],
  };
};
