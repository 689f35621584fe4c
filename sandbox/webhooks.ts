/**
 * The sandbox's webhook side, as ISAO's webhooks guide describes them: REST-hook subscriptions with optional
 * `filters` (tags, stage, staff, location: core/filters.ts), the event envelope `{event, timestamp, data, metadata:{companyId, eventId,
 * source}}`, an `X-Isao-Hmac-Sha256` signature (base64 HMAC-SHA256 of the exact body bytes) when a
 * signing secret is set, and delivery retried up to 3 times with backoff on a non-2xx answer, a
 * timeout or a connection error, with the same eventId every time. Each subscription gets its
 * events in the order they happened, and nothing here ever delays the API request that caused
 * the event. What waits and what is recorded is bounded (limits.ts): the events waiting for one
 * subscription take at most `queuedBytesPerSubscription` (beyond it the oldest waiting ones are
 * dropped, each logged), and the newest `deliveryAttempts` attempts are kept.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SIGNATURE_HEADER } from '../core/signatures';
import {
  deliverOnSchedule,
  delivered,
  ISAO_DELIVERY,
  type DeliverySchedule,
} from '../core/schedule';
import type { FilterValues } from '../core/filters';
import type { IsaoEvent } from '../core/events';
import { DEFAULT_LIMITS, keepNewest, type SandboxLimits } from './limits';
import { signWebhook } from './signing';
import type { Json } from './store';

// the header the app verifies (src/lib/delivery.ts); the sandbox signs with it
export { SIGNATURE_HEADER };

export interface Subscription {
  id: string;
  subscription_id: string;
  event: IsaoEvent;
  target_url: string;
  /** Only records that pass the app's own `matchesFilters` (core/filters.ts) are delivered. */
  filters?: FilterValues;
  created_at: string;
  /** False once ISAO stopped it (`Sandbox.deactivate`): still listed, never delivered to. */
  active?: boolean;
}

export interface Envelope {
  event: IsaoEvent;
  timestamp: string;
  data: Json;
  metadata: { companyId: string; eventId: string; source: string };
}

export const envelope = (
  event: IsaoEvent,
  data: Json,
  companyId: string,
  source: string,
  at: Date,
): Envelope => ({
  event,
  timestamp: at.toISOString(),
  data,
  metadata: { companyId, eventId: `evt_${randomUUID()}`, source },
});

/** Retries, backoff and per-attempt timeout: ISAO's schedule (core/schedule.ts) by default. */
export type DeliveryOptions = DeliverySchedule;

export const DEFAULT_DELIVERY: DeliveryOptions = ISAO_DELIVERY;

export interface DeliveryAttempt {
  eventId: string;
  event: IsaoEvent;
  subscriptionId: string;
  targetUrl: string;
  /** 1 for the first try, up to 1 + retries. */
  attempt: number;
  ok: boolean;
  /** The target's HTTP status, or undefined when there was none (timeout, refused…). */
  status?: number;
  error?: string;
  at: string;
}

interface PostResult {
  status?: number;
  error?: string;
}

