/**
 * The ISAO sandbox: an in-memory implementation of ISAO's external API (as its webhooks guide documents it) on node:http,
 * so the app runs end to end with no ISAO account and no network.
 *
 * Documented endpoints, under `/api/external` like the real API: `GET /test`,
 * `POST /webhooks/subscribe`, `DELETE /webhooks/unsubscribe`, `GET /webhooks`,
 * `GET /triggers/:event/sample`, `GET /triggers/:event/recent?limit&since`, `POST /contacts`.
 * Sandbox-only endpoints under `/sandbox/` stand in for what people do in the ISAO app (edit a
 * contact, move or win a deal, book an appointment) and emit the matching events; webhooks go to
 * every subscription for the event whose filters the record passes (the app's own predicate,
 * src/lib/filters.ts; see webhooks.ts). Everything it keeps is capped (see limits.ts),
 * so it runs for as long as needed, under any load, in bounded memory.
 *
 * Programmatic: `startSandbox(options)`. Command line: `npm run sandbox -- --port 4010`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { FILTERS, matchesFilters, type FilterKey, type FilterValues } from '../src/lib/filters';
import { EVENT_NAMES, isIsaoEvent, sampleOf, type IsaoEvent } from '../src/lib/events';
import {
  DEFAULT_LIMITS,
  keepNewest,
  MAX_FILTER_VALUE_LENGTH,
  MAX_FILTER_VALUES,
  MAX_TARGET_URL_LENGTH,
  type SandboxLimits,
} from './limits';
import { ApiError, type FieldError } from './api-error';
import { createStore, type Change, type Json } from './store';
import {
  createDispatcher,
  DEFAULT_DELIVERY,
  envelope,
  type DeliveryAttempt,
  type DeliveryOptions,
  type Envelope,
  type Subscription,
} from './webhooks';
import { isRecord } from '../src/lib/inputs';

export const BASE_PATH = '/api/external';
export const DEFAULT_API_KEY = 'isao_sandbox_key';
export const DEFAULT_RESTRICTED_API_KEY = 'isao_sandbox_contacts_only_key';
export const DEFAULT_SIGNING_SECRET = 'whsec_isao_sandbox';
const MAX_BODY_BYTES = 1024 * 1024;
const RECENT_DEFAULT = 50;
const RECENT_MAX = 100;

export type Permission = 'webhooks:read' | 'webhooks:write' | 'contacts:read' | 'contacts:write';
const ALL_PERMISSIONS: Permission[] = [
  'webhooks:read',
  'webhooks:write',
  'contacts:read',
  'contacts:write',
];

interface ApiKey {
  name: string;
  permissions: readonly Permission[];
}

/** At most `requests` per API key in each window of `windowMs`; beyond that, 429. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 600, windowMs: 60_000 };

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** A key with every permission. */
  apiKey?: string;
  /** A key for the same company without the webhook permissions (403 on webhook endpoints). */
  restrictedApiKey?: string;
  companyName?: string;
  /** Sign webhooks with this secret; unsigned when absent. */
  signingSecret?: string;
  /** DEFAULT_RATE_LIMIT unless given; false for none. */
  rateLimit?: RateLimit | false;
  /** Retries, backoff and per-attempt timeout of webhook deliveries. */
  delivery?: Partial<DeliveryOptions>;
  /** One line per request and per delivery attempt; silent by default. */
  log?: (line: string) => void;
  /** What is kept, and how much (DEFAULT_LIMITS for what is not given). */
  limits?: Partial<SandboxLimits>;
}

/** How much the sandbox holds right now: each stays within its limit. */
export interface SandboxSizes {
  contacts: number;
  deals: number;
  appointments: number;
  events: number;
  deliveryAttempts: number;
  subscriptions: number;
  /** Events waiting for delivery, over all subscriptions (in-flight ones not counted). */
  queuedDeliveries: number;
  /** Events dropped from a full delivery queue so far. */
  droppedDeliveries: number;
  /** One per API key that made a request in the current window. */
  rateLimitWindows: number;
}

