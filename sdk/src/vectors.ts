/**
 * The conformance vectors (conformance/vectors.json) run through a verify: each case's headers as
 * HTTP hands them over (a repeated header joined by ", "), its bytes, secrets and time, and the
 * outcome compared with the one the core expects. `isao verify --vectors` and the package's own
 * tests read them this one way.
 */
import type { Vector } from '../../scripts/sdk/vectors';
import { isRecord } from '../../core/inputs';
import type { VerifyResult } from './types';

export type { Vector };

/** A vector's headers as node:http hands them over: lower-case names, repeats joined by ", ". */
export const vectorHeaders = (vector: Vector): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of vector.headers) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key] ?? ''}, ${value}` : value;
  }
  return headers;
};

/** A result in the vectors' terms (events and records as JSON carries them). */
export const outcomeOf = (result: VerifyResult): unknown =>
  JSON.parse(
    JSON.stringify(
      result.ok
        ? {
            ok: true,
            signedWith: result.signedWith,
            events: result.events,
            unknown: result.unknown,
            skipped: result.skipped.length,
          }
        : { ok: false, status: result.status, problem: result.problem },
    ),
  );

/** Whether a value has a vector's shape (its parts are then read as such). */
const isVector = (value: unknown): value is Vector =>
  isRecord(value) &&
  typeof value.name === 'string' &&
  Array.isArray(value.secrets) &&
  typeof value.now === 'number' &&
  isRecord(value.body) &&
  typeof value.body.base64 === 'string' &&
  Array.isArray(value.headers) &&
  isRecord(value.expected);

/** The cases of a vectors file's JSON, or why it holds none. */
export const vectorsIn = (parsed: unknown): Vector[] | string => {
  const cases = isRecord(parsed) ? parsed.cases : undefined;
  if (!Array.isArray(cases)) return 'it has no "cases" list';
  const bad = cases.findIndex((item) => !isVector(item));
  return bad >= 0 ? `case ${String(bad + 1)} is not a vector` : cases.filter(isVector);
};

export interface VectorRun {
  name: string;
  passed: boolean;
  expected: unknown;
  got: unknown;
}

/** Each vector through `verify`: passed when its outcome is the expected one, as JSON. */
export const runVectors = (
  cases: readonly Vector[],
  verify: (body: Uint8Array, headers: Record<string, string>, vector: Vector) => VerifyResult,
): VectorRun[] =>
  cases.map((vector) => {
    const got = outcomeOf(
      verify(Buffer.from(vector.body.base64, 'base64'), vectorHeaders(vector), vector),
    );
    return {
      name: vector.name,
      passed: JSON.stringify(got) === JSON.stringify(vector.expected),
      expected: vector.expected,
      got,
    };
  });
