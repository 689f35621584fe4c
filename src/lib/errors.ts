/**
 * ISAO's failures (core/errors.ts words them) as Zapier's errors: `error` → z.errors.Error (the
 * run errors, the user is notified), `reauth` → ExpiredAuthError (reconnect), `halt` →
 * HaltedError (a deliberate stop).
 */
import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { failureFor, type CallPolicy, type Failure } from '../../core/errors';

export const zapierError = (z: ZObject, failure: Failure): Error => {
  if (failure.kind === 'halt') return new z.errors.HaltedError(failure.message);
  if (failure.kind === 'reauth') return new z.errors.ExpiredAuthError(failure.message);
  return new z.errors.Error(failure.message, failure.code, failure.status);
};

/** The Zapier error for an answer, or undefined when it is a success the caller can use. */
export const errorFor = (
  z: ZObject,
  response: HttpResponse,
  policy: CallPolicy,
  request: { method: string; path: string; host: string },
  secrets: readonly unknown[],
): Error | undefined => {
  const failure = failureFor(response, policy, request, secrets);
  return failure && zapierError(z, failure);
};
