/**
 * The `isao` CLI two ways: `isao`, the command line's run() (sdk/src/cli.ts) in the test's own
 * process with its output captured, so that mutation testing sees what the commands' tests pin;
 * and `builtCli`, the package built by its own build script and its bin (package.json's
 * `bin.isao`, in dist/) run as a child process, as users run it: for stdin and the vectors file
 * packaged beside the bin.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../sdk/src/cli';
import { buildPackage } from '../build';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How a run's streams look: `terminal` (stdout and stderr), and what is piped into stdin. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Piped into stdin (a function: reading stdin, which may throw); without it, a terminal. */
  input?: string | (() => Buffer);
  /** stdout and stderr are a terminal (colour, progress). */
  terminal?: boolean;
}

/**
 * One command line run by run() in this process: stdout and stderr a terminal only when asked,
 * stdin a terminal unless `input` is piped into it, and only the environment given (the bin's
 * tests drop the test's own ISAO_* too).
 */
export const isao = async (args: readonly string[], options: RunOptions = {}): Promise<Ran> => {
  const { input, terminal = false } = options;
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { isTTY: terminal, write: (text: string) => (stdout += text) },
    stderr: { isTTY: terminal, write: (text: string) => (stderr += text) },
    stdin:
      input === undefined
        ? { isTTY: true, read: () => Buffer.alloc(0) }
        : { isTTY: false, read: typeof input === 'string' ? () => Buffer.from(input) : input },
    env: { ...options.env },
  });
  return { code, stdout, stderr };
};

/** Builds the package once for a test file; `isao(args)` runs its bin. */
export const builtCli = (): {
  bin: string;
  isao: (
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv; input?: string | Uint8Array },
  ) => Promise<Ran>;
  remove: () => void;
} => {
  const built = buildPackage();
  const manifest: unknown = JSON.parse(readFileSync(join(built.dir, 'package.json'), 'utf8'));
  const relative =
    typeof manifest === 'object' &&
    manifest !== null &&
    'bin' in manifest &&
    typeof manifest.bin === 'object' &&
    manifest.bin !== null &&
    'isao' in manifest.bin &&
    typeof manifest.bin.isao === 'string'
      ? manifest.bin.isao
      : '';
  const bin = join(built.dir, relative);
  const isao = (
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; input?: string | Uint8Array } = {},
  ): Promise<Ran> =>
    new Promise((resolve, reject) => {
      // no ISAO_* from the test's own environment: each test says what it sets
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith('ISAO_')),
      );
      const child = spawn(bin, [...args], { env: { ...env, ...options.env }, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(options.input ?? '');
    });
  return { bin, isao, remove: built.remove };
};
