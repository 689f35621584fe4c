/**
 * `npm run bench`: what our bundle costs above the platform's floor, measured in one run on one
 * machine against a bare core-19 app built the same way (see bench/RESULTS.md).
 *
 * 1. builds build/build.zip (scripts/zip.js) and the bare app's zip, and unpacks both;
 * 2. counts the requests each operation makes and exits non-zero when one is wrong;
 * 3. cold start: fresh processes that require zapierwrapper.js and execute one perform;
 * 4. per-event cost of perform through the real handler, warm;
 * 5. build.zip sizes.
 * Every measurement runs in child processes on node_modules/.bin/node, ours and bare interleaved.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as ZipSteps from '../scripts/zip';
import { startLocalZapier } from '../sandbox/local-zapier';
import { startSandbox } from '../sandbox/server';
import { CORE_VERSION, writeBareApp } from './bare-app';
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
import { CUSTOM_FIELDS, executeEvent, webhookBundle, type EventSpec, type Kind } from './fixtures';
import { fixed, ratio, summarise, table, verdict, writeResults } from './report';
import { countRequests } from './requests';
import type { LoopJob, Platform } from './worker';

// scripts/zip.js is plain CommonJS, loaded by path: the compiled bench runs from bench/.work/js
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zip = require(path.join(ROOT, 'scripts', 'zip.js')) as typeof ZipSteps;

const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const TARGETS = { cold: 1.1, perEvent: 1.2, zipBytes: 100_000 };
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

const buildBoth = (): { ours: BuiltApp; bare: BuiltApp } => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/ is missing: run the bench with `npm run bench` (it compiles first)');
  }
  // ours: the steps of `npm run zip`
  const ourStage = path.join(ROOT, '.stage');
  zip.stageApp({ stage: ourStage });
  const ourZip = zip.buildZip(ourStage, path.join(ROOT, 'build', 'build.zip'), 'pipe');
  fs.rmSync(ourStage, { recursive: true, force: true });
  // the bare app: generated, then staged and built the same way
  const bareSource = path.join(WORK, 'bare', 'app');
  const files = writeBareApp(bareSource, path.join(ROOT, '.zapierapprc'));
  const bareStage = path.join(WORK, 'bare', 'stage');
  zip.stageApp({ appDir: bareSource, stage: bareStage, files });
  const bareZip = zip.buildZip(bareStage, path.join(WORK, 'bare', 'build.zip'), 'pipe');
  fs.rmSync(bareStage, { recursive: true, force: true });
  return { ours: unpack('ours', ourZip), bare: unpack('bare', bareZip) };
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
  apps: { ours: BuiltApp; bare: BuiltApp },
  platform: Platform,
  env: NodeJS.ProcessEnv,
  runId: string,
): Promise<Map<ColdVariant['id'], ColdSample[]>> => {
  const samples = new Map<ColdVariant['id'], ColdSample[]>(COLD_VARIANTS.map((v) => [v.id, []]));
  for (let i = 0; i < COLD.warmup + COLD.runs; i += 1) {
    // rotate who goes first, so drifting machine load hits all alike
    const order = COLD_VARIANTS.map((_, k) => COLD_VARIANTS[(i + k) % COLD_VARIANTS.length]);
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
    }
  }
  return samples;
};

// ---------------------------------------------------------------------------------------------
// per-event cost

interface PerEventCase {
  id: string;
  label: string;
  spec: Omit<EventSpec, 'eventId' | 'n'>;
  withEventId: boolean;
  expectRecords: number;
  /** The cases the target is for; the others show where the time goes. */
  target: boolean;
}

const FIELDS = `${String(CUSTOM_FIELDS)} custom fields`;
const CASES: PerEventCase[] = [
  {
    id: 'contact',
    label: 'contact: signed, with eventId (1 cache call)',
    spec: { kind: 'contact', signed: true },
    withEventId: true,
    expectRecords: 1,
    target: true,
  },
  {
    id: 'appointment',
    label: `appointment, ${FIELDS}: signed, with eventId (1 cache call)`,
    spec: { kind: 'appointment', signed: true },
    withEventId: true,
    expectRecords: 1,
    target: true,
  },
  {
    id: 'contact-no-id',
    label: 'contact: signed, no eventId (no cache call)',
    spec: { kind: 'contact', signed: true },
    withEventId: false,
    expectRecords: 1,
    target: false,
  },
  {
    id: 'appointment-no-id',
    label: `appointment, ${FIELDS}: signed, no eventId (no cache call)`,
    spec: { kind: 'appointment', signed: true },
    withEventId: false,
    expectRecords: 1,
    target: false,
  },
  {
    id: 'other-event',
    label: 'contact body, another event type, unsigned: perform returns [] at once',
    spec: { kind: 'contact', signed: false, event: 'deal.created' },
    withEventId: false,
    expectRecords: 0,
    target: false,
  },
];

/** The bare app gets the same signed events (it ignores signature and eventId). */
const bareCase = (kind: Kind): PerEventCase => ({
  id: `bare-${kind}`,
  label: `bare no-op: ${kind}`,
  spec: { kind, signed: true },
  withEventId: true,
  expectRecords: 1,
  target: false,
});

/** µs per perform of each case: the median and the mean of each round. */
interface Timings {
  median: number[];
  mean: number[];
}

