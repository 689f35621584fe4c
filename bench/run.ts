/**
 * `npm run bench`: what our bundle costs above the platform's floor, measured in one run on one
 * machine (see bench/RESULTS.md). `npm run bench -- --update` writes the results into
 * bench/RESULTS.md; without it they go to bench/.work/RESULTS.md (untracked).
 *
 * 1. builds build/build.zip (scripts/zip.js) and, once (cached), the bare core-19 reference
 *    installed in its own folder and built by `zapier-platform build`; unpacks both, and adds
 *    the noop variant of ours (our definition, the measured performs doing nothing);
 * 2. counts the requests each operation makes and exits non-zero when one is wrong;
 * 3. cold start: fresh processes that require zapierwrapper.js and execute one perform;
 * 4. per-event cost of perform through the real handler, warm, against the noop variant;
 * 5. build.zip sizes and node_modules, against the bare reference.
 * Every measurement runs in child processes on node_modules/.bin/node, interleaved.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalZapier } from '../sandbox/local-zapier';
import { startSandbox } from '../sandbox/server';
import { buildAll } from './build-apps';
import { childEnv, ROOT, WORK } from './children';
import type { ColdSample } from './cold';
import { history, loadAverage, machine } from './history';
import { COLD, COLD_VARIANTS, coldStart, type ColdVariant } from './measure-cold';
import {
  CASES,
  definitionCompile,
  LOOPS,
  perEvent,
  ROUNDS,
  type PerEventCase,
  type Timings,
} from './measure-per-event';
import {
  fixed,
  kB,
  log,
  packageDiff,
  ratio,
  summarise,
  table,
  verdict,
  writeResults,
} from './report';
import { countRequests } from './requests';
import type { Platform } from './worker';

const UPDATE = process.argv.includes('--update');
const TRACKED_RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const RESULTS = UPDATE ? TRACKED_RESULTS : path.join(WORK, 'RESULTS.md');
/**
 * cold: over the no-op app on our definition (what our code adds); coldDefinition: over bare
 * core-19, a guard on what the definition's size costs core; perEvent: over the no-op perform.
 */
const TARGETS = { cold: 1.05, coldDefinition: 1.2, perEvent: 1.2, zipBytes: 30_000 };
/** A garbage-collection pause this long counts as one in the cold-start table. */
const GC_PAUSE_MS = 5;

