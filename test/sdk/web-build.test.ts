/**
 * `@isao/webhooks/web` where there is no node:crypto (Workers, Deno without node compatibility,
 * browsers): its build loads none, and needs no Buffer either, yet passes every conformance
 * vector (its custom fields' keys and its digests of records without ids from plain SHA-256).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage } from './build';
import { bytesOf, outcome, ROOT, VECTORS } from './helpers';

jest.mock('node:crypto', () => {
  throw new Error('node:crypto is not available here');
});
jest.mock('crypto', () => {
  throw new Error('crypto is not available here');
});

const built = buildPackage();
afterAll(built.remove);

describe('the web build', () => {
  it('loads and passes every vector with node:crypto unavailable', async () => {
    await expect(import('node:crypto')).rejects.toThrow('node:crypto is not available here');
    const web: typeof import('../../sdk/src/web') = await import(
      join(built.dir, 'dist', 'web.cjs')
    );
    for (const vector of VECTORS) {
      const result = await web.verify(bytesOf(vector), new Headers(vector.headers), {
        secrets: vector.secrets,
        now: vector.now,
      });
      expect({ name: vector.name, outcome: outcome(result) }).toEqual({
        name: vector.name,
        outcome: vector.expected,
      });
    }
  });

  it('runs as ESM in a node that refuses node:crypto and has no Buffer', () => {
    const hooks = join(built.dir, 'no-crypto.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (/^(node:)?crypto$/.test(specifier)) throw new Error('node:crypto is not available here');
  return next(specifier, context);
}`,
    );
    const script = `
import { register } from 'node:module';
register(${JSON.stringify(`file://${hooks}`)});
delete globalThis.Buffer;
const failed = await import('node:crypto').then(() => 'loaded', (error) => error.message);
const { verify } = await import(${JSON.stringify(`file://${join(built.dir, 'dist', 'web.mjs')}`)});
const { readFileSync } = await import('node:fs');
const vectors = JSON.parse(readFileSync(process.argv[1], 'utf8')).cases;
let passed = 0;
for (const vector of vectors) {
  const bytes = Uint8Array.from(atob(vector.body.base64), (c) => c.charCodeAt(0));
  // a plain object, as HTTP joins a repeated header (node's Headers needs its Buffer)
  const headers = {};
  for (const [name, value] of vector.headers) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? headers[key] + ', ' + value : value;
  }
  const result = await verify(bytes, headers, { secrets: vector.secrets, now: vector.now });
  const seen = result.ok
    ? { ok: true, signedWith: result.signedWith, events: result.events, unknown: result.unknown, skipped: result.skipped.length }
    : { ok: false, status: result.status, problem: result.problem };
  if (JSON.stringify(seen) === JSON.stringify(vector.expected)) passed += 1;
  else console.log('failed:', vector.name);
}
console.log(JSON.stringify({ failed, buffer: typeof Buffer, passed }));
`;
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, join(ROOT, 'conformance', 'vectors.json')],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out.trim().split('\n').pop() ?? '')).toEqual({
      failed: 'node:crypto is not available here',
      buffer: 'undefined',
      passed: VECTORS.length,
    });
  });
});