const perEvent = async (
  apps: { ours: BuiltApp; bare: BuiltApp },
  platform: Platform,
  env: NodeJS.ProcessEnv,
  runId: string,
): Promise<Map<string, Timings>> => {
  const timings = new Map<string, Timings>();
  // each kind's cases next to the bare run they are compared with (the bare one first or last)
  const jobs: [BuiltApp, PerEventCase][] = (['contact', 'appointment'] as const).flatMap((kind) => [
    ...CASES.filter((c) => c.spec.kind === kind).map((c): [BuiltApp, PerEventCase] => [
      apps.ours,
      c,
    ]),
    [apps.bare, bareCase(kind)],
  ]);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [app, c] of round % 2 === 0 ? jobs : [...jobs].reverse()) {
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
    }
  }
  return timings;
};

/** Core's per-invocation compile of each app's definition: µs (median of rounds) and size. */
const definitionCompile = async (
  apps: { ours: BuiltApp; bare: BuiltApp },
  platform: Platform,
  env: NodeJS.ProcessEnv,
): Promise<Record<AppName, { us: number; nodes: number }>> => {
  const us: Record<AppName, number[]> = { ours: [], bare: [] };
  const nodes: Record<AppName, number> = { ours: NaN, bare: NaN };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const app of round % 2 === 0 ? [apps.ours, apps.bare] : [apps.bare, apps.ours]) {
      const compile = { warmup: 200, iterations: 1000 };
      const result = await runWorker(app, { method: '', platform, compile }, env);
      us[app.name].push(result.medianUs ?? NaN);
      nodes[app.name] = result.definitionNodes ?? NaN;
    }
  }
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
    .filter((e) => e.machine === entry.machine && typeof e.coldPaired === 'number')
    .slice(-6);
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

  log('building build/build.zip and the bare core-19 app…');
  const apps = buildBoth();
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
    const compiled = await definitionCompile(apps, platform, env);
    const loadAfter = loadAverage();

    const coldOf = (id: ColdVariant['id'], key: keyof ColdSample) =>
      summarise((cold.get(id) ?? []).map((s) => s[key]));
    const coldRatioOf = (id: ColdVariant['id']) =>
      coldOf(id, 'total').median / coldOf('bare', 'total').median;
    const coldRatio = coldRatioOf('ours');
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
    const bareOf = (c: PerEventCase) => `bare-${c.spec.kind}`;
    const ratioOf = (c: PerEventCase, key: keyof Timings = 'median') =>
      us(c.id, key) / us(bareOf(c), key);
    const roundRatios = (c: PerEventCase) => {
      const bare = timings.get(bareOf(c))?.median ?? [];
      return (timings.get(c.id)?.median ?? []).map((v, round) => v / (bare[round] ?? NaN));
    };
    const eventTable = table(
      [
        'per-event perform, µs',
        'ours',
        'bare, same event',
        'ratio',
        'per-round ratios',
        'ratio of means',
        'target',
      ],
      CASES.map((c) => {
        const rounds = summarise(roundRatios(c));
        return [
          c.label,
          fixed(us(c.id)),
          fixed(us(bareOf(c))),
          ratio(ratioOf(c)),
          `${ratio(rounds.min)}–${ratio(Math.max(...roundRatios(c)))}`,
          ratio(ratioOf(c, 'mean')),
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
      ['build.zip', 'bytes', ''],
      [
        ['ours', String(apps.ours.bytes), kB(apps.ours.bytes)],
        ['bare core-19', String(apps.bare.bytes), kB(apps.bare.bytes)],
        ['difference', String(zipDelta), kB(zipDelta)],
      ],
    );

    const targetTable = table(
      ['target', 'wanted', 'measured', ''],
      [
        [
          'cold start',
          `≤ ${ratio(TARGETS.cold)} bare`,
          ratio(coldRatio),
          verdict(coldRatio <= TARGETS.cold),
        ],
        ...CASES.filter((c) => c.target).map((c) => [
          `per event: ${c.id}`,
          `≤ ${ratio(TARGETS.perEvent)} no-op`,
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

    const runs = history({
      date: new Date(began).toISOString(),
      machine: `${host.cpu}/${String(host.cores)}/${host.node}`,
      load: loadBefore,
      cold: coldRatio,
      coldPaired: coldPairedOf('ours'),
      coldNoId: coldRatioOf('ours-no-id'),
      perEvent: Object.fromEntries(CASES.map((c) => [c.id, ratioOf(c)])),
      zipDelta,
    });
    const historyTable = table(
      [
        'run (UTC)',
        'load before',
        'cold',
        'cold, paired',
        'cold, no id',
        ...CASES.map((c) => c.id),
        'zip Δ',
      ],
      runs.map((e) => [
        e.date.slice(0, 16).replace('T', ' '),
        e.load,
        ratio(e.cold),
        ratio(e.coldPaired),
        ratio(e.coldNoId),
        ...CASES.map((c) => ratio(e.perEvent[c.id] ?? NaN)),
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
        `Each round is a fresh process per case: a warm-up, then ${String(LOOPS.contact.iterations)} contact or ${String(LOOPS.appointment.iterations)} appointment events, each built before it is timed; each kind's cases run next to the bare run they are compared with, in alternating order. Ratio: of the medians; per-round ratios: each round against its bare run.`,
        eventTable,
        'Where the time goes: core compiles the whole app definition on every invocation, twice (`prepareApp`: a lodash deep copy, a scan and a deep freeze), timed alone:',
        compileTable,
        '### build.zip',
        sizeTable,
        '### Requests per operation (counted by the ISAO sandbox and the zcache RPC)',
        counts.table,
        '### Ratios of the latest runs on this machine',
        historyTable,
      ].join('\n\n'),
    );
    log(`\nwrote ${path.relative(ROOT, RESULTS)} (${String(seconds)} s)`);
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
