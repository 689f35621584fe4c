/**
 * Webhook authenticity and exactly-once delivery.
 *
 * Signatures: ISAO sends `X-Isao-Hmac-Sha256` = base64(HMAC-SHA256(secret, raw body)); the same
 * 32 bytes are also read as base64url, as hex, or after a `sha256=` prefix, as other senders and
 * proxies write them. We verify over the raw body exactly as received (never a re-serialised JSON
 * object, whose key order and whitespace differ) and compare in constant time on equal-length
 * buffers (node's timingSafeEqual throws on a length mismatch, so the length is checked first).
 * The secret a subscribe call returned wins over the connection's `webhook_secret`; with no
 * secret, events pass unchecked.
 *
 * Dedup: ISAO retries failed deliveries up to 3 times with the same `metadata.eventId`, and
 * Zapier does not dedupe hook results. Each event is claimed with one
 * `z.cache.set(key, attempt, ttl, ['auth'], nx=true)`, keyed by subscription + event id, where
 * `attempt` is random per perform call; a `false` is checked by reading the key back, because
 * core's RPC client retries a call whose answer was lost (the retry of our own applied write
 * answers `false`) and the cache answers `false` when rate-limited. If the cache fails we
 * deliver anyway (a duplicate is better than a lost event).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { isRecord } from './inputs';
import { quote, reasonOf, text } from './inputs';

export const SIGNATURE_HEADER = 'X-Isao-Hmac-Sha256';
/** Covers ISAO's retry window (3 retries) with room to spare; also the replay window. */
export const DEDUP_TTL_SECONDS = 2 * 60 * 60;
const SHA256_BYTES = 32;

/** Header lookup as Zapier delivers them: any case, with or without the `Http-` prefix. */
export const headerValue = (headers: unknown, name: string): string | undefined => {
  if (!isRecord(headers)) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    const bare = key
      .toLowerCase()
      .replace(/^http[-_]/, '')
      .replace(/_/g, '-');
    if (bare === wanted) return Array.isArray(value) ? text(value[0]) : text(value);
  }
  return undefined;
};

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

/** The scheme prefix some senders put before the digest (`sha256=…`), in any case. */
const SCHEME_PREFIX = /^sha256=/i;
/** 32 bytes in hex, exactly: node's hex decoder silently drops an odd last digit and what follows a bad one. */
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes a SHA-256 digest written as hex (either case) or base64/base64url (padded or not),
 * optionally after `sha256=`; undefined when it is not one (wrong length, bad characters). The
 * two alphabets never give the same 32 bytes from one text: 32 bytes are 64 hex digits but 43 or
 * 44 base64 characters, and 64 base64 characters are 48 bytes.
 */
const decodeSignature = (header: string): Buffer | undefined => {
  const signature = header.replace(SCHEME_PREFIX, '');
  const bytes = HEX_DIGEST.test(signature)
    ? Buffer.from(signature, 'hex')
    : BASE64.test(signature)
      ? Buffer.from(signature.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : undefined;
  return bytes?.length === SHA256_BYTES ? bytes : undefined;
};

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
  const signature = headerValue(bundle.rawRequest?.headers, SIGNATURE_HEADER);
  if (!signature) {
    throw new z.errors.HaltedError(
      `Rejected an unsigned webhook: a signing secret is set, but the request had no ${SIGNATURE_HEADER} header. ${howTo(bundle)}`,
    );
  }
  const provided = decodeSignature(signature);
  if (!provided) {
    throw new z.errors.HaltedError(
      `Rejected a webhook with a malformed ${SIGNATURE_HEADER} header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".`,
    );
  }
  // Stryker disable next-line OptionalChaining: the signature header was read from rawRequest, so it is set here
  const raw = bundle.rawRequest?.content;
  if (typeof raw !== 'string') {
    throw new z.errors.HaltedError(
      'Could not verify the webhook signature: Zapier passed no raw request body.',
    );
  }
  // Stryker disable next-line StringLiteral: node hashes a string as UTF-8 by default
  const expected = createHmac('sha256', secret).update(raw, 'utf8').digest();
  if (!timingSafeEqual(expected, provided)) {
    throw new z.errors.HaltedError(
      `Rejected a webhook whose ${SIGNATURE_HEADER} signature does not match its body: it was altered or signed with another secret. ${howTo(bundle)}`,
    );
  }
  return true;
};

/** An epoch timestamp: digits, with an optional fraction (`1731061800`, `1731061800123.5`). */
const EPOCH = /^\d+(\.\d+)?$/;
/**
 * The magnitude rule for epoch numbers: below 10^11 seconds, from 10^11 milliseconds, from 10^14
 * microseconds. 10^11 ms is March 1973 and 10^11 s the year 5138; 10^14 µs is March 1973 and
 * 10^14 ms the year 5138: no event of this century is ambiguous.
 */
export const EPOCH_MS_FROM = 1e11;
/** Epoch numbers from this one on are microseconds (see EPOCH_MS_FROM). */
export const EPOCH_US_FROM = 1e14;

/**
 * When an event happened, in epoch milliseconds: an epoch number in seconds, milliseconds or
 * microseconds (by its magnitude, see EPOCH_MS_FROM), else a date Date.parse reads (ISO 8601);
 * NaN when unreadable. A JSON number arrives here as its digits (webhook.ts reads the timestamp
 * with `text()`).
 */
export const eventTime = (occurredAt: string): number => {
  if (!EPOCH.test(occurredAt)) return Date.parse(occurredAt);
  const epoch = Number(occurredAt);
  if (epoch >= EPOCH_US_FROM) return epoch / 1000;
  return epoch < EPOCH_MS_FROM ? epoch * 1000 : epoch;
};

/**
 * Why a signed event is refused as a replay (undefined when it is not one): an event older than
 * the dedup window could be a captured request sent again. An event without a readable timestamp
 * cannot be placed in time: it is delivered, and the dedup check still drops its retries.
 */
export const replayProblem = (
  occurredAt: string | null,
  eventId: string | null = null,
  now = Date.now(),
): string | undefined => {
  // Stryker disable next-line ConditionalExpression: Date.parse of null or '' is NaN, which returns undefined below
  if (!occurredAt) return undefined;
  const at = eventTime(occurredAt);
  if (Number.isNaN(at) || now - at <= DEDUP_TTL_SECONDS * 1000) return undefined;
  const which = eventId ? ` ${quote(eventId, 60)}` : '';
  // an epoch number is shown with the date it was read as, so a seconds/ms mix-up shows
  const when = EPOCH.test(occurredAt) ? ` (${new Date(at).toISOString()})` : '';
  return `Rejected a replayed webhook: the signed event${which} is from ${quote(occurredAt, 40)}${when}, older than the ${String(DEDUP_TTL_SECONDS / 3600)}-hour window in which ISAO delivers and retries events`;
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
