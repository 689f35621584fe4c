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
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as ZipSteps from '../scripts/zip';
import { startLocalZapier } from '../sandbox/local-zapier';
import { startSandbox } from '../sandbox/server';
import { bareReference, CORE_VERSION, writeNoopVariant } from './bare-app';
import {
  childEnv,
  performOf,
  ROOT,
  runChild,
  runWorker,
  WORK,
  writeJson,
  type AppName,
  type BuiltApp,
} from './children';
import type { ColdSample } from './cold';
import {
  CUSTOM_FIELDS,
  executeEvent,
  TRIGGER,
  webhookBundle,
  type EventSpec,
  type Kind,
} from './fixtures';
import { fixed, ratio, summarise, table, verdict, writeResults } from './report';
import { countRequests } from './requests';
import type { LoopJob, Platform } from './worker';

// scripts/zip.js is plain CommonJS, loaded by path: the compiled bench runs from bench/.work/js
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zip = require(path.join(ROOT, 'scripts', 'zip.js')) as typeof ZipSteps;

const UPDATE = process.argv.includes('--update');
const TRACKED_RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const RESULTS = UPDATE ? TRACKED_RESULTS : path.join(WORK, 'RESULTS.md');
const TARGETS = { cold: 1.05, perEvent: 1.2, zipBytes: 30_000 };
const COLD = { warmup: 2, runs: 31 };
const ROUNDS = 5;
const LOOPS: Record<Kind, Pick<LoopJob, 'warmup' | 'iterations'>> = {
  contact: { warmup: 300, iterations: 1000 },
  appointment: { warmup: 100, iterations: 250 },
};

const log = (line = '') => {
  process.stdout.write(`${line}\n`);
};

// ---------------------------------------------------------------------------------------------
// build

type Apps = Record<AppName, BuiltApp>;

const unpack = (name: AppName, zipPath: string): BuiltApp => {
  const dir = zip.unpackZip(zipPath, path.join(WORK, name, 'unpacked'));
  const corePackage = path.join(dir, 'node_modules', 'zapier-platform-core', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(corePackage, 'utf8')) as { version: string };
  if (version !== CORE_VERSION) {
    throw new Error(`${name}'s build.zip has zapier-platform-core ${version}, not ${CORE_VERSION}`);
  }
  const wrapper = path.join(dir, 'zapierwrapper.js');
  return { name, zip: zipPath, dir, wrapper, bytes: fs.statSync(zipPath).size };
};

/** `name@version` of each package, wherever npm placed it (hoisting differs between installs). */
const byName = (tree: readonly string[]) =>
  tree.map((entry) => entry.slice(entry.lastIndexOf('node_modules/') + 'node_modules/'.length));

