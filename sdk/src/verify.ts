/**
 * The node path: the core's own signature check (core/signatures.ts, `signatureProblem`, over
 * node:crypto) for each secret, in the one pipeline (pipeline.ts). Synchronous.
 */
import { isUtf8 } from 'node:buffer';
import { signatureProblem } from '../../core/signatures';
import { conclude, orThrow, prepare, type Prepared, type Verdict } from './pipeline';
import type { HeaderSource, RawBody, Utf8Decoder } from './request';
import type { Verified, VerifyOptions, VerifyResult } from './types';

/** Which secret, if any, signed the body: the core's verdict for each in turn. */
const verdictOf = ({ secrets, body, header }: Prepared): Verdict => {
  for (const [signedWith, secret] of secrets.entries()) {
    const problem = signatureProblem(secret, body.bytes, header);
    if (problem === undefined) return { signedWith };
    // missing and malformed do not depend on the secret
    if (problem.kind === 'missing' || problem.kind === 'malformed') return problem.kind;
  }
  return 'mismatch';
};

/**
 * Node's own UTF-8 check, then its decoder: the same text as TextDecoder's strict decoding (the
 * web path's) and the same bytes refused, faster on a large body, and JSON.parse reads its
 * text faster too.
 */
const nodeUtf8: Utf8Decoder = (bytes) =>
  isUtf8(bytes)
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
    : undefined;

/**
 * Verifies a delivery over its exact bytes and reads its events: the result holds them, or the
 * refusal with its HTTP status (400, 401, or 500 when no bytes were given) and what to do.
 * Never throws for what a request holds; throws a TypeError for options that cannot work.
 */
export const verify = (
  raw: RawBody,
  headers: HeaderSource,
  options: VerifyOptions,
): VerifyResult => {
  const prepared = prepare(raw, headers, options);
  return 'ok' in prepared ? prepared : conclude(prepared, verdictOf(prepared), nodeUtf8);
};

/** verify, throwing a WebhookVerificationError (with `status` and `problem`) for a refusal. */
export const verifyOrThrow = (
  raw: RawBody,
  headers: HeaderSource,
  options: VerifyOptions,
): Verified => orThrow(verify(raw, headers, options));
