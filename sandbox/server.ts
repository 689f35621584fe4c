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
 * core/filters.ts; see webhooks.ts). Everything it keeps is capped (see limits.ts),
 * so it runs for as long as needed, under any load, in bounded memory.
 *
 * Here the parts meet: routes/ (one file per resource), store/ (the records), webhooks.ts
 * (delivery), http.ts with auth.ts and rate-limit.ts (the plumbing). The command line is cli.ts.
 *
 * Programmatic: `startSandbox(options)`. Command line: `npm run sandbox -- --port 4010`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchesFilters } from '../core/filters';
import { createAuthenticator } from './auth';
import { BASE_PATH, callSandbox, createHandler, type CallResult } from './http';
import { DEFAULT_LIMITS, keepNewest, type SandboxLimits } from './limits';
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit';
import { accountRoutes } from './routes/account';
import { appointmentRoutes } from './routes/appointments';
import { contactRoutes } from './routes/contacts';
import { dealRoutes } from './routes/deals';
import { triggerRoutes } from './routes/triggers';
import { webhookRoutes } from './routes/webhooks';
import { createStore, type Change } from './store';
import {
  createDispatcher,
  DEFAULT_DELIVERY,
  envelope,
  type DeliveryAttempt,
  type DeliveryOptions,
  type Envelope,
  type Subscription,
} from './webhooks';

export type { Permission } from './auth';
export { BASE_PATH, callSandbox, type CallResult } from './http';
export { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit';

export const DEFAULT_API_KEY = 'isao_sandbox_key';
export const DEFAULT_RESTRICTED_API_KEY = 'isao_sandbox_contacts_only_key';
export const DEFAULT_SIGNING_SECRET = 'whsec_isao_sandbox';

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
  /** Stops a subscription as ISAO does: listed with `is_active: false`, delivered nothing. */
  deactivate: (subscriptionId: string) => boolean;
  /** The next `count` API requests are answered `status` (a server fault, a gateway's 502…). */
  failNext: (status: number, count?: number) => void;
  /** A real HTTP request to the sandbox, e.g. `call('POST', '/sandbox/deals', {title: 'X'})`. */
  call: (method: string, path: string, body?: unknown, apiKey?: string) => Promise<CallResult>;
  close: () => Promise<void>;
}

export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const log = options.log ?? (() => undefined);
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const restrictedApiKey = options.restrictedApiKey ?? DEFAULT_RESTRICTED_API_KEY;
  const company = { id: 'cmp_sandbox_0001', name: options.companyName ?? 'ISAO Sandbox Company' };
  const rateLimiter = createRateLimiter(
    options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit,
  );
  const limits: Readonly<SandboxLimits> = { ...DEFAULT_LIMITS, ...options.limits };
  const store = createStore({ companyId: company.id, limits });
  const subscriptions = new Map<string, Subscription>();
  const events: Envelope[] = [];
  const dispatcher = createDispatcher({
    delivery: { ...DEFAULT_DELIVERY, ...options.delivery },
    limits,
    signingSecret: () => options.signingSecret,
    isActive: (id) => {
      const subscription = subscriptions.get(id);
      return subscription !== undefined && subscription.active !== false;
    },
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
          (sub) =>
            sub.active !== false &&
            sub.event === env.event &&
            matchesFilters(env.data, sub.filters),
        );
        dispatcher.dispatch(env, targets);
      }
    };
  };

  const handle = createHandler({
    routes: [
      ...accountRoutes(company),
      ...webhookRoutes({ subscriptions, limits, attempts: dispatcher.attempts }),
      ...triggerRoutes(events),
      ...contactRoutes(store),
      ...dealRoutes(store),
      ...appointmentRoutes(store),
    ],
    authenticate: createAuthenticator(apiKey, restrictedApiKey),
    throttle: rateLimiter.throttle,
    emit,
    log,
  });
  const faults = { status: 500, count: 0 };
  const server = createServer((req, res) => {
    if (faults.count > 0) {
      faults.count -= 1;
      res
        .writeHead(faults.status, { 'Content-Type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ success: false, message: 'Sandbox fault, as asked' }));
      return;
    }
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
        rateLimitWindows: rateLimiter.windows(),
      };
    },
    idle: dispatcher.idle,
    setRateLimit: rateLimiter.set,
    deactivate: (subscriptionId) => {
      const subscription = subscriptions.get(subscriptionId);
      if (subscription) subscription.active = false;
      return subscription !== undefined;
    },
    failNext: (status, count = 1) => {
      Object.assign(faults, { status, count });
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