const buildAll = (): { apps: Apps; packages: { ours: string[]; bare: string[] } } => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run the bench with `npm run bench` (it compiles first)');
  }
  // ours: the steps of `npm run zip`, staged outside the project
  log('building build/build.zip…');
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-bench-stage-'));
  let ourZip: string;
  try {
    zip.stageApp({ stage });
    ourZip = zip.buildZip(stage, path.join(ROOT, 'build', 'build.zip'), 'pipe');
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  const cli = path.join(ROOT, 'node_modules', '.bin', 'zapier-platform');
  const env = { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', NO_UPDATE_NOTIFIER: '1' };
  const bare = bareReference(WORK, cli, env, log);
  log(`bare reference: ${path.relative(ROOT, bare.zip)}${bare.built ? '' : ' (cached)'}`);
  const ours = unpack('ours', ourZip);
  const noop: BuiltApp = {
    ...ours,
    name: 'noop',
    wrapper: writeNoopVariant(ours.dir, [TRIGGER.contact.key, TRIGGER.appointment.key]),
  };
  return {
    apps: { ours, noop, bare: unpack('bare', bare.zip) },
    packages: { ours: byName(zip.productionTree()).sort(), bare: byName(bare.packages).sort() },
  };
};

// ---------------------------------------------------------------------------------------------
// cold start

interface ColdVariant {
  id: 'ours' | 'ours-no-id' | 'bare';
  label: string;
  app: AppName;
  /** A fresh eventId per run: ours makes its one dedup cache call (the typical event). */
  eventId: boolean;
}

const COLD_VARIANTS: ColdVariant[] = [
  {
    id: 'ours',
    label: 'ours: new_contact, signed, eventId (1 cache call)',
    app: 'ours',
    eventId: true,
  },
  { id: 'bare', label: 'bare core-19: no-op, same event', app: 'bare', eventId: true },
  {
    id: 'ours-no-id',
    label: 'ours, event without eventId (no cache call)',
    app: 'ours',
    eventId: false,
  },
];

const coldStart = async (
  apps: Apps,
  platform: Platform,
  env: NodeJS.ProcessEnv,
  runId: string,
): Promise<Map<ColdVariant['id'], ColdSample[]>> => {
  const samples = new Map<ColdVariant['id'], ColdSample[]>(COLD_VARIANTS.map((v) => [v.id, []]));
  for (let i = 0; i < COLD.warmup + COLD.runs; i += 1) {
    // rotate who goes first, so drifting machine load hits all alike
    const order = COLD_VARIANTS.map((_, k) => COLD_VARIANTS[(i + k) % COLD_VARIANTS.length]);
    const line: string[] = [];
    for (const variant of order) {
      if (!variant) continue;
      const app = apps[variant.app];
      const bundle = webhookBundle({
        kind: 'contact',
        signed: true,
        n: i,
        ...(variant.eventId ? { eventId: `${runId}-cold-${variant.id}-${String(i)}` } : {}),
      });
      const file = writeJson(
        `${variant.id}-cold`,
        executeEvent(performOf(app, 'contact'), bundle, platform),
      );
      const sample = JSON.parse(
        await runChild('cold.js', [app.wrapper, file], app.dir, env),
      ) as ColdSample;
      if (sample.records !== 1) {
        throw new Error(
          `${variant.id}: the cold perform returned ${String(sample.records)} records`,
        );
      }
      if (i >= COLD.warmup) samples.get(variant.id)?.push(sample);
      line.push(`${variant.id} ${fixed(sample.total)}`);
    }
    const phase =
      i < COLD.warmup ? 'warm-up' : `${String(i - COLD.warmup + 1)}/${String(COLD.runs)}`;
    log(`  cold start ${phase}: ${line.join(', ')} ms`);
  }
  return samples;
};

// ---------------------------------------------------------------------------------------------
// per-event cost

interface PerEventCase {
  id: string;
  label: string;
  app: AppName;
  spec: Omit<EventSpec, 'eventId' | 'n'>;
  withEventId: boolean;
  expectRecords: number;
  /** The case it is compared with: the no-op perform on our definition, same event. */
  baseline?: string;
  /** The cases the target is for; the others show where the time goes. */
  target: boolean;
}

const FIELDS = `${String(CUSTOM_FIELDS)} custom fields`;

/** Each kind's cases: the no-op on our definition, ours, and the bare app, all on one event. */
const casesOf = (kind: Kind): PerEventCase[] => {
  const what = kind === 'contact' ? 'contact' : `appointment, ${FIELDS}`;
  const noop = `noop-${kind}`;
  const signed = { kind, signed: true };
  return [
    {
      id: noop,
      label: `${what}: no-op perform on our definition (the baseline)`,
      app: 'noop',
      spec: signed,
      withEventId: true,
      expectRecords: 1,
      target: false,
    },
    {
      id: `${kind}-no-id`,
      label: `${what}: signed, no eventId (our perform's own work)`,
      app: 'ours',
      spec: signed,
      withEventId: false,
      expectRecords: 1,
      baseline: noop,
      target: true,
    },
    {
      id: kind,
      label: `${what}: signed, with eventId (+ 1 dedup cache call)`,
      app: 'ours',
      spec: signed,
      withEventId: true,
      expectRecords: 1,
      baseline: noop,
      target: false,
    },
    ...(kind === 'contact'
      ? [
          {
            id: 'other-event',
            label: 'contact body, another event type, unsigned: perform returns [] at once',
            app: 'ours' as const,
            spec: { kind, signed: false, event: 'deal.created' },
            withEventId: false,
            expectRecords: 0,
            baseline: noop,
            target: false,
          },
        ]
      : []),
    {
      id: `bare-${kind}`,
      label: `${what}: the bare app's no-op (its definition: 1 trigger)`,
      app: 'bare',
      spec: signed,
      withEventId: true,
      expectRecords: 1,
      baseline: noop,
      target: false,
    },
  ];
};

const CASES: PerEventCase[] = [...casesOf('contact'), ...casesOf('appointment')];

/** µs per perform of each case: the median and the mean of each round. */
interface Timings {
  median: number[];
  mean: number[];
}

const perEvent = async (
  apps: Apps,
  platform: Platform,
  env: NodeJS.ProcessEnv,
  runId: string,
): Promise<Map<string, Timings>> => {
  const timings = new Map<string, Timings>();
  for (let round = 0; round < ROUNDS; round += 1) {
    // each kind's cases next to their baseline, in alternating order
    for (const c of round % 2 === 0 ? CASES : [...CASES].reverse()) {
      const app = apps[c.app];
      const loop: LoopJob = {
        ...LOOPS[c.spec.kind],
        spec: c.spec,
        expectRecords: c.expectRecords,
        ...(c.withEventId ? { eventIdPrefix: `${runId}-${c.id}-${String(round)}` } : {}),
      };
      const method = performOf(app, c.spec.kind);
      const { medianUs = NaN, meanUs = NaN } = await runWorker(
        app,
        { method, platform, loop },
        env,
      );
      const t = timings.get(c.id) ?? { median: [], mean: [] };
      timings.set(c.id, { median: [...t.median, medianUs], mean: [...t.mean, meanUs] });
      log(
        `  per event, round ${String(round + 1)}/${String(ROUNDS)}: ${c.id} ${fixed(medianUs)} µs`,
      );
    }
  }
  return timings;
};

/** Core's per-invocation compile of each app's definition: µs (median of rounds) and size. */
const definitionCompile = async (
  apps: Apps,
  platform: Platform,
  env: NodeJS.ProcessEnv,
): Promise<Record<'ours' | 'bare', { us: number; nodes: number }>> => {
  const us = { ours: [] as number[], bare: [] as number[] };
  const nodes = { ours: NaN, bare: NaN };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of round % 2 === 0
      ? (['ours', 'bare'] as const)
      : (['bare', 'ours'] as const)) {
      const compile = { warmup: 200, iterations: 1000 };
      const result = await runWorker(apps[name], { method: '', platform, compile }, env);
      us[name].push(result.medianUs ?? NaN);
      nodes[name] = result.definitionNodes ?? NaN;
    }
  }
  log(
    `  core's compile of the definition: ours ${fixed(summarise(us.ours).median)} µs, bare ${fixed(summarise(us.bare).median)} µs`,
  );
  return {
    ours: { us: summarise(us.ours).median, nodes: nodes.ours },
    bare: { us: summarise(us.bare).median, nodes: nodes.bare },
  };
};

