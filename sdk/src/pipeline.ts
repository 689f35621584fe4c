/**
 * verify's one pipeline, for the node path (verify.ts) and the web path (web.ts), which differ
 * only in how they compute the HMAC: `prepare` reads the request (pure, synchronous), the path
 * gives its verdict on the signature, `conclude` reads the body the signature vouches for.
 * The signature is judged before the body is read: nothing about an unsigned body is told.
 */
import { text } from '../../core/inputs';
import { DEDUP_TTL_SECONDS } from '../../core/signatures';
import { eventsOf } from './deliveries';
import { refuse, signatureWords, WebhookVerificationError, type Refused } from './problems';
import {
  bodyOf,
  decodeUtf8,
  itemsOf,
  malformedWords,
  signatureHeader,
  type Body,
  type Utf8Decoder,
} from './request';
import type { Verified, VerifyOptions, VerifyResult } from './types';

/** What a path needs to judge the signature, and what the rest of the pipeline needs. */
export interface Prepared {
  body: Body;
  header: string | undefined;
  secrets: readonly string[];
  now: number;
  toleranceMs: number;
}

/** A path's verdict: which secret signed the body, or why none did. */
export type Verdict = { signedWith: number } | 'missing' | 'malformed' | 'mismatch';

/** The one clock the package reads, when it is given no time. */
export const systemNow = (): number => Date.now();

const SECRETS_WORDS =
  "@isao/webhooks: `secrets` must be the webhook's signing secret, or a list of them during a rotation, each a non-blank string.";

/** The secrets, trimmed as every platform trims them; a TypeError names what is wrong. */
const secretsOf = (secrets: unknown): string[] => {
  const given: unknown[] = Array.isArray(secrets) ? secrets : [secrets];
  const read: string[] = [];
  for (const secret of given) {
    const one = typeof secret === 'string' ? text(secret) : undefined;
    if (one === undefined) throw new TypeError(SECRETS_WORDS);
    read.push(one);
  }
  if (read.length === 0) throw new TypeError(SECRETS_WORDS);
  return read;
};

const atLeastZero = (value: unknown, name: string): number => {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number (the typeof narrows the type)
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`@isao/webhooks: \`${name}\` must be a finite number of at least 0.`);
  }
  return value;
};

/** The options read; a TypeError names one that cannot work (it is the code's mistake). */
export const readOptions = (
  options: VerifyOptions,
): { secrets: string[]; now: number; toleranceMs: number } => ({
  secrets: secretsOf(options.secrets),
  now: atLeastZero(options.now ?? systemNow(), 'now'),
  toleranceMs: atLeastZero(options.tolerance ?? DEDUP_TTL_SECONDS, 'tolerance') * 1000,
});

/** The request read for its signature check; a refusal when it cannot be checked. */
export const prepare = (
  raw: unknown,
  headers: unknown,
  options: VerifyOptions,
): Prepared | Refused => {
  const read = readOptions(options);
  const body = bodyOf(raw);
  if ('ok' in body) return body;
  const signature = signatureHeader(headers);
  if ('ok' in signature) return signature;
  return { ...read, body, header: signature.header };
};

/** What the verdict and the body give: the events, or why the delivery is refused. */
export const conclude = (
  prepared: Prepared,
  verdict: Verdict,
  decode: Utf8Decoder = decodeUtf8,
): VerifyResult => {
  if (verdict === 'missing') return refuse('missing', signatureWords.missing);
  if (verdict === 'malformed') return refuse('malformed', malformedWords(prepared.header));
  if (verdict === 'mismatch') {
    return refuse('mismatch', signatureWords.mismatch(prepared.secrets.length));
  }
  const items = itemsOf(prepared.body, decode);
  if ('ok' in items) return items;
  const { events, unknown, skipped, replays } = eventsOf(items, prepared.now, prepared.toleranceMs);
  const [first] = skipped;
  // Stryker disable next-line ConditionalExpression: every item is an event, an unknown one or skipped, so with neither of the first two there is a first skipped (the check narrows its type)
  if (events.length === 0 && unknown.length === 0 && first !== undefined) {
    const more = skipped.length > 1 ? ` (and ${String(skipped.length - 1)} more)` : '';
    const message = `Nothing in the webhook can be used. ${first}${more}`;
    return refuse(replays === skipped.length ? 'replay' : 'unusable', message);
  }
  return { ok: true, events, unknown, skipped, signedWith: verdict.signedWith };
};

/** The result, or its refusal thrown as a WebhookVerificationError. */
export const orThrow = (result: VerifyResult): Verified => {
  if (!result.ok) throw new WebhookVerificationError(result);
  return result;
};
