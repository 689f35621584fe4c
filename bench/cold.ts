/**
 * One cold start, as a fresh Lambda container does it: require the unpacked zip's
 * zapierwrapper.js, then complete one `execute` (core loads the app on that first call).
 * Usage: node cold.js <zapierwrapper.js> <event.json>; reports on fd 3, in milliseconds since
 * the process started. Nothing but node built-ins is loaded before the measured require.
 */
import { readFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

type Handler = (event: unknown) => Promise<{ results: unknown }>;

export interface ColdSample {
  /** Process start → execute done (node's own start-up included). */
  total: number;
  /** require('zapierwrapper.js'): core and its dependencies. */
  require: number;
  /** The first execute: loading the app, compiling its definition, running perform. */
  execute: number;
  /** CommonJS modules loaded by the end. */
  modules: number;
  /** How many records perform returned. */
  records: number;
}

const [wrapper = '', eventFile = ''] = process.argv.slice(2);
const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
const start = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require(wrapper) as { handler: Handler };
const required = performance.now();
handler(event).then(
  ({ results }) => {
    const done = performance.now();
    const sample: ColdSample = {
      total: done,
      require: required - start,
      execute: done - required,
      modules: Object.keys(require.cache).length,
      records: Array.isArray(results) ? results.length : -1,
    };
    writeSync(3, JSON.stringify(sample));
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
