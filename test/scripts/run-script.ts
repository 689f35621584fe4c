/**
 * Runs the project's commands as a user types them (npm scripts, documented examples), from the
 * project root, for the tests in test/scripts/.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The environment of a command a user runs offline: no Zapier CLI analytics, no colours. */
const offlineEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  DISABLE_ZAPIER_ANALYTICS: '1',
  NO_UPDATE_NOTIFIER: '1',
  FORCE_COLOR: '0',
});

/** Runs fn with a fresh temporary folder, removed afterwards. */
export const withTempDir = <T>(fn: (dir: string) => T): T => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-script-test-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

export interface Finished {
  status: number | null;
  /** stdout and stderr together, in the order they arrived per stream */
  output: string;
}

/** Runs a command line through the shell, as written in a doc, and waits for it to end. */
export const runLine = (line: string, timeoutMs = 120_000): Finished => {
  const result = spawnSync('sh', ['-c', line], {
    cwd: ROOT,
    env: offlineEnv(),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

export interface RunningScript {
  /** Resolves with the first match of `pattern` in the output; rejects if the command ends first. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  output: () => string;
  /** Sends SIGINT (Ctrl-C) to the command and all it started; resolves once it has ended. */
  stop: () => Promise<void>;
}

/**
 * Starts a long-running command (e.g. `npm run sandbox`) in its own process group, so that
 * stopping it reaches npm, the shell and the server alike, as Ctrl-C in a terminal does.
 */
export const startScript = (command: string, args: string[]): RunningScript => {
  const child = spawn(command, args, { cwd: ROOT, env: offlineEnv(), detached: true });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      for (const listener of listeners) listener();
      resolve();
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const waitFor = (pattern: RegExp, timeoutMs = 45_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${String(pattern)} within ${String(timeoutMs)} ms:\n${output}`));
      }, timeoutMs);
      const check = () => {
        const match = pattern.exec(output);
        if (match) {
          done();
          resolve(match);
        } else if (!running()) {
          done();
          reject(new Error(`ended before ${String(pattern)}:\n${output}`));
        }
      };
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  const stop = async () => {
    if (running() && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    return exited;
  };
  return { waitFor, output: () => output, stop };
};
