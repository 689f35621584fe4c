/**
 * The conformance vectors (conformance/vectors.json): generated from the core, never by hand,
 * and passed by both paths of @isao/webhooks, the node path (node:crypto, the core's own
 * signature check) and the web path (Web Crypto), with identical results.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prettierFormats, sources } from '../../scripts/sdk/sources';
import { vectorHeaders, vectorsIn } from '../../sdk/src/vectors';
import { verify } from '../../sdk/src/verify';
import { verify as verifyWeb } from '../../sdk/src/verify-web';
import { bytesOf, nodeHeaders, outcome, ROOT, VECTORS } from './helpers';

const PRETTIER = require.resolve('prettier/bin/prettier.cjs');

/**
 * The committed copy of a generated file. In Stryker's sandbox (`npm run mutate`) Stryker has
 * added a `// @ts-nocheck` line to every .ts file: that line is Stryker's, not the generator's.
 */
const committed = (path: string): string => {
  const content = readFileSync(join(ROOT, path), 'utf8');
  return process.env.STRYKER_MUTATOR_WORKER === undefined
    ? content
    : content.replace(/^\/\/ @ts-nocheck\n\n?/m, '');
};

describe('conformance vectors', () => {
  it('are what the core gives today, as are the typed events of both languages (npm run sdk:generate)', () => {
    const paths = sources().map(([path]) => path);
    expect(paths).toContain('python/isao_webhooks/events_generated.py');
    expect(paths).toContain('python/isao_webhooks/_core_generated.py');
    for (const [path, source] of sources()) {
      // prettier's CLI, with the repository's settings, as the generator formats them
      const content = prettierFormats(path)
        ? execFileSync(process.execPath, [PRETTIER, '--stdin-filepath', path], {
            input: source,
            cwd: ROOT,
            encoding: 'utf8',
          })
        : source;
      expect({ path, content: committed(path) }).toEqual({ path, content });
    }
  });

  it('hold at least 40 cases of every kind the issue names', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(40);
    const names = VECTORS.map((vector) => vector.name).join('\n');
    for (const kind of [
      'base64',
      'base64url',
      'hex',
      'sha256=',
      'rotation',
      'flipped',
      'emoji',
      'U+2028',
      'invalid UTF-8',
      'empty',
      'missing',
      'sent twice',
      'epoch seconds',
      'epoch milliseconds',
      'epoch microseconds',
      'ISO 8601',
      'future',
      'topic',
      'flat',
      'batch',
      'duplicate ids',
      'custom fields',
    ]) {
      expect(names).toContain(kind);
    }
    const outcomes = new Set(
      VECTORS.map(({ expected }) => (expected.ok ? 'ok' : expected.problem)),
    );
    expect([...outcomes].sort()).toEqual(
      [
        'ok',
        'missing',
        'malformed',
        'mismatch',
        'replay',
        'encoding',
        'bom',
        'empty',
        'json',
        'not-event',
        'unusable',
      ].sort(),
    );
  });

  it.each(VECTORS.map((vector) => [vector.name, vector] as const))(
    'node path: %s',
    (_name, vector) => {
      const options = { secrets: vector.secrets, now: vector.now };
      expect(outcome(verify(bytesOf(vector), nodeHeaders(vector), options))).toEqual(
        vector.expected,
      );
      // the same body given as text, when it is text
      if (vector.body.text !== undefined) {
        expect(outcome(verify(vector.body.text, nodeHeaders(vector), options))).toEqual(
          vector.expected,
        );
      }
    },
  );

  it.each(VECTORS.map((vector) => [vector.name, vector] as const))(
    'web path: %s, the same result as the node path',
    async (_name, vector) => {
      const options = { secrets: vector.secrets, now: vector.now };
      const web = await verifyWeb(bytesOf(vector), new Headers(vector.headers), options);
      expect(outcome(web)).toEqual(vector.expected);
      // every word the same, not only the outcome
      expect(web).toEqual(verify(bytesOf(vector), nodeHeaders(vector), options));
    },
  );
});

describe('a vectors file read (isao verify --vectors FILE)', () => {
  const [first, second] = VECTORS;
  if (!first || !second) throw new Error('the conformance vectors are missing');

  it('takes every case of a file that holds vectors, in order', () => {
    expect(vectorsIn({ cases: VECTORS })).toEqual(VECTORS);
    expect(vectorsIn({ cases: [] })).toEqual([]);
  });

  it.each([
    ['name', 'a string'],
    ['secrets', 'a list of one or more non-blank strings'],
    ['now', 'a number'],
    ['body', 'an object with a "base64" string'],
    ['headers', 'a list of [name, value] pairs of strings'],
    ['expected', 'an object'],
  ])('names a case without a vector’s %s, and which case', (key, what) => {
    const broken = { ...second, [key]: null };
    expect(vectorsIn({ cases: [first, broken] })).toBe(
      `case 2 is not a vector: its "${key}" is not ${what}`,
    );
    // the first case too (counted from 1)
    const without = Object.fromEntries(Object.entries(first).filter(([name]) => name !== key));
    expect(vectorsIn({ cases: [without, second] })).toBe(
      `case 1 is not a vector: its "${key}" is not ${what}`,
    );
  });

  it.each<[string, unknown]>([
    ['secrets', []],
    ['secrets', [5]],
    ['secrets', ['whsec_1', '']],
    ['secrets', ['  ']],
    ['headers', [5]],
    // a string of two characters is no pair
    ['headers', ['ab']],
    ['headers', [['X-Isao-Event']]],
    ['headers', [['X-Isao-Event', 'deal.won', 'x']]],
    ['headers', [['X-Isao-Event', 5]]],
    ['headers', [[5, 'deal.won']]],
    // every pair, not only the first
    ['headers', [['X-Isao-Event', 'deal.won'], 5]],
  ])('names a case whose %s hold %j, and which case', (key, value) => {
    const what =
      key === 'secrets'
        ? 'a list of one or more non-blank strings'
        : 'a list of [name, value] pairs of strings';
    expect(vectorsIn({ cases: [first, { ...second, [key]: value }] })).toBe(
      `case 2 is not a vector: its "${key}" is not ${what}`,
    );
  });

  it('refuses a body without its base64 text, a case that is no object, and a file without cases', () => {
    const noBase64 = { ...first, body: { text: '{}' } };
    expect(vectorsIn({ cases: [noBase64] })).toBe(
      'case 1 is not a vector: its "body" is not an object with a "base64" string',
    );
    expect(vectorsIn({ cases: [first, 3] })).toBe('case 2 is not a vector: it is not an object');
    for (const parsed of [{ cases: 3 }, [first], null, { vectors: [first] }]) {
      expect(vectorsIn(parsed)).toBe('it has no "cases" list');
    }
  });

  it('gives the headers as node:http does: lower-case names, a repeat joined by ", "', () => {
    const headers: [string, string][] = [
      ['X-Isao-Hmac-Sha256', 'a'],
      ['Content-Type', 'application/json'],
      ['x-isao-hmac-sha256', 'b'],
      ['X-ISAO-HMAC-SHA256', 'c'],
      // names an object has already are headers like any other
      ['Constructor', 'x'],
      ['__proto__', 'y'],
    ];
    const given = vectorHeaders({ ...first, headers });
    expect(Object.entries(given)).toEqual([
      ['x-isao-hmac-sha256', 'a, b, c'],
      ['content-type', 'application/json'],
      ['constructor', 'x'],
      ['__proto__', 'y'],
    ]);
  });
});
