/**
 * The tables `npm run bench:n8n` prints and writes, with the targets and whether each is met, and
 * each run's ratios kept in bench/.work/n8n/history.jsonl for the table of the latest runs.
 */
import path from 'node:path';
import { WORK } from '../children';
import { recentRuns } from '../history';
import { fixed, ratio, summarise, table, verdict } from '../report';
import { BATCH_RECORDS, DELIVERY_BYTES } from './deliveries';
import type { Target, TargetId } from './live';
import { BATCH_TARGETS, BENCH, SINGLE_TARGETS, type Samples } from './measure';
import { CONTEXTS, OWN, ownSummary, type ContextKind, type OwnTimes } from './own-time';

/** The ISAO Trigger against the user's flow: faster; its own time per 1 KB delivery, at most. */
export const TARGETS = { ownMs: 0.5 };

export interface ResultsInput {
  own: OwnTimes;
  samples: Record<TargetId, Samples>;
  targets: Record<TargetId, Target>;
  header: string;
  date: string;
  machine: string;
  load: string;
  /** n8n's settings given in the environment (name=value), if any. */
  settings: string[];
}

interface HistoryEntry {
  date: string;
  machine: string;
  load: string;
  settings?: string;
  /** The ISAO Trigger over the user's flow: time until recorded, deliveries per second. */
  recorded: number;
  sequential: number;
  concurrent: number;
  batch: number;
  /** The ISAO Trigger over n8n's Webhook node alone, time until recorded. */
  recordedWebhook: number;
  /** The trigger's own ms per 1 KB delivery, in n8n's own context. */
  ownMs: number;
}

const ms = (value: number) => `${fixed(value, value < 1 ? 3 : 1)} ms`;
const perSecond = (value: number) => `${fixed(value)}/s`;

