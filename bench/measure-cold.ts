/**
 * Cold start: fresh processes that require zapierwrapper.js and execute one perform (a signed
 * contact event), ours, the no-op app on our definition and the bare app interleaved, rotating
 * who goes first.
 */
import type { Apps } from './build-apps';
import { performOf, runChild, writeJson, type AppName } from './children';
import type { ColdSample } from './cold';
import { executeEvent, webhookBundle } from './fixtures';
import { fixed, log } from './report';
import type { Platform } from './worker';

export const COLD = { warmup: 2, runs: 31 };

export interface ColdVariant {
  id: 'ours' | 'ours-no-id' | 'noop' | 'bare';
  label: string;
  app: AppName;
  /** A fresh eventId per run: ours makes its one dedup cache call (the typical event). */
  eventId: boolean;
}

export const COLD_VARIANTS: ColdVariant[] = [
  {
    id: 'ours',
    label: 'ours: new_contact, signed, eventId (1 cache call)',
    app: 'ours',
    eventId: true,
  },
  {
    id: 'noop',
    label: 'no-op app on our definition, same event (the floor)',
    app: 'noop',
    eventId: false,
  },
  { id: 'bare', label: 'bare core-19: no-op, same event', app: 'bare', eventId: true },
  {
    id: 'ours-no-id',
    label: 'ours, event without eventId (no cache call)',
    app: 'ours',
    eventId: false,
  },
];

export const coldStart = async (
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
      line.push(`${variant.id} ${fixed(sample.total)} (GC ${fixed(sample.gcInExecute)})`);
    }
    const phase =
      i < COLD.warmup ? 'warm-up' : `${String(i - COLD.warmup + 1)}/${String(COLD.runs)}`;
    log(`  cold start ${phase}: ${line.join(', ')} ms`);
  }
  return samples;
};
