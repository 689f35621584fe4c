/**
 * What the end-to-end run asks of the running n8n through its REST API, as the editor does:
 * publish and unpublish a workflow, listen for a test event, test a credential, read a workflow's
 * static data and its executions (with what the ISAO Trigger output in each).
 */
import path from 'node:path';
import { isRecord } from '../../core/inputs';
import type { N8nInstall } from './install';
import { waitFor, type N8n } from './n8n';
import { check } from './steps';

export type Json = Record<string, unknown>;

/** A field of a JSON object; undefined for anything else. */
export const field = (value: unknown, key: string): unknown =>
  isRecord(value) ? value[key] : undefined;

/** A REST answer's `data`, once its status is checked. */
const dataOf = (what: string, res: { status: number; body: unknown }): unknown => {
  check(
    res.status === 200,
    `${what}: HTTP ${String(res.status)} ${JSON.stringify(res.body).slice(0, 400)}`,
  );
  return field(res.body, 'data');
};

/** Publishes a workflow in the running n8n, as the editor's Publish does. */
export const publish = async (n8n: N8n, id: string): Promise<void> => {
  const current = await n8n.rest('GET', `/workflows/${id}`);
  const versionId = field(field(current.body, 'data'), 'versionId');
  check(typeof versionId === 'string', `GET /rest/workflows/${id}: no versionId`);
  dataOf(`publishing ${id}`, await n8n.rest('POST', `/workflows/${id}/activate`, { versionId }));
};

/** Unpublishes a workflow in the running n8n (its trigger's `delete` runs). */
export const unpublish = async (n8n: N8n, id: string): Promise<void> => {
  dataOf(`unpublishing ${id}`, await n8n.rest('POST', `/workflows/${id}/deactivate`, {}));
};

/** The workflow's static data for one node, as n8n stored it. */
export const nodeStaticData = async (n8n: N8n, id: string, node: string): Promise<unknown> => {
  const workflow = dataOf(`GET /rest/workflows/${id}`, await n8n.rest('GET', `/workflows/${id}`));
  return field(field(workflow, 'staticData'), `node:${node}`);
};

/**
 * The editor's "Listen for test event" on a trigger: n8n registers the trigger's test webhook
 * (its `/webhook-test/` URL, through the node's checkExists and create) and waits for one event.
 */
export const listenForTestEvent = async (n8n: N8n, id: string, trigger: string): Promise<void> => {
  const run = dataOf(
    `listening for a test event in ${id}`,
    await n8n.rest('POST', `/workflows/${id}/run`, { triggerToStartFrom: { name: trigger } }),
  );
  check(
    field(run, 'waitingForWebhook') === true,
    `n8n is not waiting for a test event: ${JSON.stringify(run)}`,
  );
};

/** What the editor's Test of a stored credential answers for `data` (n8n's credential tester). */
export const testCredential = async (
  n8n: N8n,
  credential: { id: string; name: string; type: string },
  data: Json,
): Promise<{ status: unknown; message: unknown }> => {
  const result = dataOf(
    `testing the credential ${credential.id}`,
    await n8n.rest('POST', '/credentials/test', { credentials: { ...credential, data } }),
  );
  return { status: field(result, 'status'), message: field(result, 'message') };
};

/** The executions n8n stored for a workflow, newest first. */
export const executionsOf = async (n8n: N8n, workflowId: string): Promise<Json[]> => {
  const filter = encodeURIComponent(JSON.stringify({ workflowId }));
  const res = await n8n.rest('GET', `/executions?filter=${filter}&limit=100`);
  const results = field(field(res.body, 'data'), 'results');
  check(
    res.status === 200 && Array.isArray(results),
    `GET /rest/executions: HTTP ${String(res.status)}`,
  );
  return results.filter(isRecord);
};

const finished = (execution: Json): boolean =>
  !['new', 'running', 'waiting'].includes(String(execution.status));

/** Waits until the workflow has `count` finished executions; returns them, newest first. */
export const finishedExecutions = (n8n: N8n, workflowId: string, count: number): Promise<Json[]> =>
  waitFor(`${String(count)} finished execution(s) of ${workflowId}`, 20_000, async () => {
    const all = (await executionsOf(n8n, workflowId)).filter(finished);
    return all.length >= count ? all : undefined;
  });

/** The items a node output in an execution (n8n stores run data in its `flatted` form). */
export const nodeOutput = async (
  n8n: N8n,
  install: N8nInstall,
  executionId: unknown,
  node: string,
): Promise<Json[]> => {
  const res = await n8n.rest('GET', `/executions/${String(executionId)}`);
  const data = field(field(res.body, 'data'), 'data');
  check(typeof data === 'string', `execution ${String(executionId)} has no stored data`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own copy, in the cache
  const flatted = require(path.join(install.modules, 'flatted')) as {
    parse: (text: string) => unknown;
  };
  const runData = field(field(flatted.parse(data), 'resultData'), 'runData');
  const runs = field(runData, node);
  const main = field(Array.isArray(runs) ? field(runs[0], 'data') : undefined, 'main');
  const items: unknown = Array.isArray(main) ? main[0] : undefined;
  check(Array.isArray(items), `execution ${String(executionId)}: no output from ${node}`);
  return items.map((item) => field(item, 'json')).filter(isRecord);
};

/**
 * Waits for the finished executions of `mode` (`webhook`: the published workflow; `manual`: a
 * test listen) whose `node` output an item with the record id `id`; returns them with that item.
 */
export const runsCarrying = (
  n8n: N8n,
  install: N8nInstall,
  { workflowId, node, mode, id }: { workflowId: string; node: string; mode: string; id: string },
): Promise<{ execution: Json; item: Json }[]> =>
  waitFor(`a ${mode} execution of ${workflowId} carrying ${id}`, 20_000, async () => {
    const runs = (await executionsOf(n8n, workflowId)).filter(
      (execution) => finished(execution) && execution.mode === mode,
    );
    const found: { execution: Json; item: Json }[] = [];
    for (const execution of runs) {
      const items = await nodeOutput(n8n, install, execution.id, node).catch(() => []);
      const item = items.find((output) => output.id === id);
      if (item) found.push({ execution, item });
    }
    return found.length > 0 ? found : undefined;
  });
