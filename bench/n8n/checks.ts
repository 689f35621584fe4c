/**
 * Before anything is timed, each workflow is shown to do what it stands for, in the running
 * n8n: a comparison with a flow that let tampered deliveries or retries through, or stopped
 * early, would flatter whichever side. A failed check stops the bench.
 *
 * - the ISAO Trigger: a delivery runs one execution with its record; the same again runs none;
 *   a tampered copy is answered 401 and runs none; a batch runs one execution of 100 items;
 * - the user's flow: a delivery reaches Remove Duplicates' output; the same again is removed
 *   there; a tampered copy stops at the IF; its batch variant lets 100 records through;
 * - n8n's Webhook node alone: a delivery runs one execution.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { batch, BATCH_RECORDS, single, tampered, type Delivery } from './deliveries';
import type { Target } from './live';
import { send, type Bench } from './measure';
import { LAST_NODE } from './workflows';

/** How long an answered delivery gets to show up (or not) as an execution. */
const SETTLE_MS = 1_500;

const TRIGGER_NODE = 'ISAO Trigger';

/**
 * Sends a delivery; checks the status and that it ran `runs` executions (0 or 1); the items
 * `node` output in the new execution, if any.
 */
const expect = async (
  { recorded }: Bench,
  target: Target,
  delivery: Delivery,
  status: number,
  runs: 0 | 1,
  node: string,
): Promise<unknown[] | undefined> => {
  const before = recorded.finished(target.workflowId);
  const got = await send(target, delivery);
  if (got !== status) {
    throw new Error(`${target.label}: HTTP ${String(got)}, not ${String(status)}`);
  }
  if (runs === 1) await recorded.until(target.workflowId, before.count + 1, 20_000);
  else await sleep(SETTLE_MS);
  const after = recorded.finished(target.workflowId);
  if (after.count - before.count !== runs) {
    throw new Error(
      `${target.label}: ${String(after.count - before.count)} executions, not ${String(runs)}`,
    );
  }
  if (after.failed > before.failed) throw new Error(`${target.label}: an execution failed`);
  return runs === 1 && after.newest ? recorded.output(after.newest, node) : undefined;
};

const items = (target: Target, node: string, output: unknown[] | undefined, wanted: number) => {
  const got = output === undefined ? 'did not run' : `output ${String(output.length)} items`;
  if (output?.length !== wanted) {
    throw new Error(`${target.label}: ${node} ${got}, not ${String(wanted)} items`);
  }
};

export const checkWorkflows = async (bench: Bench): Promise<void> => {
  const { isao, webhook, flow, flowBatch } = bench.targets;
  const delivery = single(0);
  const events = batch(0);

  items(isao, TRIGGER_NODE, await expect(bench, isao, delivery, 200, 1, TRIGGER_NODE), 1);
  await expect(bench, isao, delivery, 200, 0, TRIGGER_NODE);
  await expect(bench, isao, tampered(single(1)), 401, 0, TRIGGER_NODE);
  const isaoBatch = await expect(bench, isao, events, 200, 1, TRIGGER_NODE);
  items(isao, TRIGGER_NODE, isaoBatch, BATCH_RECORDS);
  bench.say(
    `   ✓ ${isao.label}: one execution per event, none for the same event again, 401 and none for a tampered copy, ${String(BATCH_RECORDS)} items for a batch`,
  );

  items(flow, LAST_NODE, await expect(bench, flow, delivery, 200, 1, LAST_NODE), 1);
  items(flow, LAST_NODE, await expect(bench, flow, delivery, 200, 1, LAST_NODE), 0);
  const stopped = await expect(bench, flow, tampered(single(2)), 200, 1, LAST_NODE);
  if (stopped !== undefined) throw new Error(`${flow.label}: a tampered copy got past the IF`);
  items(
    flowBatch,
    LAST_NODE,
    await expect(bench, flowBatch, events, 200, 1, LAST_NODE),
    BATCH_RECORDS,
  );
  bench.say(
    `   ✓ ${flow.label}: an event through ${LAST_NODE}, the same event again removed there, a tampered copy stopped at the IF; ${String(BATCH_RECORDS)} records of a batch through (with Split Out)`,
  );

  await expect(bench, webhook, delivery, 200, 1, 'Webhook');
  bench.say(`   ✓ ${webhook.label}: one execution per delivery`);
};