// ---------------------------------------------------------------------------------------------
// report

const machine = () => {
  const release = fs.existsSync('/etc/os-release')
    ? fs.readFileSync('/etc/os-release', 'utf8')
    : '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${pretty ?? os.type()}, ${os.platform()} ${os.release()} ${os.arch()}`,
  };
};

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

const kB = (bytes: number) => `${fixed(bytes / 1000)} kB`;

interface HistoryEntry {
  /** 2: per-event ratios against the no-op on our definition, bare installed on its own. */
  bench?: number;
  date: string;
  machine: string;
  load: string;
  cold: number;
  coldPaired: number;
  coldNoId: number;
  perEvent: Record<string, number>;
  zipDelta: number;
}

/** Appends this run to bench/.work/history.jsonl; returns the latest runs on this machine. */
const history = (entry: HistoryEntry): HistoryEntry[] => {
  const file = path.join(WORK, 'history.jsonl');
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryEntry)
    .filter((e) => e.machine === entry.machine && e.bench === 2)
    .slice(-6);
};

/** What differs between two package lists (name@version each). */
const packageDiff = (ours: readonly string[], bare: readonly string[]): string => {
  const onlyOurs = ours.filter((p) => !bare.includes(p));
  const onlyBare = bare.filter((p) => !ours.includes(p));
  if (onlyOurs.length === 0 && onlyBare.length === 0) return 'the same packages and versions';
  return [
    onlyOurs.length > 0 ? `only ours: ${onlyOurs.join(', ')}` : '',
    onlyBare.length > 0 ? `only bare: ${onlyBare.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
};

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
    const coldRatioOf = (id: ColdVariant['id']) =>
      coldOf(id, 'total').median / coldOf('bare', 'total').median;
    // each run against the bare run of the same round (they ran back to back)
    const coldPairedOf = (id: ColdVariant['id']) => {
      const bare = cold.get('bare') ?? [];
      return summarise((cold.get(id) ?? []).map((s, i) => s.total / (bare[i]?.total ?? NaN)))
        .median;
    };
    const coldTable = table(
      [
        'cold start, ms',
        'median',
        'min',
        'p90',
        'require wrapper',
        'first execute',
        'modules',
        'ratio',
        'paired ratio',
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
          fixed(coldOf(v.id, 'modules').median, 0),
          ratio(coldRatioOf(v.id)),
          ratio(coldPairedOf(v.id)),
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
          'cold start (event without eventId)',
          `≤ ${ratio(TARGETS.cold)} bare`,
          `${ratio(coldTarget)} (paired ${ratio(coldPairedOf('ours-no-id'))})`,
          verdict(coldTarget <= TARGETS.cold),
        ],
        [
          'cold start with the dedup cache call',
          `≤ ${ratio(TARGETS.cold)} bare`,
          `${ratio(coldRatioOf('ours'))} (paired ${ratio(coldPairedOf('ours'))})`,
          verdict(coldRatioOf('ours') <= TARGETS.cold),
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
      cold: coldRatioOf('ours'),
      coldPaired: coldPairedOf('ours'),
      coldNoId: coldTarget,
      perEvent: Object.fromEntries(shown.map((c) => [c.id, ratioOf(c)])),
      zipDelta,
    });
    const historyTable = table(
      [
        'run (UTC)',
        'load before',
        'cold, no id',
        'cold',
        'cold, paired',
        ...shown.map((c) => c.id),
        'zip Δ',
      ],
      runs.map((e) => [
        e.date.slice(0, 16).replace('T', ' '),
        e.load,
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
        'Ratio: median over bare median; paired ratio: median of each run over the bare run of its round (they ran back to back, so shifts in machine load cancel out).',
        coldTable,
        `### Per-event cost: µs per perform, warm (median per round, median of ${String(ROUNDS)} rounds)`,
        `Each round is a fresh process per case: a warm-up, then ${String(LOOPS.contact.iterations)} contact or ${String(LOOPS.appointment.iterations)} appointment events, each built before it is timed; cases run in alternating order. The baseline is our own build.zip with the trigger's perform replaced by a no-op that hands back the webhook's record (bench/bare-app.ts): same definition, same event, same core. Ratio: of the medians; per-round ratios: each round against the baseline's.`,
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
