/**
 * Webhook authenticity, the same on every platform: ISAO sends `X-Isao-Hmac-Sha256` =
 * base64(HMAC-SHA256(secret, raw body)); the same 32 bytes are also read as base64url, as hex,
 * or after a `sha256=` prefix, as other senders and proxies write them. The check runs over the
 * raw body exactly as received (never a re-serialised JSON object, whose key order and whitespace
 * differ) and compares in constant time on equal-length buffers (node's timingSafeEqual throws on
 * a length mismatch, so the length is checked first). A signed event older than the window in
 * which ISAO delivers and retries is a replay.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRecord, quote, text } from './inputs';

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

/** Why a delivery's signature is refused, in words for the platform's log or history. */
export interface SignatureProblem {
  /** `missing` and `mismatch` are the user's to fix (the secrets disagree); `malformed` is not. */
  kind: 'missing' | 'malformed' | 'mismatch';
  message: string;
}

/**
 * Why the signature `header` does not vouch for `raw` under `secret` (undefined when it does):
 * missing, not a 32-byte digest, or not this body's HMAC with this secret.
 */
export const signatureProblem = (
  secret: string,
  raw: string | Uint8Array,
  header: string | undefined,
): SignatureProblem | undefined => {
  if (!header) {
    return {
      kind: 'missing',
      message: `Rejected an unsigned webhook: a signing secret is set, but the request had no ${SIGNATURE_HEADER} header.`,
    };
  }
  const provided = decodeSignature(header);
  if (!provided) {
    return {
      kind: 'malformed',
      message: `Rejected a webhook with a malformed ${SIGNATURE_HEADER} header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".`,
    };
  }
  // Stryker disable next-line StringLiteral: node hashes a string as UTF-8 by default
  const hmac = createHmac('sha256', secret);
  const expected = (typeof raw === 'string' ? hmac.update(raw, 'utf8') : hmac.update(raw)).digest();
  if (!timingSafeEqual(expected, provided)) {
    return {
      kind: 'mismatch',
      message: `Rejected a webhook whose ${SIGNATURE_HEADER} signature does not match its body: it was altered or signed with another secret.`,
    };
  }
  return undefined;
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
  eventId: string | null,
  now: number,
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
