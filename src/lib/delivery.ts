/**
 * Webhook authenticity and exactly-once delivery.
 *
 * Signatures (checked by core/signatures.ts): the secret a subscribe call returned wins over the
 * connection's `webhook_secret`; with no secret, events pass unchecked.
 *
 * Dedup: ISAO retries failed deliveries up to 3 times with the same `metadata.eventId`, and
 * Zapier does not dedupe hook results. Each event is claimed with one
 * `z.cache.set(key, attempt, ttl, ['auth'], nx=true)`, keyed by subscription + event id, where
 * `attempt` is random per perform call; a `false` is checked by reading the key back, because
 * core's RPC client retries a call whose answer was lost (the retry of our own applied write
 * answers `false`) and the cache answers `false` when rate-limited. If the cache fails we
 * deliver anyway (a duplicate is better than a lost event).
 */
import { randomBytes } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { isRecord, quote, reasonOf, text } from '../../core/inputs';
import {
  DEDUP_TTL_SECONDS,
  headerValue,
  SIGNATURE_HEADER,
  signatureProblem,
  type SignatureProblem,
} from '../../core/signatures';

/** What this Zap's subscribe call returned (bundle.subscribeData), as far as we use it. */
export const subscriptionOf = (
  bundle: Bundle,
): { subscriptionId?: string; hookId?: string; secret?: string } => {
  const data: unknown = bundle.subscribeData;
  if (!isRecord(data)) return {};
  return {
    subscriptionId: text(data.subscription_id),
    hookId: text(data.id),
    secret: text(data.secret) ?? text(data.signing_secret),
  };
};

/** The subscription's own secret (from subscribe), else the connection's, else none. */
export const signingSecret = (bundle: Bundle): string | undefined =>
  subscriptionOf(bundle).secret ?? text(bundle.authData.webhook_secret);

/** Where the secret in force came from, and how to put it right. */
const howTo = (bundle: Bundle): string =>
  subscriptionOf(bundle).secret
    ? `The secret in use is the one ISAO returned when this Zap subscribed: turn the Zap off and on again so that ISAO and Zapier agree on a new one.`
    : `Check that the Webhook Signing Secret in this Zap's ISAO connection matches the one in your ISAO webhook settings.`;

/**
 * Rejects (HaltedError: visible in Zap history, the Zap stays on) an event whose signature is
 * missing, malformed or wrong, when a secret is known. Returns whether the event was signed.
 */
export const verifySignature = (z: ZObject, bundle: Bundle): boolean => {
  const secret = signingSecret(bundle);
  if (!secret) return false;
  const header = headerValue(bundle.rawRequest?.headers, SIGNATURE_HEADER);
  const raw = bundle.rawRequest?.content;
  const problem = signatureProblem(secret, raw ?? '', header);
  const refused = (found: SignatureProblem): Error =>
    new z.errors.HaltedError(
      found.kind === 'malformed' ? found.message : `${found.message} ${howTo(bundle)}`,
    );
  if (problem && problem.kind !== 'mismatch') throw refused(problem);
  if (typeof raw !== 'string') {
    throw new z.errors.HaltedError(
      'Could not verify the webhook signature: Zapier passed no raw request body.',
    );
  }
  if (problem) throw refused(problem);
  return true;
};

/** Which subscription this delivery belongs to, so one event reaches every Zap once. */
const subscriptionKey = (bundle: Bundle): string => {
  const { subscriptionId, hookId } = subscriptionOf(bundle);
  return subscriptionId ?? hookId ?? text(bundle.targetUrl) ?? 'unsubscribed';
};

/** How long the dedup checks of one webhook may take, together; what is left is delivered unchecked. */
export const CACHE_TIMEOUT_MS = 5_000;
/** At most this many events of one webhook are being checked against the cache at once. */
export const CACHE_CONCURRENCY = 20;

/**
 * The cache key for one (subscription, event id) pair. Both parts are URI-encoded, so neither can
 * contain the `:` between them and no two different pairs share a key.
 */
export const dedupKey = (bundle: Bundle, eventId: string): string =>
  `isao:delivered:${encodeURIComponent(subscriptionKey(bundle))}:${encodeURIComponent(eventId)}`;

/**
 * z.cache as core's runtime implements it (create-cache.js): `get` takes the same scope as `set`
 * (core's type declares only the key). A scoped key read without its scope is another key.
 */
interface ScopedCache {
  get: (key: string, scope?: string[]) => Promise<unknown>;
  set: ZObject['cache']['set'];
}

const DEDUP_SCOPE = ['auth'];