export interface Sandbox {
  /** `http://127.0.0.1:PORT/api/external`: what ISAO_API_URL should be. */
  baseUrl: string;
  port: number;
  apiKey: string;
  restrictedApiKey: string;
  company: { id: string; name: string };
  signingSecret: string | undefined;
  /** The events emitted, oldest first: the newest `limits.events`. */
  events: readonly Envelope[];
  /** The delivery attempts, oldest first: the newest `limits.deliveryAttempts`. */
  deliveries: readonly DeliveryAttempt[];
  limits: Readonly<SandboxLimits>;
  sizes: () => SandboxSizes;
  /** Resolves when every queued webhook has been delivered or given up. */
  idle: () => Promise<void>;
  setRateLimit: (limit: RateLimit | false) => void;
  /** A real HTTP request to the sandbox, e.g. `call('POST', '/sandbox/deals', {title: 'X'})`. */
  call: (method: string, path: string, body?: unknown, apiKey?: string) => Promise<CallResult>;
  close: () => Promise<void>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body. */
  body: unknown;
}

/** A request to the API at baseUrl with a bearer key, as any client would send it. */
export const callSandbox = async (
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<CallResult> => {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
};

interface Context {
  params: string[];
  query: URLSearchParams;
  body: Json;
}

interface Reply {
  status?: number;
  body: unknown;
  changes?: Change[];
}

interface Route {
  method: string;
  pattern: RegExp;
  /** The permission the key needs; undefined: any valid key. */
  permission?: Permission;
  /** The metadata.source of events it emits. */
  source?: string;
  handle: (ctx: Context) => Reply;
}

const isObject = isRecord;

const fieldError = (field: string, message: string): ApiError =>
  new ApiError(422, 'Validation failed', [{ field, message }]);

const FILTER_KEYS = Object.keys(FILTERS) as FilterKey[];
const isFilterKey = (key: string): key is FilterKey => Object.hasOwn(FILTERS, key);
const isTextList = (value: unknown): value is string[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.length <= MAX_FILTER_VALUES &&
  value.every(
    (item: unknown) =>
      typeof item === 'string' &&
      item.trim() !== '' &&
      item.trim().length <= MAX_FILTER_VALUE_LENGTH,
  );

/**
 * A subscription's `filters`: an object with any of the app's filter keys (src/lib/filters.ts),
 * each a non-empty list of non-blank strings (kept trimmed), within the sandbox's size limits. Problems go to `errors`, one per
 * field; undefined when there is no filter.
 */
const readFilters = (raw: unknown, errors: FieldError[]): FilterValues | undefined => {
  if (raw === undefined) return undefined;
  const allowed = `filters may only contain ${FILTER_KEYS.join(', ')}`;
  if (!isObject(raw)) {
    errors.push({ field: 'filters', message: `${allowed}, as an object` });
    return undefined;
  }
  const unknown = Object.keys(raw).filter((key) => !isFilterKey(key));
  if (unknown.length > 0) {
    errors.push({ field: 'filters', message: `${allowed}, not ${unknown.join(', ')}` });
    return undefined;
  }
  const filters: FilterValues = {};
  for (const key of FILTER_KEYS) {
    const values = raw[key];
    if (values === undefined) continue;
    if (!isTextList(values)) {
      errors.push({
        field: `filters.${key}`,
        message: `filters.${key} must be a list of 1 to ${String(MAX_FILTER_VALUES)} non-blank strings of at most ${String(MAX_FILTER_VALUE_LENGTH)} characters`,
      });
      continue;
    }
    filters[key] = values.map((value) => value.trim());
  }
  return Object.keys(filters).length > 0 ? filters : undefined;
};

const readBody = async (req: IncomingMessage): Promise<Json> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'Request body is not valid JSON');
  }
  if (!isObject(parsed)) throw new ApiError(400, 'Request body must be a JSON object');
  return parsed;
};

const send = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
};

const errorBody = (message: string, errors: readonly FieldError[]) => ({
  success: false,
  message,
  ...(errors.length > 0 ? { errors } : {}),
});

