/**
 * Per-event cost: perform through the real handler, warm, each case in its own process against
 * the no-op perform on our definition (same event, same core); and core's per-invocation compile
 * of each app's definition.
 */
import type { Apps } from './build-apps';
import { performOf, runWorker, type AppName } from './children';
import { CUSTOM_FIELDS, type EventSpec, type Kind } from './fixtures';
import { fixed, log, summarise } from './report';
import type { LoopJob, Platform } from './worker';

export const ROUNDS = 5;
export const LOOPS: Record<Kind, Pick<LoopJob, 'warmup' | 'iterations'>> = {
  contact: { warmup: 300, iterations: 1000 },
  appointment: { warmup: 100, iterations: 250 },
};

export interface PerEventCase {
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

export const CASES: PerEventCase[] = [...casesOf('contact'), ...casesOf('appointment')];

/** µs per perform of each case: the median and the mean of each round. */
export interface Timings {
  median: number[];
  mean: number[];
}

export const perEvent = async (
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
export const definitionCompile = async (
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
