/**
 * One cold start, as a fresh Lambda container does it: require the unpacked zip's
 * zapierwrapper.js, then complete one `execute` (core loads the app on that first call).
 * Usage: node cold.js <zapierwrapper.js> <event.json>; reports on fd 3, in milliseconds since
 * the process started. Nothing but node built-ins is loaded before the measured require.
 * V8's garbage collections are recorded too: one young-generation collection of some 20 ms falls
 * due around the end of the first execute, and whether it lands inside or just after it moves the
 * total by that much (bench/RESULTS.md, notes).
 */
import { readFileSync, writeSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';

type Handler = (event: unknown) => Promise<{ results: unknown }>;

export interface ColdSample {
  /** Process start → execute done (node's own start-up included). */
  total: number;
  /** require('zapierwrapper.js'): core and its dependencies. */
  require: number;
  /** The first execute: loading the app, compiling its definition, running perform. */
  execute: number;
  /** Garbage-collection pauses that began during the first execute, ms in all. */
  gcInExecute: number;
  /** Garbage-collection pauses that began in the 100 ms after it (left for the next call). */
  gcAfter: number;
  /** CommonJS modules loaded by the end. */
  modules: number;
  /** How many records perform returned. */
  records: number;
}

const [wrapper = '', eventFile = ''] = process.argv.slice(2);
const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
const pauses: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    pauses.push({ start: entry.startTime, duration: entry.duration });
  }
}).observe({ entryTypes: ['gc'] });
const pausedWithin = (from: number, to: number) =>
  pauses.filter((p) => p.start >= from && p.start < to).reduce((sum, p) => sum + p.duration, 0);

const start = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require(wrapper) as { handler: Handler };
const required = performance.now();
handler(event).then(
  ({ results }) => {
    const done = performance.now();
    // the observer reports asynchronously; the time waited here is not measured
    setTimeout(() => {
      const sample: ColdSample = {
        total: done,
        require: required - start,
        execute: done - required,
        gcInExecute: pausedWithin(required, done),
        gcAfter: pausedWithin(done, done + 100),
        modules: Object.keys(require.cache).length,
        records: Array.isArray(results) ? results.length : -1,
      };
      writeSync(3, JSON.stringify(sample));
      process.exit(0);
    }, 150);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
