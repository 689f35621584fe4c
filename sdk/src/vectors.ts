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

/**
 * A vector's headers as node:http hands them over: lower-case names, repeats joined by ", ".
 * Kept in a Map first: a header named `constructor` or `__proto__` is a header like any other.
 */
export const vectorHeaders = (vector: Vector): Record<string, string> => {
  const joined = new Map<string, string>();
  for (const [name, value] of vector.headers) {
    const key = name.toLowerCase();
    const before = joined.get(key);
    joined.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  return Object.fromEntries(joined);
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

const isText = (value: unknown): value is string => typeof value === 'string';

/** Each part of a vector, what it must be, and the check. */
const PARTS: readonly (readonly [key: string, what: string, is: (value: unknown) => boolean])[] = [
  ['name', 'a string', isText],
  [
    'secrets',
    'a list of one or more non-blank strings',
    (value) =>
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((secret) => isText(secret) && secret.trim() !== ''),
  ],
  ['now', 'a number', (value) => typeof value === 'number'],
  [
    'body',
    'an object with a "base64" string',
    (value) => isRecord(value) && typeof value.base64 === 'string',
  ],
  [
    'headers',
    'a list of [name, value] pairs of strings',
    (value) =>
      Array.isArray(value) &&
      value.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isText)),
  ],
  ['expected', 'an object', isRecord],
];

/**
 * What keeps a value from being a vector: its first part that is not as a vector has it; ''
 * when nothing does.
 */
const flaw = (value: unknown): string => {
  if (!isRecord(value)) return 'it is not an object';
  const wrong = PARTS.find(([key, , is]) => !is(value[key]));
  return wrong ? `its "${wrong[0]}" is not ${wrong[1]}` : '';
};

/** Whether a value has a vector's shape (its parts are then read as such). */
const isVector = (value: unknown): value is Vector => flaw(value) === '';

/** The cases of a vectors file's JSON, or why it holds none (the first case that is no vector). */
export const vectorsIn = (parsed: unknown): Vector[] | string => {
  const cases = isRecord(parsed) ? parsed.cases : undefined;
  if (!Array.isArray(cases)) return 'it has no "cases" list';
  const vectors: Vector[] = [];
  for (const [i, item] of cases.entries()) {
    if (!isVector(item)) return `case ${String(i + 1)} is not a vector: ${flaw(item)}`;
    vectors.push(item);
  }
  return vectors;
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
