/**
 * The Python package's tests (python/tests) under the README's test command: pytest runs once,
 * on Debian's /usr/bin/python3, with throwaway Redis and PostgreSQL started by
 * scripts/servers/servers.js (their addresses in ISAO_REDIS_URL and ISAO_POSTGRES_URL), and each
 * pytest case is a jest test here: a failed case fails with pytest's message; pytest missing,
 * nothing collected or a case skipped fail too (test/python/pytest-run.ts).
 */
import { join } from 'node:path';
import { ROOT } from '../sdk/helpers';
import { runPytest, verdicts } from './pytest-run';

const run = runPytest({
  args: ['python/tests'],
  cwd: ROOT,
  wrapper: [process.execPath, join(ROOT, 'scripts', 'servers', 'servers.js')],
});

describe('python/tests (pytest, on throwaway Redis and PostgreSQL)', () => {
  it.each(verdicts(run))('$title', ({ failure }) => {
    if (failure !== undefined) throw new Error(failure);
  });
});
