/**
 * The trigger's own time per delivery, measured in a child process on n8n's Node 24
 * (own-time-child.ts says how), before n8n is started so that nothing else runs beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { run, type N8nInstall } from '../../scripts/n8n/install';
import { ROOT, WORK } from '../children';
import { summarise, type Summary } from '../report';

/** How many calls: a warm-up, then rounds (each node and context: singles, then batches). */
export const OWN = { rounds: 5, singles: 1000, batches: 5, warmSingles: 1000, warmBatches: 5 };

/** n8n: n8n's own WebhookContext; mock: the project's (own-time-contexts.ts). */
export const CONTEXTS = ['n8n', 'mock'] as const;
export type ContextKind = (typeof CONTEXTS)[number];
/** isao: the ISAO Trigger; webhook: n8n's Webhook node. */
export type OwnNode = 'isao' | 'webhook';

/** The median ms of one webhook() call in a round: a single delivery, a batch. */
export interface NodeTimes {
  single: number;
  batch: number;
}

export interface OwnTimes {
  /** The Node that ran them. */
  node: string;
  deliveryBytes: number;
  batchBytes: number;
  rounds: Partial<Record<`${ContextKind}:${OwnNode}`, NodeTimes>>[];
}

/** Runs own-time-child.js on n8n's Node, with an n8n user folder of its own; its result. */
export const measureOwnTime = async (install: N8nInstall): Promise<OwnTimes> => {
  const dir = path.join(WORK, 'n8n', 'own-time');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'result.json');
  await run(install.node, [path.join(__dirname, 'own-time-child.js'), install.modules, out], {
    cwd: ROOT,
    env: { ...process.env, N8N_USER_FOLDER: dir, N8N_DIAGNOSTICS_ENABLED: 'false' },
  });
  return JSON.parse(fs.readFileSync(out, 'utf8')) as OwnTimes;
};

/** The rounds' medians of one node in one context, for one kind of delivery, summarised. */
export const ownSummary = (
  times: OwnTimes,
  context: ContextKind,
  node: OwnNode,
  kind: keyof NodeTimes,
): Summary => summarise(times.rounds.map((round) => round[`${context}:${node}`]?.[kind] ?? NaN));
