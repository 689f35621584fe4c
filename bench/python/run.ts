/**
 * `npm run bench:python`: what `isao_webhooks` (python/) costs a receiver, in one run on one
 * machine (see bench/python/RESULTS.md): bench/python/measure.py times, in one Python process,
 * `Receiver.receive()` per 1 KB delivery against a floor written by hand, against `verify()`
 * alone and against a new event loop per delivery (what `receive()` did before it was
 * synchronous), and the WSGI middleware through a WSGI call against a bare WSGI application.
 * `npm run bench:python -- --update` writes bench/python/RESULTS.md; without it the results go
 * to bench/.work/python/RESULTS.md (untracked). Exits non-zero when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, WORK } from '../children';
import { loadAverage, machine } from '../history';
import { fixed, log, publish, ratio, runBench, summarise, table, verdict } from '../report';

const UPDATE = process.argv.includes('--update');
const TRACKED = path.join(ROOT, 'bench', 'python', 'RESULTS.md');
const RESULTS = UPDATE ? TRACKED : path.join(WORK, 'python', 'RESULTS.md');
/** Debian's interpreter, as the package's tests use it (the one first on PATH may be another). */
const PYTHON = '/usr/bin/python3';
const ROUNDS = 15;
const OPS = 1_000;

const CONTENDERS = [
  'floor',
  'verify',
  'receive',
  'areceive',
  'loop per delivery',
  'wsgi bare',
  'wsgi',
] as const;
type Contender = (typeof CONTENDERS)[number];

/** What each contender is, as the tables say it. */
const LABELS: Record<Contender, string> = {
  floor: 'floor: hmac.new().digest(), hmac.compare_digest, json.loads',
  verify: 'verify() alone',
  receive: 'receive(): memory store, one plain handler',
  areceive: 'await areceive(), in one running loop',
  'loop per delivery': 'asyncio.run(areceive()): a new loop per delivery',
  'wsgi bare': 'WSGI: a bare application doing the floor',
  wsgi: 'WSGI: IsaoWsgi as middleware',
};

/** Each target: a ratio of two contenders, paired per round, and its limit (≤). */
const TARGETS: readonly { what: string; of: Contender; over: Contender; limit: number }[] = [
  {
    what: 'receive() / a new loop per delivery (receive() before)',
    of: 'receive',
    over: 'loop per delivery',
    limit: 0.5,
  },
  { what: 'WSGI middleware / receive()', of: 'wsgi', over: 'receive', limit: 1.15 },
];
/** Ratios shown without a target (what they hold is said in RESULTS.md's notes). */
const DIAGNOSTICS: readonly { what: string; of: Contender; over: Contender }[] = [
  { what: 'receive() / floor', of: 'receive', over: 'floor' },
  { what: 'receive() / verify() alone', of: 'receive', over: 'verify' },
  { what: 'verify() / floor', of: 'verify', over: 'floor' },
  { what: 'areceive() / receive()', of: 'areceive', over: 'receive' },
  { what: 'WSGI middleware / bare WSGI application', of: 'wsgi', over: 'wsgi bare' },
];

interface Measured {
  python: string;
  ops: number;
  samples: Record<Contender, number[]>;
}

/** Whether `samples` holds ROUNDS times for the contender. */
const hasRounds = (samples: object, name: Contender): boolean => {
  const times: unknown = Reflect.get(samples, name);
  return (
    Array.isArray(times) &&
    times.length === ROUNDS &&
    times.every((time) => typeof time === 'number')
  );
};

const isMeasured = (value: unknown): value is Measured => {
  if (typeof value !== 'object' || value === null || !('python' in value)) return false;
  const samples: unknown = Reflect.get(value, 'samples');
  return (
    typeof samples === 'object' &&
    samples !== null &&
    CONTENDERS.every((name) => hasRounds(samples, name))
  );
};

const measure = (): Measured => {
  const script = path.join(ROOT, 'bench', 'python', 'measure.py');
  const run = spawnSync(PYTHON, [script, String(ROUNDS), String(OPS)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`measure.py exited with ${String(run.status)}`);
  const parsed: unknown = JSON.parse(run.stdout);
  if (!isMeasured(parsed)) throw new Error(`measure.py printed ${run.stdout.slice(0, 200)}`);
  return parsed;
};

/** The median over the rounds of `of`'s time over `over`'s in the same round. */
const paired = ({ samples }: Measured, of: Contender, over: Contender): number =>
  summarise(samples[of].map((value, round) => value / (samples[over][round] ?? NaN))).median;

const main = async () => {
  const began = Date.now();
  const host = machine();
  const loadBefore = loadAverage();
  log(`${host.cpu}, ${String(host.cores)} cores; load ${loadBefore}`);
  log(`${PYTHON} bench/python/measure.py: ${String(ROUNDS)} rounds of ${String(OPS)} deliveries…`);
  const measured = measure();
  let missed = 0;
  const targetRows = TARGETS.map(({ what, of, over, limit }) => {
    const value = paired(measured, of, over);
    if (!(value <= limit)) missed += 1;
    return [what, ratio(value), `≤ ${ratio(limit)}`, verdict(value <= limit)];
  });
  const diagnosticRows = DIAGNOSTICS.map(({ what, of, over }) => [
    what,
    ratio(paired(measured, of, over)),
  ]);
  const timeRows = CONTENDERS.map((name) => {
    const summary = summarise(measured.samples[name]);
    return [LABELS[name], `${fixed(summary.median, 1)} µs`, `${fixed(summary.min, 1)} µs`];
  });
  const seconds = Math.round((Date.now() - began) / 1000);
  const generated = [
    `Generated by \`npm run bench:python\` on ${new Date().toISOString().slice(0, 10)} (${String(seconds)} s): Python ${measured.python} (${PYTHON}). Machine: ${host.cpu}, ${String(host.cores)} cores, ${String(host.memoryGiB)} GiB; ${host.os}. Load average (1 / 5 / 15 min): ${loadBefore} before, ${loadAverage()} after.`,
    `### Targets (paired: each round's ratio, median of ${String(ROUNDS)} rounds)`,
    table(['measure', 'ratio', 'target', ''], targetRows),
    '### Other ratios (paired, no target)',
    table(['measure', 'ratio'], diagnosticRows),
    `### Time per 1 KB delivery (${String(ROUNDS)} rounds of ${String(OPS)}, each delivery a new event id)`,
    table(['contender', 'median', 'fastest round'], timeRows),
  ].join('\n\n');
  await publish({ file: RESULTS, tracked: TRACKED, root: ROOT }, generated, missed);
};

runBench(main);
