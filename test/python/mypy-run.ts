/**
 * Runs mypy (Debian's python3-mypy, on /usr/bin/python3) in python/, where python/pyproject.toml
 * holds its settings, and reads its error lines (test/python/mypy.test.ts). A run that proves
 * nothing is a failure of its own: mypy missing, or an exit code its lines do not explain.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../sdk/helpers';
import { PYTHON } from './pytest-run';

/** The folder mypy runs in: the Python package's, where its settings are. */
export const PYTHON_DIR = join(ROOT, 'python');

export interface MypyError {
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface MypyRun {
  output: string;
  errors: MypyError[];
  /** Why the run proves nothing, or undefined when its lines tell everything. */
  failure?: string;
}

const ERROR_LINE = /^([^:\n]+):(\d+): error: (.*?)(?: {2}\[([a-z-]+)\])?$/gm;

/** The errors of mypy's output (its notes left out). */
export const parseMypy = (output: string): MypyError[] =>
  [...output.matchAll(ERROR_LINE)].map(([, file = '', line = '', message = '', code = '']) => ({
    file,
    line: Number(line),
    code,
    message,
  }));

const runFailure = (status: number | null, output: string, errors: MypyError[]) => {
  if (/No module named mypy/.test(output)) {
    return `mypy is not installed for ${PYTHON}: run \`node scripts/servers/install.js\` (as root, it installs Debian's python3-mypy).\n${output}`;
  }
  if (status === 0 ? errors.length > 0 : status !== 1 || errors.length === 0) {
    return `mypy ended with exit ${String(status)}, which its lines do not explain.\n${output}`;
  }
  return undefined;
};

/**
 * `python -m mypy <args>` in python/ (no args: the files python/pyproject.toml names), with its
 * cache in `cacheDir` (the repository's stays clean, and runs in parallel do not share one).
 */
export const runMypy = ({
  args = [],
  cacheDir,
  python = [PYTHON],
}: {
  args?: string[];
  cacheDir: string;
  python?: string[];
}): MypyRun => {
  const [file = PYTHON, ...rest] = python;
  const done = spawnSync(
    file,
    [...rest, '-m', 'mypy', '--no-color-output', '--cache-dir', cacheDir, ...args],
    { cwd: PYTHON_DIR, encoding: 'utf8', timeout: 600_000 },
  );
  const output = `${done.stdout}${done.stderr}${done.error ? String(done.error) : ''}`;
  const errors = parseMypy(output);
  const failure = runFailure(done.status, output, errors);
  return { output, errors, ...(failure === undefined ? {} : { failure }) };
};

/** `# E: code part`, up to the next marker or the line's end. */
const MARKER = /#\s*E:\s*([a-z][a-z-]*)\s*(.*?)\s*(?=#\s*E:|$)/g;

/**
 * The errors a file's `# E: <code> <part of the message>` markers expect, in line order (several
 * markers on one line for several errors).
 */
export const markedErrors = (path: string): { line: number; code: string; part: string }[] =>
  readFileSync(join(PYTHON_DIR, path), 'utf8')
    .split('\n')
    .flatMap((text, index) =>
      [...text.matchAll(MARKER)].map(([, code = '', part = '']) => ({
        line: index + 1,
        code,
        part,
      })),
    );
