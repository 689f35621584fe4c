/**
 * The harness that runs the Python tests under jest (pytest-run.ts), on real pytest runs of
 * small test folders: each case a verdict with pytest's message; a run that proves nothing
 * (pytest missing, nothing collected, a case skipped) a failure; and the store tests, run
 * without their servers' addresses, fail saying how to run them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../sdk/helpers';
import { parseJUnit, runPytest, verdicts } from './pytest-run';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'isao-harness-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const pytestOn = (tests: string, python?: string[]) => {
  writeFileSync(join(dir, 'test_sample.py'), tests);
  return verdicts(runPytest({ args: ['.'], cwd: dir, ...(python ? { python } : {}) }));
};

describe('the pytest harness', () => {
  it('gives each case a verdict, a failure with pytest’s message', () => {
    const found = pytestOn(
      'import pytest\ndef test_ok():\n    pass\n@pytest.mark.parametrize("n", [1, 2])\ndef test_n(n):\n    assert n == 1, "n & <two>"\n',
    );
    expect(found.map(({ title }) => title)).toEqual([
      'test_sample::test_ok',
      'test_sample::test_n[1]',
      'test_sample::test_n[2]',
    ]);
    expect(found.slice(0, 2).map(({ failure }) => failure)).toEqual([undefined, undefined]);
    expect(found[2]?.failure).toMatch(/^AssertionError: n & <two>\n/);
  });

  it('fails when pytest collects nothing (exit 5)', () => {
    expect(pytestOn('x = 1\n')).toEqual([
      {
        title: 'pytest ran the Python tests',
        failure: expect.stringMatching(/^pytest collected no test \(exit 5\)/),
      },
    ]);
  });

  it('fails a skipped case, and an expected failure', () => {
    const found = pytestOn(
      'import pytest\ndef test_skipped():\n    pytest.skip("no server")\n@pytest.mark.xfail\ndef test_x():\n    assert False\n',
    );
    expect(found.map(({ failure }) => failure)).toEqual([
      expect.stringMatching(/^skipped \(a Python test must run, never skip\): no server/),
      expect.stringMatching(/^skipped \(a Python test must run, never skip\)/),
    ]);
  });

  it('fails when pytest is not installed, saying what to run', () => {
    // -S: no site packages, so Debian's python3-pytest is out of sight
    const found = pytestOn('def test_ok():\n    pass\n', ['/usr/bin/python3', '-S']);
    expect(found).toEqual([
      {
        title: 'pytest ran the Python tests',
        failure: expect.stringMatching(
          /^pytest is not installed for \/usr\/bin\/python3: run `node scripts\/servers\/install.js`/,
        ),
      },
    ]);
  });

  it('fails a run whose exit code its cases do not explain', () => {
    writeFileSync(
      join(dir, 'conftest.py'),
      'def pytest_sessionfinish(session):\n    session.exitstatus = 3\n',
    );
    expect(pytestOn('def test_ok():\n    pass\n')[0]).toEqual({
      title: 'pytest ran the Python tests',
      failure: expect.stringMatching(/^pytest ended with exit 3/),
    });
  });

  it('reads XML entities in names and messages', () => {
    expect(
      parseJUnit(
        '<testcase classname="a.b" name="t[&lt;&amp;&gt;]"><error message="&quot;x&#39;&#x41;">tb</error></testcase><testcase classname="c" name="d" />',
      ),
    ).toEqual([
      { title: 'a.b::t[<&>]', outcome: 'failed', message: '"x\'A\ntb' },
      { title: 'c::d', outcome: 'passed', message: '' },
    ]);
  });
});

describe('the store tests without their servers', () => {
  it('fail (not skip), saying to run them through npm test or set the variable', () => {
    const found = verdicts(
      runPytest({
        args: ['python/tests/stores', '-k', 'writes_the_shared_layout'],
        cwd: ROOT,
        env: { ISAO_REDIS_URL: undefined, ISAO_POSTGRES_URL: undefined },
      }),
    );
    expect(found.map(({ title }) => title)).toEqual([
      'tests.stores.test_stores_layout::test_redis_writes_the_shared_layout',
      'tests.stores.test_stores_layout::test_postgres_writes_the_shared_layout',
    ]);
    for (const [i, variable] of ['ISAO_REDIS_URL', 'ISAO_POSTGRES_URL'].entries()) {
      const failure = found[i]?.failure;
      expect(failure).toContain(
        `${variable} is not set: run the Python tests through \`npm test\``,
      );
      expect(failure).toContain(`or set ${variable} to a throwaway server's address.`);
    }
  });
});
