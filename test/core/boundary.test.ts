/**
 * The import boundary of the ISAO core (core/): it serves every platform, so it names none of
 * them, reads no environment and starts no timer. eslint.config.mjs holds the same rules for the
 * editor; this test holds them for `npm test`, and proves they catch what they are meant to.
 */
import fs from 'node:fs';
import path from 'node:path';

const CORE = path.join(__dirname, '..', '..', 'core');

/** What a source text breaks: imports from outside core/ (but node:crypto), env, timers. */
const breaches = (source: string): string[] => {
  const found: string[] = [];
  for (const [, from, dynamic] of source.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'/g)) {
    const spec = from ?? dynamic;
    if (spec && !/^\.\/[a-z-]+$/.test(spec) && spec !== 'node:crypto') found.push(spec);
  }
  // uses, not words: "nothing to process." is a message (texts are blanked), `process.env` a read
  const withoutTexts = source.replace(
    /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g,
    "''",
  );
  for (const [, name] of withoutTexts.matchAll(
    /\b(process(?=\s*[.[])|(?:setTimeout|setInterval|setImmediate|require)(?=\s*\()|globalThis\b|Date\.now\b)/g,
  )) {
    if (name) found.push(name);
  }
  return found;
};

/** A file's code without its comments, which may name anything. */
const code = (file: string): string =>
  fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('the ISAO core', () => {
  const files = fs.readdirSync(CORE).filter((name) => name.endsWith('.ts'));

  it('holds the platform-neutral modules', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining(['errors.ts', 'events.ts', 'signatures.ts', 'webhook.ts']),
    );
  });

  it.each(files)(
    '%s imports only the core and node:crypto, and reads no environment or clock',
    (name) => {
      expect(breaches(code(path.join(CORE, name)))).toEqual([]);
    },
  );

  it('the check catches a platform import, the environment, a timer and the clock', () => {
    expect(
      breaches(
        "import type { Bundle } from 'zapier-platform-core';\nimport { x } from '../src/lib/api';\nconst m = 'nothing to process.';\nconst k = process.env.K; setTimeout(f, 1); const t = Date.now();",
      ),
    ).toEqual(['zapier-platform-core', '../src/lib/api', 'process', 'setTimeout', 'Date.now']);
  });
});