/** One POST of the exact body bytes; never throws. `track` gets the request so it can be cut. */
const post = (
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  track: (req: ClientRequest) => () => void,
): Promise<PostResult> =>
  new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(body.length), Connection: 'close' },
      // a connection of its own, as ISAO opens: node's keep-alive agent would otherwise keep
      // the socket of a receiver that closes after each answer without saying so (Python's
      // http.server, under Django's runserver) and hand it to the process's next request
      agent: false,
      timeout: timeoutMs,
    });
    const untrack = track(req);
    const done = (result: PostResult) => {
      untrack();
      resolve(result);
    };
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        done({ status: res.statusCode });
      });
      res.on('error', (error) => {
        done({ status: res.statusCode, error: error.message });
      });
    });
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${String(timeoutMs)} ms`));
    });
    req.on('error', (error) => {
      done({ error: error.message });
    });
    req.end(body);
  });

/** An event waiting for delivery, with the exact body bytes it is sent (and signed) as. */
interface Queued {
  event: Envelope;
  body: Buffer;
}

export interface DispatcherOptions {
  delivery: DeliveryOptions;
  limits?: Pick<SandboxLimits, 'deliveryAttempts' | 'queuedBytesPerSubscription'>;
  /** Read at each delivery, so tests and the CLI can change it. */
  signingSecret: () => string | undefined;
  /** A subscription removed meanwhile gets no further attempts. */
  isActive: (subscriptionId: string) => boolean;
  log: (line: string) => void;
}

/** Delivers envelopes to subscriptions: one ordered queue per subscription, retries with backoff. */
export const createDispatcher = ({
  delivery,
  limits = DEFAULT_LIMITS,
  signingSecret,
  isActive,
  log,
}: DispatcherOptions) => {
  const attempts: DeliveryAttempt[] = [];
  /** Per subscription: the events waiting (not the one in flight), their size, and the worker. */
  const queues = new Map<string, { waiting: Queued[]; bytes: number; done: Promise<void> }>();
  /** Events dropped from a full queue, over the dispatcher's life. */
  let dropped = 0;
  let stopped = false;
  const isStopped = () => stopped;
  /** Pending backoff timers and in-flight requests, so close() can end them at once. */
  const sleeping = new Map<NodeJS.Timeout, () => void>();
  const inFlight = new Set<ClientRequest>();
  const track = (req: ClientRequest) => {
    inFlight.add(req);
    return () => inFlight.delete(req);
  };

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        sleeping.delete(timer);
        resolve();
      }, ms);
      sleeping.set(timer, resolve);
    });

  const deliverOne = async (subscription: Subscription, { event, body }: Queued): Promise<void> => {
    const secret = signingSecret();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'ISAO-Webhooks/sandbox',
      'X-Isao-Event': event.event,
      'X-Isao-Event-Id': event.metadata.eventId,
      ...(secret ? { [SIGNATURE_HEADER]: signWebhook(secret, body) } : {}),
    };
    const url = new URL(subscription.target_url);
    const { outcome } = await deliverOnSchedule(
      delivery,
      async (attempt) => {
        if (isStopped() || !isActive(subscription.subscription_id)) return undefined;
        const result = await post(
          url,
          body,
          { ...headers, 'X-Isao-Delivery-Attempt': String(attempt) },
          delivery.timeoutMs,
          track,
        );
        if (isStopped()) return undefined;
        attempts.push({
          eventId: event.metadata.eventId,
          event: event.event,
          subscriptionId: subscription.subscription_id,
          targetUrl: subscription.target_url,
          attempt,
          ok: delivered(result.status),
          ...result,
          at: new Date().toISOString(),
        });
        keepNewest(attempts, limits.deliveryAttempts);
        const outcome =
          result.status === undefined ? result.error : `HTTP ${String(result.status)}`;
        log(
          `webhook ${event.event} ${event.metadata.eventId} → ${subscription.target_url} (attempt ${String(attempt)}): ${String(outcome)}`,
        );
        return result;
      },
      wait,
    );
    if (outcome === 'given up') {
      log(`webhook ${event.metadata.eventId} to ${subscription.target_url} given up`);
    }
  };

  /** Delivers a subscription's waiting events one after another, then forgets the queue. */
  const drain = async (subscription: Subscription): Promise<void> => {
    await Promise.resolve(); // dispatch sets up the queue and its first event first
    const queue = queues.get(subscription.subscription_id);
    for (let next = queue?.waiting.shift(); queue && next; next = queue.waiting.shift()) {
      queue.bytes -= next.body.length;
      await deliverOne(subscription, next);
    }
    queues.delete(subscription.subscription_id);
  };

  /** Queues the event for each subscription; returns at once. */
  const dispatch = (event: Envelope, subscriptions: readonly Subscription[]): void => {
    if (subscriptions.length === 0) return;
    // one body for every subscription: the bytes signed and sent
    const queued: Queued = { event, body: Buffer.from(JSON.stringify(event), 'utf8') };
    for (const subscription of subscriptions) {
      const key = subscription.subscription_id;
      let queue = queues.get(key);
      if (!queue) {
        queue = { waiting: [], bytes: 0, done: drain(subscription) };
        queues.set(key, queue);
      }
      queue.waiting.push(queued);
      queue.bytes += queued.body.length;
      // the newest always stays; older ones go while the queue is over its size
      while (queue.bytes > limits.queuedBytesPerSubscription && queue.waiting.length > 1) {
        const oldest = queue.waiting.shift();
        if (!oldest) break;
        queue.bytes -= oldest.body.length;
        dropped += 1;
        log(
          `webhook ${oldest.event.metadata.eventId} to ${subscription.target_url} dropped: the events waiting for it are over ${String(limits.queuedBytesPerSubscription)} bytes`,
        );
      }
    }
  };

  /** Resolves once every queued delivery has succeeded or given up. */
  const idle = async (): Promise<void> => {
    while (queues.size > 0) await Promise.all([...queues.values()].map((queue) => queue.done));
  };

  /** How many events wait for delivery now (in flight not counted), and how many were dropped. */
  const backlog = () => ({
    waiting: [...queues.values()].reduce((sum, queue) => sum + queue.waiting.length, 0),
    queues: queues.size,
    dropped,
  });

  /** Stops all delivery: no more attempts, pending backoffs end, open requests are cut. */
  const close = (): void => {
    stopped = true;
    for (const [timer, resolve] of sleeping) {
      clearTimeout(timer);
      resolve();
    }
    sleeping.clear();
    for (const req of inFlight) req.destroy();
  };

  return { attempts, dispatch, idle, backlog, close };
};