/**
 * Claims `key` for this delivery attempt: true when the claim is ours. The claim holds `attempt`,
 * a value no other attempt writes; only a `false` (the key was already set) costs a second call,
 * reading the key back: our own value means the write was ours after all (core's RPC client
 * retried a call whose answer was lost, and the retry found our write), another value means the
 * event was delivered before, nothing means the cache did not keep the key (e.g. the `false` of
 * a rate-limited cache). Only another attempt's value drops the event. A `false` answered after
 * the webhook's deadline (`overdue`) starts no read-back: the event already counts as unchecked.
 */
const claimed = async (
  cache: ScopedCache,
  key: string,
  attempt: string,
  overdue: () => boolean,
): Promise<boolean> => {
  const stored = await cache.set(key, attempt, DEDUP_TTL_SECONDS, DEDUP_SCOPE, true);
  if (stored !== false) return true;
  // the check has lost its race to the deadline: its answer is not read, the event is delivered
  // Stryker disable next-line BooleanLiteral: the race has settled, so this value is never read
  if (overdue()) return true;
  const holder = await cache.get(key, DEDUP_SCOPE);
  return holder === attempt || holder === null || holder === undefined;
};

/** What checking one event found: first time (true), seen before (false), or why it is unknown. */
type Verdict = boolean | { unknown: string };

/** One warning for all the events delivered without a dedup answer, however many they are. */
const warnUnchecked = (z: ZObject, unchecked: readonly [string, string][]): void => {
  const [first] = unchecked;
  if (!first) return;
  const [eventId, reason] = first;
  z.console.warn(
    unchecked.length === 1
      ? `ISAO: could not check event ${quote(eventId)} for duplicates (${reason}); delivering it anyway.`
      : `ISAO: could not check ${String(unchecked.length)} events for duplicates (event ${quote(eventId)}: ${reason}; and ${String(unchecked.length - 1)} more); delivering them anyway.`,
  );
};

/**
 * For each event id: true the first time this subscription sees it, false after (and for a
 * repeat of an id earlier in the list). At most CACHE_CONCURRENCY events are checked at once, all
 * under one deadline for the whole webhook, so a cache that does not answer delays the webhook by
 * `timeoutMs` once, however many events it carries (Zapier's time limit stays far), and a batch of
 * thousands never opens thousands of cache calls. Events without an id count as first, and so
 * does every event the cache could not answer for: a failed call, an answer that missed the
 * deadline, or an event whose check had not started by then. They are delivered (a duplicate is
 * better than a lost event), with one warning line for them all.
 */
export const firstDeliveries = async (
  z: ZObject,
  bundle: Bundle,
  eventIds: readonly (string | null)[],
  timeoutMs = CACHE_TIMEOUT_MS,
): Promise<boolean[]> => {
  const ids = [...new Set(eventIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return eventIds.map(() => true);
  const cache: ScopedCache = z.cache;
  // random, so the value tells nothing, and unique to this perform call
  const attempt = randomBytes(16).toString('hex');
  const late = `no answer within ${String(timeoutMs / 1000)} s`;
  let timer: NodeJS.Timeout | undefined;
  let overdue = false;
  // the deadline gives no verdict: an event without one is unchecked, for the reason `late`
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      overdue = true;
      resolve(undefined);
    }, timeoutMs);
  });
  const verdicts = new Map<string, Verdict | undefined>();
  const check = async (eventId: string): Promise<Verdict | undefined> => {
    try {
      const claim = claimed(cache, dedupKey(bundle, eventId), attempt, () => overdue);
      return await Promise.race([claim, deadline]);
    } catch (error) {
      return { unknown: reasonOf(error) };
    }
  };
  let next = 0;
  // one of CACHE_CONCURRENCY workers: checks the next unchecked event until none is left or the
  // deadline has passed
  const worker = async (): Promise<void> => {
    for (let eventId = ids[next]; eventId !== undefined && !overdue; eventId = ids[next]) {
      next += 1;
      verdicts.set(eventId, await check(eventId));
    }
  };
  try {
    await Promise.all(Array.from({ length: CACHE_CONCURRENCY }, worker));
  } finally {
    clearTimeout(timer);
  }
  warnUnchecked(
    z,
    ids.flatMap((eventId): [string, string][] => {
      // no verdict: its check had not started, or not ended, by the deadline
      const verdict = verdicts.get(eventId);
      return typeof verdict === 'boolean' ? [] : [[eventId, verdict?.unknown ?? late]];
    }),
  );
  const answered = new Set<string>();
  return eventIds.map((eventId) => {
    if (!eventId) return true;
    if (answered.has(eventId)) return false;
    answered.add(eventId);
    return verdicts.get(eventId) !== false;
  });
};