const intParam = (query: URLSearchParams, name: string): number | undefined => {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiError(400, `${name} must be a positive whole number`);
  }
  return Number(raw);
};

export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const log = options.log ?? (() => undefined);
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const restrictedApiKey = options.restrictedApiKey ?? DEFAULT_RESTRICTED_API_KEY;
  const company = { id: 'cmp_sandbox_0001', name: options.companyName ?? 'ISAO Sandbox Company' };
  const keys = new Map<string, ApiKey>([
    [apiKey, { name: 'Sandbox key (all permissions)', permissions: ALL_PERMISSIONS }],
    [
      restrictedApiKey,
      { name: 'Sandbox key (contacts only)', permissions: ['contacts:read', 'contacts:write'] },
    ],
  ]);
  let rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const windows = new Map<string, { count: number; resetAt: number }>();

  const limits: Readonly<SandboxLimits> = { ...DEFAULT_LIMITS, ...options.limits };
  const store = createStore({ companyId: company.id, limits });
  const subscriptions = new Map<string, Subscription>();
  const events: Envelope[] = [];
  let hookCount = 0;
  const dispatcher = createDispatcher({
    delivery: { ...DEFAULT_DELIVERY, ...options.delivery },
    limits,
    signingSecret: () => options.signingSecret,
    isActive: (id) => subscriptions.has(id),
    log,
  });

  /** Records the changes' events now (so /recent sees them) and returns their deliveries. */
  const emit = (changes: readonly Change[], source: string): (() => void) => {
    const emitted = changes.map(({ event, record }) => {
      const env = envelope(event, record, company.id, source, new Date());
      events.push(env);
      return env;
    });
    keepNewest(events, limits.events);
    return () => {
      for (const env of emitted) {
        const targets = [...subscriptions.values()].filter(
          (sub) => sub.event === env.event && matchesFilters(env.data, sub.filters),
        );
        dispatcher.dispatch(env, targets);
      }
    };
  };

  const subscribe = ({ body }: Context): Reply => {
    const errors: FieldError[] = [];
    if (!isIsaoEvent(body.event)) {
      errors.push({ field: 'event', message: `event must be one of: ${EVENT_NAMES.join(', ')}` });
    }
    let target: URL | undefined;
    try {
      target = typeof body.target_url === 'string' ? new URL(body.target_url) : undefined;
    } catch {
      target = undefined;
    }
    if (!target || !['http:', 'https:'].includes(target.protocol)) {
      errors.push({ field: 'target_url', message: 'target_url must be an http(s) URL' });
    } else if (target.href.length > MAX_TARGET_URL_LENGTH) {
      errors.push({
        field: 'target_url',
        message: `target_url must be at most ${String(MAX_TARGET_URL_LENGTH)} characters`,
      });
    }
    const filters = readFilters(body.filters, errors);
    if (errors.length > 0 || !target || !isIsaoEvent(body.event)) {
      throw new ApiError(422, 'Invalid webhook subscription', errors);
    }
    if (subscriptions.size >= limits.subscriptions) {
      throw new ApiError(
        409,
        `This account already has ${String(limits.subscriptions)} webhook subscriptions, the sandbox's limit: unsubscribe one first`,
      );
    }
    hookCount += 1;
    const subscription: Subscription = {
      id: `hook_${String(hookCount)}`,
      subscription_id: `sub_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      event: body.event,
      target_url: target.href,
      ...(filters ? { filters } : {}),
      created_at: new Date().toISOString(),
    };
    subscriptions.set(subscription.subscription_id, subscription);
    return { status: 201, body: { success: true, data: subscription } };
  };

  const unsubscribe = ({ body, query }: Context): Reply => {
    const id = body.subscription_id ?? query.get('subscription_id');
    if (typeof id !== 'string' || !id)
      throw fieldError('subscription_id', 'subscription_id is required');
    if (!subscriptions.delete(id)) throw new ApiError(404, `Subscription ${id} not found`);
    return { body: { success: true, message: 'Webhook unsubscribed successfully' } };
  };

  const listWebhooks = (): Reply => ({
    body: {
      success: true,
      data: [...subscriptions.values()].map(({ event, ...sub }) => ({
        ...sub,
        event_type: event,
        is_active: true,
      })),
    },
  });

  const triggerEvent = (name: string | undefined): IsaoEvent => {
    if (!isIsaoEvent(name)) throw new ApiError(404, `Unknown event type ${String(name)}`);
    return name;
  };

  /** The records of this event type, newest first, each record once (its latest state). */
  const recent = ({ params, query }: Context): Reply => {
    const event = triggerEvent(params[0]);
    const limit = Math.min(intParam(query, 'limit') ?? RECENT_DEFAULT, RECENT_MAX);
    const sinceRaw = query.get('since');
    const since = sinceRaw ? Date.parse(sinceRaw) : -Infinity;
    if (Number.isNaN(since)) throw new ApiError(400, 'since must be an ISO-8601 date-time');
    const seen = new Set<unknown>();
    const records: Json[] = [];
    for (const env of [...events].reverse()) {
      if (records.length >= limit) break;
      if (env.event !== event || Date.parse(env.timestamp) < since || seen.has(env.data.id)) {
        continue;
      }
      seen.add(env.data.id);
      records.push(env.data);
    }
    return { body: records };
  };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/test$/,
      handle: () => ({ body: { success: true, data: { company } } }),
    },
    {
      method: 'POST',
      pattern: /^\/webhooks\/subscribe$/,
      permission: 'webhooks:write',
      handle: subscribe,
    },
    {
      method: 'DELETE',
      pattern: /^\/webhooks\/unsubscribe$/,
      permission: 'webhooks:write',
      handle: unsubscribe,
    },
    { method: 'GET', pattern: /^\/webhooks$/, permission: 'webhooks:read', handle: listWebhooks },
    {
      method: 'GET',
      pattern: /^\/triggers\/([^/]+)\/sample$/,
      permission: 'webhooks:read',
      handle: ({ params }) => ({ body: sampleOf(triggerEvent(params[0])) }),
    },
    {
      method: 'GET',
      pattern: /^\/triggers\/([^/]+)\/recent$/,
      permission: 'webhooks:read',
      handle: recent,
    },
    {
      method: 'POST',
      pattern: /^\/contacts$/,
      permission: 'contacts:write',
      source: 'api',
      handle: ({ body }) => created(store.createContact(body)),
    },
    // Sandbox-only: what people do in the ISAO app, each emitting its events.
    ...recordRoutes('contacts', store.contacts, store.createContact, store.updateContact),
    ...recordRoutes('deals', store.deals, store.createDeal, store.updateDeal),
    ...recordRoutes(
      'appointments',
      store.appointments,
      store.createAppointment,
      store.updateAppointment,
    ),
    {
      method: 'DELETE',
      pattern: /^\/sandbox\/appointments\/([^/]+)$/,
      handle: ({ params }) => {
        const changes = store.deleteAppointment(String(params[0]));
        return { body: { success: true, data: changes[0]?.record }, changes };
      },
    },
    {
      method: 'GET',
      pattern: /^\/sandbox\/deliveries$/,
      handle: () => ({ body: { success: true, data: dispatcher.attempts } }),
    },
  ];

  function created(changes: Change[]): Reply {
    return { status: 201, body: { success: true, data: changes[0]?.record }, changes };
  }

  /** `POST /sandbox/<plural>` and `PATCH /sandbox/<plural>/:id` for one kind of record. */
  function recordRoutes(
    plural: string,
    records: ReadonlyMap<string, Json>,
    create: (body: Json) => Change[],
    update: (id: string, body: Json) => Change[],
  ): Route[] {
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^/sandbox/${plural}$`),
        handle: ({ body }) => created(create(body)),
      },
      {
        method: 'PATCH',
        pattern: new RegExp(`^/sandbox/${plural}/([^/]+)$`),
        handle: ({ params, body }) => {
          const id = String(params[0]);
          const changes = update(id, body);
          return { body: { success: true, data: records.get(id) }, changes };
        },
      },
    ];
  }

  /** Fixed window per key; throws 429 with Retry-After when the key is over its limit. */
  const throttle = (key: string): Record<string, string> => {
    if (!rateLimit) return {};
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + rateLimit.windowMs };
      windows.set(key, window);
    }
    window.count += 1;
    const headers = {
      'X-RateLimit-Limit': String(rateLimit.requests),
      'X-RateLimit-Remaining': String(Math.max(0, rateLimit.requests - window.count)),
      'X-RateLimit-Reset': String(Math.ceil(window.resetAt / 1000)),
    };
    if (window.count > rateLimit.requests) {
      const retryAfter = String(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
      throw new ApiError(
        429,
        `Rate limit exceeded: ${String(rateLimit.requests)} requests per ${String(rateLimit.windowMs / 1000)} s. Retry after ${retryAfter} s.`,
        [],
        { ...headers, 'Retry-After': retryAfter },
      );
    }
    return headers;
  };

  const authenticate = (req: IncomingMessage): [string, ApiKey] => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const key = match?.[1] ? keys.get(match[1]) : undefined;
    if (!match?.[1] || !key) {
      throw new ApiError(
        401,
        match ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer YOUR_API_KEY',
      );
    }
    return [match[1], key];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    let headers: Record<string, string> = {};
    try {
      if (!url.pathname.startsWith(`${BASE_PATH}/`)) {
        throw new ApiError(404, `Not found: the API lives under ${BASE_PATH}`);
      }
      const path = url.pathname.slice(BASE_PATH.length).replace(/\/+$/, '');
      const candidates = routes.filter((r) => r.pattern.test(path));
      const route = candidates.find((r) => r.method === method);
      if (!route) {
        if (candidates.length === 0)
          throw new ApiError(404, `Not found: ${method} ${url.pathname}`);
        throw new ApiError(405, `Method ${method} not allowed`, [], {
          Allow: candidates.map((r) => r.method).join(', '),
        });
      }
      const [token, key] = authenticate(req);
      headers = throttle(token);
      if (route.permission && !key.permissions.includes(route.permission)) {
        throw new ApiError(403, `This API key lacks the ${route.permission} permission`);
      }
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : {};
      const params = (route.pattern.exec(path) ?? []).slice(1).map((param) => {
        try {
          return decodeURIComponent(param);
        } catch {
          throw new ApiError(400, `Malformed percent-encoding in the path: ${param}`);
        }
      });
      const reply = route.handle({ params, query: url.searchParams, body });
      const deliver = emit(reply.changes ?? [], route.source ?? 'sandbox');
      // The answer goes first; webhooks follow once it is on its way.
      res.on('finish', deliver);
      send(res, reply.status ?? 200, reply.body, headers);
      log(`${method} ${url.pathname}${url.search} → ${String(reply.status ?? 200)}`);
    } catch (error) {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError(
              500,
              `Sandbox error: ${error instanceof Error ? error.message : String(error)}`,
            );
      send(res, failure.status, errorBody(failure.message, failure.errors), {
        ...headers,
        ...failure.headers,
      });
      log(`${method} ${url.pathname}${url.search} → ${String(failure.status)} ${failure.message}`);
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${String(address.port)}${BASE_PATH}`;

  return {
    baseUrl,
    port: address.port,
    apiKey,
    restrictedApiKey,
    company,
    signingSecret: options.signingSecret,
    events,
    deliveries: dispatcher.attempts,
    limits,
    sizes: () => {
      const backlog = dispatcher.backlog();
      return {
        contacts: store.contacts.size,
        deals: store.deals.size,
        appointments: store.appointments.size,
        events: events.length,
        deliveryAttempts: dispatcher.attempts.length,
        subscriptions: subscriptions.size,
        queuedDeliveries: backlog.waiting,
        droppedDeliveries: backlog.dropped,
        rateLimitWindows: windows.size,
      };
    },
    idle: dispatcher.idle,
    setRateLimit: (limit) => {
      rateLimit = limit;
      windows.clear();
    },
    call: (method, path, body, key = apiKey) => callSandbox(baseUrl, key, method, path, body),
    close: async () => {
      dispatcher.close();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
};

const USAGE = `Usage: npm run sandbox -- [options]

  --port N             port to listen on (default 4010; 0 picks a free one)
  --host H             address to bind (default 127.0.0.1)
  --api-key K          the full-access API key (default ${DEFAULT_API_KEY})
  --secret S           webhook signing secret (default ${DEFAULT_SIGNING_SECRET})
  --unsigned           send webhooks without a signature
  --rate-limit N       requests per minute per key (default ${String(DEFAULT_RATE_LIMIT.requests)}; 0: none)
  --retry-delay MS     first retry backoff for failed webhooks (default ${String(DEFAULT_DELIVERY.backoffMs)})
`;

/** `npm run sandbox -- --port N`: runs until interrupted, logging requests and deliveries. */
const main = async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string' },
      secret: { type: 'string', default: DEFAULT_SIGNING_SECRET },
      unsigned: { type: 'boolean', default: false },
      'rate-limit': { type: 'string' },
      'retry-delay': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const number = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new Error(`--${name} takes a whole number, not "${raw}"`);
    return Number(raw);
  };
  const perMinute = number('rate-limit', values['rate-limit']);
  const retryDelay = number('retry-delay', values['retry-delay']);
  const sandbox = await startSandbox({
    port: number('port', values.port) ?? 4010,
    host: values.host,
    ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
    ...(values.unsigned ? {} : { signingSecret: values.secret }),
    ...(perMinute === undefined
      ? {}
      : { rateLimit: perMinute === 0 ? false : { requests: perMinute, windowMs: 60_000 } }),
    ...(retryDelay === undefined ? {} : { delivery: { backoffMs: retryDelay } }),
    log: (line) => {
      process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
    },
  });
  const b = sandbox.baseUrl;
  const rateLine =
    perMinute === 0
      ? 'none'
      : `${String(perMinute ?? DEFAULT_RATE_LIMIT.requests)} requests a minute per key`;
  process.stdout.write(`ISAO sandbox API running at ${b}

  API key (all permissions):           ${sandbox.apiKey}
  API key (no webhook permissions):    ${sandbox.restrictedApiKey}
  Webhook signing secret:              ${sandbox.signingSecret ?? '(none: webhooks are unsigned)'}
  Company:                             ${sandbox.company.name} (${sandbox.company.id})
  Rate limit:                          ${rateLine}

Point the app at it, e.g. in .env for \`npx zapier-platform invoke\`:
  ISAO_API_URL=${b}
  authData_api_key=${sandbox.apiKey}${sandbox.signingSecret ? `\n  authData_webhook_secret=${sandbox.signingSecret}` : ''}

Make something happen (each emits its ISAO event to matching subscriptions):
  curl -s -X POST ${b}/contacts -H 'Authorization: Bearer ${sandbox.apiKey}' \\
       -H 'Content-Type: application/json' -d '{"name":"Ada Lovelace","phoneNumber":"+44 20 7946 0958"}'
  also: PATCH ${BASE_PATH}/sandbox/contacts/:id, POST ${BASE_PATH}/sandbox/deals,
        PATCH ${BASE_PATH}/sandbox/deals/:id ({"stage":…} or {"status":"won"|"lost"}),
        POST ${BASE_PATH}/sandbox/appointments, PATCH|DELETE ${BASE_PATH}/sandbox/appointments/:id,
        GET ${BASE_PATH}/sandbox/deliveries
Ctrl-C stops it.
`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

/** listen()'s error for a port in use carries the address and port it tried. */
const portInUse = (error: unknown): error is NodeJS.ErrnoException & { port: number } =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      portInUse(error)
        ? `Port ${String(error.port)} is in use: pick another with \`npm run sandbox -- --port N\` (0 picks a free one).\n`
        : `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    process.exitCode = 1;
  });
}
