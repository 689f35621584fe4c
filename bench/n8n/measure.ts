/**
 * The end-to-end measurements in the real n8n: the same signed deliveries to each workflow,
 * sent over HTTP on 127.0.0.1 (fetch), each timed until n8n has recorded its execution (its
 * sqlite row finished, polled every millisecond). Rounds rotate the order of the workflows, so
 * that a drift in the machine's load falls on each alike; every count and wait is bounded.
 *
 * - **one at a time**: a delivery, then nothing until its execution is recorded: the time until
 *   recorded, and until n8n answered the sender;
 * - **deliveries per second**: a run of deliveries, each sent when the previous one was answered
 *   (sequential), or four at a time (concurrent), until all of them are recorded;
 * - **batches**: one request of 100 events, until its one execution is recorded.
 */
import { rotated } from '../report';
import { batch, single, type Delivery } from './deliveries';
import type { Target, TargetId } from './live';
import type { Recorded } from './recorded';

export const BENCH = {
  /** Deliveries to each workflow before anything is timed. */
  warmUp: 30,
  latencyRounds: 25,
  throughputRounds: 4,
  /** Deliveries in one throughput run. */
  perRun: 40,
  concurrency: 4,
  batchRounds: 8,
  /** The longest wait for one execution, or one run's. */
  timeoutMs: 60_000,
};

/** The workflows that take single deliveries, and those that take batches. */
export const SINGLE_TARGETS = ['isao', 'webhook', 'flow'] as const;
export const BATCH_TARGETS = ['isao', 'webhook', 'flowBatch'] as const;

export interface Samples {
  /** ms from sending until the execution was recorded, one delivery at a time. */
  recorded: number[];
  /** ms from sending until n8n answered, the same deliveries. */
  answered: number[];
  /** Deliveries per second of each sequential run. */
  sequential: number[];
  /** Deliveries per second of each concurrent run. */
  concurrent: number[];
  /** ms from sending a batch until its execution was recorded. */
  batch: number[];
}

export const emptySamples = (): Samples => ({
  recorded: [],
  answered: [],
  sequential: [],
  concurrent: [],
  batch: [],
});

/** Sends a delivery; n8n's HTTP status. */
export const send = async (target: Target, delivery: Delivery): Promise<number> => {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  await res.text();
  return res.status;
};

const answeredOk = (target: Target, status: number): void => {
  if (status !== 200) throw new Error(`${target.label} answered HTTP ${String(status)}`);
};

export interface Bench {
  targets: Record<TargetId, Target>;
  recorded: Recorded;
  /** A progress line. */
  say: (line: string) => void;
}

let made = 0;
const singles = (count: number) => Array.from({ length: count }, () => single((made += 1)));

/** One delivery, then its execution recorded: ms until answered and until recorded. */
const oneAtATime = async ({ recorded }: Bench, target: Target, delivery: Delivery) => {
  const before = recorded.finished(target.workflowId).count;
  const at = performance.now();
  const status = await send(target, delivery);
  const answered = performance.now() - at;
  answeredOk(target, status);
  const seen = await recorded.until(target.workflowId, before + 1, BENCH.timeoutMs);
  return { answered, recorded: seen - at };
};

/** A run of deliveries, `concurrency` in flight; deliveries per second until all recorded. */
const run = async (
  { recorded }: Bench,
  target: Target,
  deliveries: readonly Delivery[],
  concurrency: number,
): Promise<number> => {
  const before = recorded.finished(target.workflowId).count;
  let next = 0;
  const sender = async () => {
    for (let delivery = deliveries[next++]; delivery; delivery = deliveries[next++]) {
      answeredOk(target, await send(target, delivery));
    }
  };
  const at = performance.now();
  await Promise.all(Array.from({ length: concurrency }, sender));
  const seen = await recorded.until(target.workflowId, before + deliveries.length, BENCH.timeoutMs);
  return deliveries.length / ((seen - at) / 1000);
};

/** Warms every workflow up (JIT, n8n's caches), untimed. */
export const warmUp = async (bench: Bench): Promise<void> => {
  for (const id of SINGLE_TARGETS) {
    for (const delivery of singles(BENCH.warmUp)) {
      await oneAtATime(bench, bench.targets[id], delivery);
    }
  }
  for (const id of BATCH_TARGETS) {
    for (let i = 0; i < 3; i += 1) await oneAtATime(bench, bench.targets[id], batch((made += 1)));
  }
};

export const measure = async (bench: Bench): Promise<Record<TargetId, Samples>> => {
  const samples: Record<TargetId, Samples> = {
    isao: emptySamples(),
    webhook: emptySamples(),
    flow: emptySamples(),
    flowBatch: emptySamples(),
  };
  bench.say(`   one at a time: ${String(BENCH.latencyRounds)} rounds…`);
  for (let round = 0; round < BENCH.latencyRounds; round += 1) {
    const [delivery] = singles(1);
    if (!delivery) throw new Error('no delivery');
    for (const id of rotated(SINGLE_TARGETS, round)) {
      const { answered, recorded } = await oneAtATime(bench, bench.targets[id], delivery);
      samples[id].answered.push(answered);
      samples[id].recorded.push(recorded);
    }
  }
  bench.say(
    `   deliveries per second: ${String(BENCH.throughputRounds)} rounds of ${String(BENCH.perRun)}, sequential and ${String(BENCH.concurrency)} at a time…`,
  );
  for (let round = 0; round < BENCH.throughputRounds; round += 1) {
    for (const [key, concurrency] of [
      ['sequential', 1],
      ['concurrent', BENCH.concurrency],
    ] as const) {
      const deliveries = singles(BENCH.perRun);
      for (const id of rotated(SINGLE_TARGETS, round)) {
        samples[id][key].push(await run(bench, bench.targets[id], deliveries, concurrency));
      }
    }
  }
  bench.say(`   batches of 100 events: ${String(BENCH.batchRounds)} rounds…`);
  for (let round = 0; round < BENCH.batchRounds; round += 1) {
    const delivery = batch((made += 1));
    for (const id of rotated(BATCH_TARGETS, round)) {
      samples[id].batch.push((await oneAtATime(bench, bench.targets[id], delivery)).recorded);
    }
  }
  return samples;
};
