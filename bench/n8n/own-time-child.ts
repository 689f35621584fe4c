/**
 * The trigger's own time: `webhook()` of the built ISAO Trigger (n8n/dist, as `npm run n8n:build`
 * bundles it, loaded as n8n loads it) and of n8n's own Webhook node (n8n-nodes-base from the
 * installed n8n), called in this process on n8n's Node 24, in two contexts (own-time-contexts.ts:
 * n8n's own WebhookContext, and the mock), each built before its call. Each call is timed alone
 * (performance.now() around the awaited call) and must start the workflow with one item per
 * event; every delivery is a new event. After a warm-up, rounds alternate which node goes first.
 *
 * Run by bench/n8n/own-time.ts as `node own-time-child.js <n8n's node_modules> <result file>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isRecord } from '../../core/inputs';
import { ROOT } from '../children';
import { summarise } from '../report';
import { batch, single, type Delivery } from './deliveries';
import {
  mockContexts,
  n8nContexts,
  type Nodes,
  type Prepare,
  type WebhookNode,
} from './own-time-contexts';
import {
  CONTEXTS,
  OWN,
  type ContextKind,
  type NodeTimes,
  type OwnNode,
  type OwnTimes,
} from './own-time';

/** What a built file exports under `name`, loaded as n8n loads it. */
const exported = (file: string, name: string): unknown => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a built file, as n8n loads it
  const loaded: unknown = require(file);
  const value = isRecord(loaded) ? loaded[name] : undefined;
  if (typeof value !== 'function') throw new Error(`${file} exports no class ${name}`);
  return value;
};

// checked to be a function, no more: the first call to webhook() shows the rest
const isTrigger = (value: unknown): value is new () => Nodes['isao'] => typeof value === 'function';
const isWebhookNode = (value: unknown): value is new () => WebhookNode =>
  typeof value === 'function';

/** The built ISAO Trigger, and n8n's Webhook node from the installed n8n. */
const nodesFrom = (modules: string): Nodes => {
  const Trigger = exported(
    path.join(ROOT, 'n8n', 'dist', 'nodes', 'IsaoTrigger', 'IsaoTrigger.node.js'),
    'IsaoTrigger',
  );
  const Webhook = exported(
    path.join(modules, 'n8n-nodes-base', 'dist', 'nodes', 'Webhook', 'Webhook.node.js'),
    'Webhook',
  );
  if (!isTrigger(Trigger) || !isWebhookNode(Webhook)) throw new Error('not a class');
  return { isao: new Trigger(), webhook: new Webhook() };
};

/** The items a webhook() result hands the workflow (0 when it started none). */
const itemsOf = (result: unknown): number => {
  const data = isRecord(result) ? result.workflowData : undefined;
  const first: unknown = Array.isArray(data) ? data[0] : undefined;
  return Array.isArray(first) ? first.length : 0;
};

/** The items each node must start the workflow with. */
const EXPECTED: Record<OwnNode, (delivery: Delivery) => number> = {
  isao: (delivery) => delivery.eventIds.length,
  webhook: () => 1,
};

/** The median ms of the calls, each timed alone; fails when one did not start the workflow. */
const timed = async (
  prepare: Prepare,
  deliveries: readonly Delivery[],
  node: OwnNode,
): Promise<number> => {
  const calls = deliveries.map((delivery) => ({ delivery, call: prepare(delivery) }));
  const times: number[] = [];
  for (const { delivery, call } of calls) {
    const at = performance.now();
    const result = await call();
    times.push(performance.now() - at);
    const [got, wanted] = [itemsOf(result), EXPECTED[node](delivery)];
    if (got !== wanted) {
      throw new Error(`${node}: webhook() gave ${String(got)} items, not ${String(wanted)}`);
    }
  }
  return summarise(times).median;
};

const main = async () => {
  const [modules, out] = process.argv.slice(2);
  if (!modules || !out) throw new Error('usage: own-time-child.js <node_modules> <result file>');
  const nodes = nodesFrom(modules);
  const contexts: Record<ContextKind, Record<OwnNode, Prepare>> = {
    n8n: n8nContexts(nodes, modules),
    mock: mockContexts(nodes),
  };
  let n = 0;
  const singles = (count: number) => Array.from({ length: count }, () => single((n += 1)));
  const batches = (count: number) => Array.from({ length: count }, () => batch((n += 1)));
  const ids: OwnNode[] = ['isao', 'webhook'];
  for (const kind of CONTEXTS) {
    for (const id of ids) {
      await timed(contexts[kind][id], singles(OWN.warmSingles), id);
      await timed(contexts[kind][id], batches(OWN.warmBatches), id);
    }
  }
  const rounds: OwnTimes['rounds'] = [];
  for (let round = 0; round < OWN.rounds; round += 1) {
    const times: Partial<Record<`${ContextKind}:${OwnNode}`, NodeTimes>> = {};
    for (const kind of CONTEXTS) {
      for (const id of round % 2 === 0 ? ids : [...ids].reverse()) {
        times[`${kind}:${id}`] = {
          single: await timed(contexts[kind][id], singles(OWN.singles), id),
          batch: await timed(contexts[kind][id], batches(OWN.batches), id),
        };
      }
    }
    rounds.push(times);
  }
  const result: OwnTimes = {
    node: process.version,
    deliveryBytes: single(0).body.length,
    batchBytes: batch(0).body.length,
    rounds,
  };
  fs.writeFileSync(out, JSON.stringify(result));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
