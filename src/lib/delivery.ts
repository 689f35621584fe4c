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
 * Zapier does not dedupe hook results. One `z.cache.set(key, 1, ttl, ['auth'], nx=true)` per
 * event, keyed by subscription + event id: `false` means seen before. If the cache fails we
 * deliver anyway (a duplicate is better than a lost event).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
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
 * Epoch numbers from this one on are milliseconds, below it seconds: 10^11 ms is March 1973 and
 * 10^11 s is the year 5138, so no event of this century is ambiguous.
 */
export const EPOCH_MS_FROM = 1e11;

/**
 * When an event happened, in epoch milliseconds: an epoch number in seconds or milliseconds (by
 * its magnitude, see EPOCH_MS_FROM), else a date Date.parse reads (ISO 8601); NaN when unreadable.
 * A JSON number arrives here as its digits (webhook.ts reads the timestamp with `text()`).
 */
export const eventTime = (occurredAt: string): number => {
  if (!EPOCH.test(occurredAt)) return Date.parse(occurredAt);
  const epoch = Number(occurredAt);
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

/** How long the dedup cache call may take before the event is delivered without it. */
export const CACHE_TIMEOUT_MS = 5_000;

/**
 * The cache key for one (subscription, event id) pair. Both parts are URI-encoded, so neither can
 * contain the `:` between them and no two different pairs share a key.
 */
export const dedupKey = (bundle: Bundle, eventId: string): string =>
  `isao:delivered:${encodeURIComponent(subscriptionKey(bundle))}:${encodeURIComponent(eventId)}`;

/**
 * For each event id: true the first time this subscription sees it, false after. The cache calls
 * for a whole webhook run side by side under one deadline, so a cache that does not answer delays
 * the webhook by `timeoutMs` once, however many events it carries (Zapier's time limit stays far).
 * Events without an id, and any cache failure or an answer that misses the deadline, count as
 * first: they are delivered (a duplicate is better than a lost event).
 *
 * Only `false` means "seen before" (core's types allow `null`, which is delivered). Zapier's cache
 * also answers `false` when the app exceeds its cache rate limit; telling the two apart would
 * take a second cache call per retried event, so a `false` is taken at its word.
 */
export const firstDeliveries = async (
  z: ZObject,
  bundle: Bundle,
  eventIds: readonly (string | null)[],
  timeoutMs = CACHE_TIMEOUT_MS,
): Promise<boolean[]> => {
  if (!eventIds.some(Boolean)) return eventIds.map(() => true);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, timeoutMs);
  });
  const check = async (eventId: string | null): Promise<boolean> => {
    if (!eventId) return true;
    try {
      const stored = await Promise.race([
        z.cache.set(dedupKey(bundle, eventId), 1, DEDUP_TTL_SECONDS, ['auth'], true),
        deadline,
      ]);
      if (stored === 'late') throw new Error(`no answer within ${String(timeoutMs / 1000)} s`);
      return stored !== false;
    } catch (error) {
      z.console.warn(
        `ISAO: could not check event ${quote(eventId)} for duplicates (${reasonOf(error)}); delivering it anyway.`,
      );
      return true;
    }
  };
  try {
    return await Promise.all(eventIds.map(check));
  } finally {
    clearTimeout(timer);
  }
};
