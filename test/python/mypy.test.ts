/**
 * The Python package's types under mypy --strict, as python/pyproject.toml sets it (Python 3.9,
 * the package and tests/typecheck/uses.py, which uses it as its users do): no error at all, or
 * this fails with mypy's lines. tests/typecheck/mistakes.py holds users' mistakes (a handler typed
 * for another event, a misspelt name or field, an option of the wrong type): mypy must report
 * exactly the errors its `# E:` markers name, at their lines. mypy missing fails (never skips).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markedErrors, runMypy } from './mypy-run';

const MISTAKES = 'tests/typecheck/mistakes.py';

const cacheDir = mkdtempSync(join(tmpdir(), 'isao-mypy-'));
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

// one run of each, before the tests (as test/python/pytest.test.ts runs pytest)
const whole = runMypy({ cacheDir });
const mistakes = runMypy({ args: [MISTAKES], cacheDir });

describe('the Python package’s types (mypy --strict, python/pyproject.toml)', () => {
  it('hold: no error in python/isao_webhooks nor in tests/typecheck/uses.py', () => {
    if (whole.failure !== undefined) throw new Error(whole.failure);
    if (whole.errors.length > 0) {
      throw new Error(
        `mypy found errors in the package or tests/typecheck/uses.py:\n${whole.output}`,
      );
    }
    expect(whole.output).toMatch(/^Success: no issues found in \d+ source files$/m);
  });

  it('refuse exactly the mistakes marked in tests/typecheck/mistakes.py, at their lines', () => {
    if (mistakes.failure !== undefined) throw new Error(mistakes.failure);
    const expected = markedErrors(MISTAKES);
    expect(expected.length).toBeGreaterThanOrEqual(10);
    // by line, each line's in mypy's order (which its markers follow)
    const found = mistakes.errors
      .filter(({ file }) => file === MISTAKES)
      .sort((a, b) => a.line - b.line);
    expect(found).toEqual(
      expected.map(({ line, code, part }) => ({
        file: MISTAKES,
        line,
        code,
        message: expect.stringContaining(part),
      })),
    );
  });

  it('fail when mypy is not installed, saying what to run', () => {
    // -S: no site packages, so Debian's python3-mypy is out of sight
    const run = runMypy({ cacheDir, python: ['/usr/bin/python3', '-S'] });
    expect(run.failure).toMatch(
      /^mypy is not installed for \/usr\/bin\/python3: run `node scripts\/servers\/install.js`/,
    );
  });
});
