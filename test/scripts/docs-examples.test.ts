/**
 * The README's command examples do what they say: the `-t` example selects tests (a pattern that
 * matched none would run nothing and still exit 0). Its two forms (`npm test -- …` and
 * `npx zapier-platform test --skip-validate -- -- …`) pass jest the same arguments; they are run
 * here as jest itself (the validate step before it is CI's, `.ci/run`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runLine } from './run-script';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The jest arguments of the README's example written after `prefix` (in backticks). */
const exampleArgs = (prefix: string): string => {
  const start = README.indexOf(`\`${prefix}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('`', start + 1);
  return README.slice(start + 1 + prefix.length, end).trim();
};

test("the README's `-t` example selects tests, in both its forms", () => {
  const args = exampleArgs('npm test -- ');
  expect(args).toMatch(/-t '[^']+'/);
  expect(exampleArgs('npx zapier-platform test --skip-validate -- -- ')).toBe(args);
  const run = runLine(`node_modules/.bin/jest ${args}`);
  expect(run.status).toBe(0);
  const passed = /^Tests:.*?(\d+) passed/m.exec(run.output);
  expect(Number(passed?.[1] ?? 0)).toBeGreaterThan(0);
}, 120_000);
