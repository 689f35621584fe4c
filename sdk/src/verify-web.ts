/**
 * The web path: the HMAC by Web Crypto (`crypto.subtle`, asynchronous), the header read without
 * node's Buffer (digest.ts), in the same pipeline as the node path (pipeline.ts). Its build
 * (`@isao/webhooks/web`) loads no node:crypto (scripts/sdk/build.js).
 */
import { digestOf, sameDigest } from './digest';
import { conclude, orThrow, prepare, type Prepared, type Verdict } from './pipeline';
import type { HeaderSource, RawBody } from './request';
import type { Verified, VerifyOptions, VerifyResult } from './types';

const encoder = new TextEncoder();

const hmac = async (secret: string, bytes: Uint8Array): Promise<Uint8Array> => {
  const algorithm = { name: 'HMAC', hash: 'SHA-256' };
  // Stryker disable next-line BooleanLiteral: the key is never exported, so whether it could be changes nothing
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), algorithm, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes));
};

/** Which secret, if any, signed the body. */
const verdictOf = async ({ secrets, body, header }: Prepared): Promise<Verdict> => {
  if (header === undefined) return 'missing';
  const provided = digestOf(header);
  if (provided === undefined) return 'malformed';
  for (const [signedWith, secret] of secrets.entries()) {
    if (sameDigest(await hmac(secret, body.bytes), provided)) return { signedWith };
  }
  return 'mismatch';
};

/** verify (see verify.ts) with Web Crypto: the same results, asynchronously. */
export const verify = async (
  raw: RawBody,
  headers: HeaderSource,
  options: VerifyOptions,
): Promise<VerifyResult> => {
  const prepared = prepare(raw, headers, options);
  return 'ok' in prepared ? prepared : conclude(prepared, await verdictOf(prepared));
};

/** verify, throwing a WebhookVerificationError (with `status` and `problem`) for a refusal. */
export const verifyOrThrow = async (
  raw: RawBody,
  headers: HeaderSource,
  options: VerifyOptions,
): Promise<Verified> => orThrow(await verify(raw, headers, options));
