/**
 * Runs pytest and turns its JUnit XML report into one verdict per Python test case, for jest to
 * run as its own tests (test/python/pytest.test.ts): CI's count includes them, and a failed case
 * fails jest with pytest's message. A run that proves nothing fails too: pytest missing, nothing
 * collected (exit 5), a case skipped, or an exit code no case explains.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's interpreter, which sees Debian's python3-* packages (the pyenv one on PATH does not). */
export const PYTHON = '/usr/bin/python3';

export interface Case {
  title: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** pytest's message and text for a failure, error or skip. */
  message: string;
}

export interface PytestRun {
  status: number | null;
  output: string;
  cases: Case[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const unescape = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });

const attribute = (tag: string, name: string): string =>
  unescape(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '');

/** The test cases of a JUnit XML report, as pytest writes it. */
export const parseJUnit = (xml: string): Case[] =>
  [...xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map(
    ([, tag = '', body = '']) => {
      const title = `${attribute(tag, 'classname')}::${attribute(tag, 'name')}`;
      const child = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
      if (child === null) return { title, outcome: 'passed', message: '' };
      const [, kind = '', attributes = '', text = ''] = child;
      const message = [attribute(attributes, 'message'), unescape(text).trim()]
        .filter(Boolean)
        .join('\n');
      return { title, outcome: kind === 'skipped' ? 'skipped' : 'failed', message };
    },
  );

/**
 * Runs `python -m pytest <args>` in `cwd`, through `wrapper` (e.g. the servers' script, which
 * starts Redis and PostgreSQL and sets their addresses), and reads its report.
 */
export const runPytest = ({
  args,
  cwd,
  python = [PYTHON],
  wrapper = [],
  env = {},
}: {
  args: string[];
  cwd: string;
  python?: string[];
  wrapper?: string[];
  env?: Record<string, string | undefined>;
}): PytestRun => {
  const dir = mkdtempSync(join(tmpdir(), 'isao-pytest-'));
  const report = join(dir, 'junit.xml');
  try {
    const command = [
      ...wrapper,
      ...python,
      '-m',
      'pytest',
      '-p',
      'no:cacheprovider',
      '-q',
      '-rA',
      // plain text in the report's messages, whatever the environment asks for (FORCE_COLOR,
      // which Stryker sets: pytest then colours and highlights the failures it writes there)
      '--color=no',
      '--code-highlight=no',
      `--junitxml=${report}`,
      ...args,
    ];
    const [file = PYTHON, ...rest] = command;
    const done = spawnSync(file, rest, {
      cwd,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PY_COLORS: '0', ...env },
    });
    let xml = '';
    try {
      xml = readFileSync(report, 'utf8');
    } catch {
      // no report: pytest missing, or it never started
    }
    const output = `${done.stdout}${done.stderr}${done.error ? String(done.error) : ''}`;
    return { status: done.status, output, cases: parseJUnit(xml) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Why the run as a whole proves nothing, or undefined when its cases tell everything. */
const runFailure = ({ status, output, cases }: PytestRun): string | undefined => {
  if (/No module named pytest/.test(output)) {
    return `pytest is not installed for ${PYTHON}: run \`node scripts/servers/install.js\` (as root, it installs Debian's python3-pytest).\n${output}`;
  }
  if (status === 5 || cases.length === 0) {
    return `pytest collected no test (exit ${String(status)}): the Python tests did not run.\n${output}`;
  }
  const failed = cases.some((one) => one.outcome !== 'passed');
  if (status !== 0 && !(status === 1 && failed)) {
    return `pytest ended with exit ${String(status)}, which its cases do not explain.\n${output}`;
  }
  return undefined;
};

/** One verdict per case (a message when it failed), and one more when the run itself failed. */
export const verdicts = (run: PytestRun): { title: string; failure?: string }[] => {
  const whole = runFailure(run);
  return [
    ...(whole === undefined ? [] : [{ title: 'pytest ran the Python tests', failure: whole }]),
    ...run.cases.map(({ title, outcome, message }) => {
      if (outcome === 'passed') return { title };
      if (outcome === 'skipped') {
        return { title, failure: `skipped (a Python test must run, never skip): ${message}` };
      }
      return { title, failure: message };
    }),
  ];
};