const main = async () => {
  const began = Date.now();
  const runId = `${String(began)}-${String(process.pid)}`;
  const host = machine();
  const loadBefore = loadAverage();
  log(`${host.cpu}, ${String(host.cores)} cores, node ${host.node}; load ${loadBefore}`);
  if ((os.loadavg()[0] ?? 0) > host.cores * 0.75) {
    log('note: the machine is busy: timings will be noisy (ratios less so: runs are interleaved)');
  }

  const { apps, packages } = buildAll();
  // the ISAO API (the project's sandbox, one log line per request) and Zapier's side: the zcache
  // RPC endpoint (TTL and nx honoured) and the log service, which the local Zapier keeps
  const sandboxLog: string[] = [];
  const sandbox = await startSandbox({ rateLimit: false, log: (line) => sandboxLog.push(line) });
  const zapier = await startLocalZapier(path.join(apps.ours.dir, 'index.js'));
  const env = childEnv(`${zapier.rpcBase}/logs`);
  const platform: Platform = {
    rpcBase: zapier.rpcBase,
    environment: { ISAO_API_URL: sandbox.baseUrl },
  };
  try {
    log('counting requests per operation…');
    const counts = await countRequests(apps, sandbox, sandboxLog, zapier, platform, env, runId);
    log(counts.table);

    log(`cold start: ${String(COLD.runs)} fresh processes each, interleaved…`);
    const cold = await coldStart(apps, platform, env, runId);
    log(`per-event cost: ${String(ROUNDS)} interleaved rounds…`);
    const timings = await perEvent(apps, platform, env, runId);
    log(`core's compile of each definition: ${String(ROUNDS)} rounds…`);
    const compiled = await definitionCompile(apps, platform, env);
    const loadAfter = loadAverage();

    const coldOf = (id: ColdVariant['id'], key: keyof ColdSample) =>
      summarise((cold.get(id) ?? []).map((s) => s[key]));
    /** The floors: the no-op app on our definition, and bare core-19. */
    type Floor = 'noop' | 'bare';
    const coldRatioOf = (id: ColdVariant['id'], floor: Floor = 'noop') =>
      coldOf(id, 'total').median / coldOf(floor, 'total').median;
    // each run against the floor's run of the same round (they ran back to back)
    const coldPairedOf = (id: ColdVariant['id'], floor: Floor = 'noop') => {
      const base = cold.get(floor) ?? [];
      return summarise((cold.get(id) ?? []).map((s, i) => s.total / (base[i]?.total ?? NaN)))
        .median;
    };
    // runs whose first execute held a collection of a few ms or more (a young-generation one)
    const gcRuns = (id: ColdVariant['id']) =>
      (cold.get(id) ?? []).filter((s) => s.gcInExecute >= GC_PAUSE_MS).length;
    const coldTable = table(
      [
        'cold start, ms',
        'median',
        'min',
        'p90',
        'require wrapper',
        'first execute',
        'GC in it',
        'runs with GC in it',
        'GC just after',
        'modules',
        '× no-op app',
        'paired',
        '× bare',
        'paired',
      ],
      COLD_VARIANTS.map((v) => {
        const total = coldOf(v.id, 'total');
        return [
          v.label,
          fixed(total.median),
          fixed(total.min),
          fixed(total.p90),
          fixed(coldOf(v.id, 'require').median),
          fixed(coldOf(v.id, 'execute').median),
          fixed(coldOf(v.id, 'gcInExecute').median),
          `${String(gcRuns(v.id))}/${String(COLD.runs)}`,
          fixed(coldOf(v.id, 'gcAfter').median),
          fixed(coldOf(v.id, 'modules').median, 0),
          ratio(coldRatioOf(v.id)),
          ratio(coldPairedOf(v.id)),
          ratio(coldRatioOf(v.id, 'bare')),
          ratio(coldPairedOf(v.id, 'bare')),
        ];
      }),
    );

    // per event: the median perform of each round, then the median of the rounds; means shown too
    const us = (id: string, key: keyof Timings = 'median') =>
      summarise(timings.get(id)?.[key] ?? []).median;
    const ratioOf = (c: PerEventCase, key: keyof Timings = 'median') =>
      c.baseline ? us(c.id, key) / us(c.baseline, key) : 1;
    const roundRatios = (c: PerEventCase) => {
      const base = c.baseline ? (timings.get(c.baseline)?.median ?? []) : [];
      return (timings.get(c.id)?.median ?? []).map((v, round) => v / (base[round] ?? v));
    };
    const eventTable = table(
      [
        'per-event perform, µs',
        'µs',
        'over the no-op',
        'ratio',
        'per-round ratios',
        'ratio of means',
        'target',
      ],
      CASES.map((c) => {
        const rounds = summarise(roundRatios(c));
        const base = c.baseline ? us(c.baseline) : NaN;
        return [
          c.label,
          fixed(us(c.id)),
          c.baseline ? `${us(c.id) - base >= 0 ? '+' : ''}${fixed(us(c.id) - base)}` : '',
          c.baseline ? ratio(ratioOf(c)) : '1.00× (baseline)',
          c.baseline ? `${ratio(rounds.min)}–${ratio(Math.max(...roundRatios(c)))}` : '',
          c.baseline ? ratio(ratioOf(c, 'mean')) : '',
          c.target ? verdict(ratioOf(c) <= TARGETS.perEvent) : 'diagnostic',
        ];
      }),
    );

    const compileTable = table(
      ['app definition', 'nodes', 'core compile, µs', '× 2 per invocation'],
      (['ours', 'bare'] as const).map((app) => [
        app,
        String(compiled[app].nodes),
        fixed(compiled[app].us),
        fixed(2 * compiled[app].us),
      ]),
    );

    const zipDelta = apps.ours.bytes - apps.bare.bytes;
    const sizeTable = table(
      ['build.zip', 'bytes', '', 'node_modules'],
      [
        [
          'ours',
          String(apps.ours.bytes),
          kB(apps.ours.bytes),
          `${String(packages.ours.length)} packages: core's production tree (package-lock.json)`,
        ],
        [
          'bare core-19',
          String(apps.bare.bytes),
          kB(apps.bare.bytes),
          `${String(packages.bare.length)} packages: its own \`npm install\``,
        ],
        ['difference', String(zipDelta), kB(zipDelta), packageDiff(packages.ours, packages.bare)],
      ],
    );

    const coldTarget = coldRatioOf('ours-no-id');
    const targetCases = CASES.filter((c) => c.target);
    const targetTable = table(
      ['target', 'wanted', 'measured', ''],
      [
        [
          'cold start (event without eventId): what our code adds',
          `≤ ${ratio(TARGETS.cold)} no-op app on our definition`,
          `${ratio(coldTarget)} (paired ${ratio(coldPairedOf('ours-no-id'))})`,
          verdict(coldTarget <= TARGETS.cold),
        ],
        [
          'cold start (event without eventId): with the definition (guard)',
          `≤ ${ratio(TARGETS.coldDefinition)} bare`,
          `${ratio(coldRatioOf('ours-no-id', 'bare'))} (paired ${ratio(coldPairedOf('ours-no-id', 'bare'))}); no-op app alone ${ratio(coldRatioOf('noop', 'bare'))}`,
          verdict(coldRatioOf('ours-no-id', 'bare') <= TARGETS.coldDefinition),
        ],
        [
          'cold start with the dedup cache call',
          'diagnostic (its first RPC call)',
          `${ratio(coldRatioOf('ours'))} no-op app, ${ratio(coldRatioOf('ours', 'bare'))} bare`,
          '',
        ],
        ...targetCases.map((c) => [
          `per event: ${c.id}`,
          `≤ ${ratio(TARGETS.perEvent)} no-op on our definition`,
          ratio(ratioOf(c)),
          verdict(ratioOf(c) <= TARGETS.perEvent),
        ]),
        [
          'build.zip size',
          `≤ bare + ${kB(TARGETS.zipBytes)}`,
          `bare + ${kB(zipDelta)}`,
          verdict(zipDelta <= TARGETS.zipBytes),
        ],
        [
          'requests per operation',
          'as specified',
          counts.ok ? 'as specified' : 'WRONG',
          counts.ok ? 'pass' : 'FAIL',
        ],
      ],
    );

    const shown = CASES.filter((c) => c.baseline && c.app === 'ours');
    const runs = history({
      bench: 2,
      date: new Date(began).toISOString(),
      machine: `${host.cpu}/${String(host.cores)}/${host.node}`,
      load: loadBefore,
      cold: coldRatioOf('ours', 'bare'),
      coldPaired: coldPairedOf('ours', 'bare'),
      coldNoId: coldRatioOf('ours-no-id', 'bare'),
      coldNoIdNoop: coldTarget,
      perEvent: Object.fromEntries(shown.map((c) => [c.id, ratioOf(c)])),
      zipDelta,
    });
    const historyTable = table(
      [
        'run (UTC)',
        'load before',
        'cold, no id, × no-op app',
        'cold, no id, × bare',
        'cold',
        'cold, paired',
        ...shown.map((c) => c.id),
        'zip Δ',
      ],
      runs.map((e) => [
        e.date.slice(0, 16).replace('T', ' '),
        e.load,
        e.coldNoIdNoop === undefined ? '' : ratio(e.coldNoIdNoop),
        ratio(e.coldNoId),
        ratio(e.cold),
        ratio(e.coldPaired),
        ...shown.map((c) => ratio(e.perEvent[c.id] ?? NaN)),
        kB(e.zipDelta),
      ]),
    );

    for (const t of [coldTable, eventTable, compileTable, sizeTable, targetTable]) log(`\n${t}`);
    const seconds = Math.round((Date.now() - began) / 1000);
    const date = new Date(began).toISOString().slice(0, 10);
    await writeResults(
      RESULTS,
      [
        `Generated by \`npm run bench\` on ${date} (${String(seconds)} s). Machine: ${host.cpu}, ${String(host.cores)} cores, ${String(host.memoryGiB)} GiB; ${host.os}; node ${host.node} (node_modules/.bin/node, for every measured process). Load average (1 / 5 / 15 min): ${loadBefore} before, ${loadAfter} after.`,
        '### Targets',
        targetTable,
        `### Cold start: ${String(COLD.runs)} fresh processes each, ms since process start`,
        "Two floors. The no-op app carries our definition with every function a no-op (bench/bare-app.ts): the target (≤ 1.05×) is against it, for what our code adds. Bare core-19 has a one-trigger definition: the ratio against it also holds what core spends on our definition (its compile, its size in the heap: the young-generation collection in the first execute), guarded at ≤ 1.20×. Ratio: median over the floor's median; paired: median of each run over the floor's run of its round (they ran back to back, so shifts in machine load cancel out).",
        coldTable,
        `### Per-event cost: µs per perform, warm (median per round, median of ${String(ROUNDS)} rounds)`,
        `Each round is a fresh process per case: a warm-up, then ${String(LOOPS.contact.iterations)} contact or ${String(LOOPS.appointment.iterations)} appointment events, each built before it is timed; cases run in alternating order. The baseline is the no-op app: our own build.zip with every function of the definition a no-op, the perform handing back the webhook's record (bench/bare-app.ts): same definition, same event, same core. Ratio: of the medians; per-round ratios: each round against the baseline's.`,
        eventTable,
        'Where the platform floor comes from: core compiles the whole app definition on every invocation, twice (`prepareApp`: a lodash deep copy, a scan and a deep freeze), timed alone:',
        compileTable,
        '### build.zip',
        'Bare: a core-19 app with one no-op hook trigger, installed in its own folder with only zapier-platform-core and built by `zapier-platform build` (bench/bare-app.ts).',
        sizeTable,
        '### Requests per operation (counted by the ISAO sandbox and the zcache RPC)',
        counts.table,
        '### Ratios of the latest runs on this machine',
        historyTable,
      ].join('\n\n'),
      UPDATE ? undefined : TRACKED_RESULTS,
    );
    log(
      `\nwrote ${path.relative(ROOT, RESULTS)} (${String(seconds)} s)` +
        (UPDATE ? '' : '; `npm run bench -- --update` writes bench/RESULTS.md instead'),
    );
    if (!counts.ok) {
      log('FAILED: an operation made the wrong requests or results (see the first table)');
      process.exitCode = 1;
    }
  } finally {
    await zapier.close();
    await sandbox.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
