/**
 * Why a delivery is refused, with the HTTP status a receiver answers and words a developer can
 * act on. 401: the request cannot be shown to come from ISAO now (no signature, a malformed one,
 * one that matches no secret, a signed event older than the replay window). 400: it is ISAO's,
 * but its body cannot be read as events. 500: the receiver itself is set up wrong (a body parser
 * ran first): no retry will help until it is fixed.
 */
import { SIGNATURE_HEADER } from '../../core/signatures';

export const PROBLEMS = {
  /** The signature header is not one text (repeated, a number, an object). */
  header: 400,
  missing: 401,
  malformed: 401,
  mismatch: 401,
  /** The signed event is older than the replay window. */
  replay: 401,
  /** The body's bytes are not UTF-8. */
  encoding: 400,
  /** The body starts with a UTF-8 byte order mark. */
  bom: 400,
  empty: 400,
  json: 400,
  /** JSON, but neither an event object nor a non-empty list of them. */
  'not-event': 400,
  /** An event not in the table, refused by a receiver set to (`unknownEvents: 'refuse'`). */
  unknown: 400,
  /** Events, none of them usable (malformed envelopes, no record, items that are not objects). */
  unusable: 400,
  /** The receiver was given no bytes to check: a parsed object, or nothing it can read. */
  unread: 500,
} as const;

export type ProblemKind = keyof typeof PROBLEMS;
export type ProblemStatus = (typeof PROBLEMS)[ProblemKind];

/** A delivery refused: the status to answer, the kind of problem and what to do about it. */
export interface Refused {
  ok: false;
  status: ProblemStatus;
  problem: ProblemKind;
  message: string;
}

export const refuse = (problem: ProblemKind, message: string): Refused => ({
  ok: false,
  status: PROBLEMS[problem],
  problem,
  message,
});

/** What verifyOrThrow throws: the refusal as an Error, with its status and kind. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly status: ProblemStatus;
  readonly problem: ProblemKind;

  constructor({ status, problem, message }: Refused) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

const secretCount = (count: number): string =>
  count === 1 ? 'the signing secret' : `any of the ${String(count)} signing secrets`;

/** The words for a signature the header does not carry, cannot be read, or does not match. */
export const signatureWords = {
  missing: `The request has no ${SIGNATURE_HEADER} header. ISAO signs every delivery of a webhook that has a signing secret: check that the request came from ISAO and that no proxy dropped the header.`,
  malformed: `The ${SIGNATURE_HEADER} header is not a signature: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".`,
  mismatch: (secrets: number): string =>
    `The ${SIGNATURE_HEADER} signature does not match the body under ${secretCount(secrets)}. Either the body changed on the way (a body parser or proxy re-serialised it: verify the exact bytes received), or it was signed with another secret (copy the webhook's secret from ISAO again).`,
};

/** Words for a receiver handed a parsed body instead of its bytes. */
export const PARSED_BODY = `The webhook body was already parsed into an object, so its exact bytes (which the ${SIGNATURE_HEADER} signature covers) are gone. Give the ISAO route the raw body: mount it before express.json() (or any JSON body parser), or use express.raw({ type: 'application/json' }) on it.`;
