/**
 * Runs operations through the real Lambda handler of an unpacked build.zip (its
 * zapierwrapper.js), in its own process: one operation on a given bundle (request counts), a
 * timed loop of perform over fresh webhook events (per-event cost), or, to show where that time
 * goes, a timed loop of core's compile of the app definition.
 * Usage: node worker.js <job.json>; reports a WorkerResult as JSON on fd 3.
 */
import { readFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { executeEvent, webhookBundle, type EventSpec } from './fixtures';

type Handler = (event: unknown) => Promise<{ results: unknown }>;

export interface Platform {
  rpcBase: string;
  environment: Record<string, string>;
}

export interface LoopJob {
  /** Every event gets a fresh `metadata.eventId` under this prefix; none when absent. */
  eventIdPrefix?: string;
  spec: Omit<EventSpec, 'eventId' | 'n'>;
  warmup: number;
  iterations: number;
  /** Records perform must return per event (checked: a loop that silently errs measures nothing). */
  expectRecords: number;
}

export interface WorkerJob {
  wrapper: string;
  method: string;
  platform: Platform;
  bundle?: Record<string, unknown>;
  loop?: LoopJob;
  /** Time core's compile of the app definition instead (it runs twice per invocation). */
  compile?: { warmup: number; iterations: number };
}

export interface WorkerResult {
  /** The operation's results (one-operation jobs). */
  results?: unknown;
  /** Mean and median microseconds per perform (loops). */
  meanUs?: number;
  medianUs?: number;
  /** Nodes (objects, arrays, values) in the app definition. */
  definitionNodes?: number;
}

const stats = (times: readonly number[]): WorkerResult => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    meanUs: times.reduce((sum, t) => sum + t, 0) / times.length,
    medianUs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
  };
};

/** Events are built outside the timed part, this many at a time. */
const CHUNK = 50;

const loop = async (handler: Handler, job: WorkerJob, spec: LoopJob): Promise<WorkerResult> => {
  const times: number[] = [];
  const run = async (from: number, count: number) => {
    const events = Array.from({ length: count }, (_, k) =>
      executeEvent(
        job.method,
        webhookBundle({
          ...spec.spec,
          n: from + k,
          ...(spec.eventIdPrefix ? { eventId: `${spec.eventIdPrefix}-${String(from + k)}` } : {}),
        }),
        job.platform,
      ),
    );
    for (const [k, event] of events.entries()) {
      // each event in its own macrotask, as on Lambda: back to back in one microtask chain, V8
      // would keep every invocation's domain (and bundle) alive until the chain ends
      await new Promise((resolve) => setImmediate(resolve));
      const start = process.hrtime.bigint();
      const { results } = await handler(event);
      const elapsed = process.hrtime.bigint() - start;
      if (from + k >= spec.warmup) times.push(Number(elapsed) / 1000);
      const records = Array.isArray(results) ? results.length : -1;
      if (records !== spec.expectRecords) {
        throw new Error(
          `${job.method} returned ${String(records)} records, expected ${String(spec.expectRecords)}: ${JSON.stringify(results).slice(0, 300)}`,
        );
      }
    }
  };
  const total = spec.warmup + spec.iterations;
  for (let from = 0; from < total; from += CHUNK) {
    await run(from, Math.min(CHUNK, total - from));
  }
  return stats(times);
};

const countNodes = (value: unknown): number =>
  typeof value === 'object' && value !== null
    ? 1 + Object.values(value).reduce<number>((sum, v) => sum + countNodes(v), 0)
    : 1;

/**
 * core's createAppHandler compiles the app definition on every invocation, twice
 * (create-lambda-handler.js: createApp(appRaw), then schemaTools.prepareApp(appRaw)): a lodash
 * deep copy, a scan for source functions and a deep freeze, each as large as the definition.
 */
const compile = (job: WorkerJob, spec: { warmup: number; iterations: number }): WorkerResult => {
  const appDir = path.dirname(job.wrapper);
  // the unpacked zip's own core, as its handler uses it
  const schemaPath = require.resolve('zapier-platform-core/src/tools/schema', { paths: [appDir] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prepareApp } = require(schemaPath) as { prepareApp: (app: unknown) => unknown };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const app: unknown = require(path.join(appDir, 'index.js'));
  for (let i = 0; i < spec.warmup; i += 1) prepareApp(app);
  const times: number[] = [];
  for (let i = 0; i < spec.iterations; i += 1) {
    const start = process.hrtime.bigint();
    prepareApp(app);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return { ...stats(times), definitionNodes: countNodes(app) };
};

const main = async () => {
  const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as WorkerJob;
  if (job.compile) {
    writeSync(3, JSON.stringify(compile(job, job.compile)));
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(job.wrapper) as { handler: Handler };
  let result: WorkerResult;
  if (job.loop) {
    result = await loop(handler, job, job.loop);
  } else {
    const event = executeEvent(job.method, job.bundle ?? {}, job.platform);
    result = { results: (await handler(event)).results };
  }
  writeSync(3, JSON.stringify(result));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