export const results = (input: ResultsInput) => {
  const { own, samples, targets } = input;
  const median = (id: TargetId, key: keyof Samples) => summarise(samples[id][key]).median;
  /** Each round's value over the other's in the same round (they ran back to back). */
  const paired = (id: TargetId, over: TargetId, key: keyof Samples) =>
    summarise(samples[id][key].map((v, round) => v / (samples[over][key][round] ?? NaN))).median;
  const over = (id: TargetId, base: TargetId, key: keyof Samples) =>
    median(id, key) / median(base, key);

  const ownOf = (context: ContextKind, kind: 'single' | 'batch', node: 'isao' | 'webhook') =>
    ownSummary(own, context, node, kind);
  const ownMs = ownOf('n8n', 'single', 'isao').median;

  const faster = (key: keyof Samples, flow: TargetId, higherIsBetter: boolean, what: string) => {
    const r = over('isao', flow, key);
    const [a, b] = [median('isao', key), median(flow, key)];
    const shown = higherIsBetter ? `${perSecond(a)} vs ${perSecond(b)}` : `${ms(a)} vs ${ms(b)}`;
    return [
      what,
      higherIsBetter ? `more than ${targets[flow].label}` : `less than ${targets[flow].label}`,
      `${shown}: ${ratio(r)} (paired ${ratio(paired('isao', flow, key))})`,
      verdict(higherIsBetter ? r > 1 : r < 1),
    ];
  };
  const targetTable = table(
    ['target', 'wanted', 'ISAO Trigger: measured', ''],
    [
      faster('recorded', 'flow', false, '1 KB delivery, time until recorded (one at a time)'),
      faster('sequential', 'flow', true, '1 KB deliveries per second, sequential'),
      faster(
        'concurrent',
        'flow',
        true,
        `1 KB deliveries per second, ${String(BENCH.concurrency)} at a time`,
      ),
      faster(
        'batch',
        'flowBatch',
        false,
        `batch of ${String(BATCH_RECORDS)} events, time until recorded`,
      ),
      [
        "the trigger's own time per 1 KB delivery (`webhook()` in n8n's own context)",
        `≤ ${ms(TARGETS.ownMs)}`,
        `${ms(ownMs)} (n8n's Webhook node ${ms(ownOf('n8n', 'single', 'webhook').median)})`,
        verdict(ownMs <= TARGETS.ownMs),
      ],
    ],
  );

  const endToEnd = table(
    [
      `1 KB delivery, to`,
      'until recorded, median',
      'p90',
      'until answered',
      '× Webhook node',
      "× user's flow",
      'per second, sequential',
      `${String(BENCH.concurrency)} at a time`,
      '× Webhook node',
      "× user's flow",
    ],
    SINGLE_TARGETS.map((id) => {
      const recorded = summarise(samples[id].recorded);
      return [
        targets[id].label,
        ms(recorded.median),
        ms(recorded.p90),
        ms(median(id, 'answered')),
        ratio(over(id, 'webhook', 'recorded')),
        ratio(over(id, 'flow', 'recorded')),
        perSecond(median(id, 'sequential')),
        perSecond(median(id, 'concurrent')),
        `${ratio(over(id, 'webhook', 'sequential'))}, ${ratio(over(id, 'webhook', 'concurrent'))}`,
        `${ratio(over(id, 'flow', 'sequential'))}, ${ratio(over(id, 'flow', 'concurrent'))}`,
      ];
    }),
  );

  const batches = table(
    [
      `batch of ${String(BATCH_RECORDS)} events, to`,
      'until recorded, median',
      'min',
      'p90',
      '× Webhook node',
      "× user's flow",
    ],
    BATCH_TARGETS.map((id) => {
      const s = summarise(samples[id].batch);
      return [
        targets[id].label,
        ms(s.median),
        ms(s.min),
        ms(s.p90),
        ratio(over(id, 'webhook', 'batch')),
        ratio(over(id, 'flowBatch', 'batch')),
      ];
    }),
  );

  const ownTable = table(
    [
      '`webhook()` in',
      'node',
      `${String(DELIVERY_BYTES)}-byte delivery`,
      'rounds',
      `batch of ${String(BATCH_RECORDS)}`,
      'per event',
    ],
    CONTEXTS.flatMap((context) =>
      (['isao', 'webhook'] as const).map((node) => {
        const single = ownOf(context, 'single', node);
        const rounds = own.rounds.map((r) => r[`${context}:${node}`]?.single ?? NaN);
        const batch = ownOf(context, 'batch', node).median;
        return [
          context === 'n8n' ? "n8n's own WebhookContext" : 'the mock context',
          node === 'isao' ? targets.isao.label : "n8n's Webhook node",
          ms(single.median),
          `${ms(Math.min(...rounds))}–${ms(Math.max(...rounds))}`,
          ms(batch),
          node === 'isao' ? ms(batch / BATCH_RECORDS) : '',
        ];
      }),
    ),
  );

  const runs = recentRuns<HistoryEntry>(path.join(WORK, 'n8n', 'history.jsonl'), {
    date: input.date,
    machine: input.machine,
    load: input.load,
    settings: input.settings.join(', '),
    recorded: over('isao', 'flow', 'recorded'),
    sequential: over('isao', 'flow', 'sequential'),
    concurrent: over('isao', 'flow', 'concurrent'),
    batch: over('isao', 'flowBatch', 'batch'),
    recordedWebhook: over('isao', 'webhook', 'recorded'),
    ownMs,
  });
  const historyTable = table(
    [
      'run (UTC)',
      'load before',
      "until recorded × user's flow",
      'per second, sequential',
      `${String(BENCH.concurrency)} at a time`,
      'batch',
      'until recorded × Webhook node',
      'own time',
      "n8n's settings",
    ],
    runs.map((e) => [
      e.date.slice(0, 16).replace('T', ' '),
      e.load,
      ratio(e.recorded),
      ratio(e.sequential),
      ratio(e.concurrent),
      ratio(e.batch),
      ratio(e.recordedWebhook),
      ms(e.ownMs),
      e.settings ? e.settings : 'defaults',
    ]),
  );

  const text = [
    input.header,
    '### Targets',
    "Ratios are the ISAO Trigger's median over the peer's, measured in the same run; paired: the median of each round's ratio (the workflows ran back to back in each round, in rotated order).",
    targetTable,
    `### End to end: ${String(DELIVERY_BYTES)}-byte signed deliveries`,
    `Until recorded: from sending until n8n's database holds the finished execution, one delivery at a time, ${String(BENCH.latencyRounds)} rounds; until answered: until n8n answered the sender (200). Per second: runs of ${String(BENCH.perRun)} deliveries until all are recorded, each sent when the previous one was answered (sequential) or ${String(BENCH.concurrency)} at a time, median of ${String(BENCH.throughputRounds)} runs. Ratios of medians.`,
    endToEnd,
    `### Batches: ${String(BATCH_RECORDS)} events in one request, one execution`,
    `The ISAO Trigger outputs ${String(BATCH_RECORDS)} items; n8n's Webhook node one item holding the array; the user's flow needs a Split Out of the body before Remove Duplicates (its variant for batches). ${String(BENCH.batchRounds)} rounds.`,
    batches,
    "### The trigger's own time",
    `\`webhook()\` called in-process on n8n's Node (${own.node}), a context per call built beforehand, each call timed alone: median of each round's ${String(OWN.singles)} deliveries (${String(own.deliveryBytes)} bytes) or ${String(OWN.batches)} batches (${String(own.batchBytes)} bytes), median of ${String(OWN.rounds)} rounds after a warm-up. n8n's own WebhookContext: n8n-core's class over an n8n Workflow holding the node, the credential decrypted with n8n's cipher on every call (n8n also reads it from its database then: left out). The mock: the project's unit-test context, where every call costs next to nothing. n8n's Webhook node gets the body already parsed (n8n parses every webhook's body before calling it); the ISAO Trigger reads the raw bytes it verifies.`,
    ownTable,
    '### Ratios of the latest runs on this machine',
    historyTable,
  ].join('\n\n');
  return { text, tables: [targetTable, endToEnd, batches, ownTable] };
};
