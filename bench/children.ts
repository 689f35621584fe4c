/** Paths, and the measured child processes (all on node_modules/.bin/node). */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { BARE_TRIGGER } from './bare-app';
import { TRIGGER, type Kind } from './fixtures';
import type { WorkerJob, WorkerResult } from './worker';

/** The project root (the bench runs compiled, from bench/.work/js/bench/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const WORK = path.join(ROOT, 'bench', '.work');
export const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');

/** ours: build.zip; noop: ours with the measured performs doing nothing; bare: the bare app. */
export type AppName = 'ours' | 'noop' | 'bare';

/** A build.zip, unpacked as the Lambda unpacks it. */
export interface BuiltApp {
  name: AppName;
  zip: string;
  dir: string;
  wrapper: string;
  bytes: number;
}

/** The environment of every measured process: the Lambda's, with core's logs kept local. */
export const childEnv = (logUrl: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOGGING_ENDPOINT: logUrl };
  delete env.NODE_ENV; // core treats NODE_ENV=test* as "testing"; the Lambda sets none
  delete env.NODE_OPTIONS;
  return env;
};

/** Runs a compiled bench script in `cwd`; resolves with what it reported on fd 3. */
export const runChild = (
  script: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> =>
  new Promise((resolve, reject) => {
    // stdout is dropped: core prints a memory line per invocation, as on Lambda
    const child = spawn(NODE, [path.join(__dirname, script), ...args], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let report = '';
    let errors = '';
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      report += chunk.toString('utf8');
    });
    (child.stdio[2] as Readable).on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(report);
      else reject(new Error(`${script} exited with ${String(code)}:\n${errors}`));
    });
  });

let files = 0;

/** Writes a job or event file for a child process. */
export const writeJson = (name: string, value: unknown): string => {
  files += 1;
  const dir = path.join(WORK, 'jobs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${String(files)}-${name}.json`);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
};

/** Runs a job in a fresh worker process on the app's own zapierwrapper.js handler. */
export const runWorker = async (
  app: BuiltApp,
  job: Omit<WorkerJob, 'wrapper'>,
  env: NodeJS.ProcessEnv,
): Promise<WorkerResult> => {
  const file = writeJson(`${app.name}-worker`, { ...job, wrapper: app.wrapper });
  return JSON.parse(await runChild('worker.js', [file], app.dir, env)) as WorkerResult;
};

/** The perform that takes this kind of event: ours per kind, the bare app's one trigger. */
export const performOf = (app: BuiltApp, kind: Kind): string =>
  `triggers.${app.name === 'bare' ? BARE_TRIGGER : TRIGGER[kind].key}.operation.perform`;
