/**
 * What n8n has recorded, read from its sqlite database (n8n writes it in WAL mode, so reading
 * beside it blocks nothing): a workflow's finished executions, and what a node output in one.
 * Read here rather than through n8n's REST API so that polling for "recorded" costs n8n's event
 * loop nothing while it is being measured.
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRecord } from '../../core/inputs';
import type { N8nInstall } from '../../scripts/n8n/install';

export interface Finished {
  /** Finished executions, any status. */
  count: number;
  /** Those that did not end in success. */
  failed: number;
  /** The newest one's id. */
  newest: string | undefined;
}

export interface Recorded {
  finished: (workflowId: string) => Finished;
  /** Polls until the workflow has `count` finished executions; the time it saw them (ms). */
  until: (workflowId: string, count: number, timeoutMs: number) => Promise<number>;
  /** The items a node output in an execution; undefined when the node did not run. */
  output: (executionId: string, node: string) => unknown[] | undefined;
  close: () => void;
}

const POLL_MS = 1;

export const openRecorded = (database: string, install: N8nInstall): Recorded => {
  const db = new DatabaseSync(database);
  const finished = db.prepare(
    `SELECT COUNT(*) AS count, SUM(status <> 'success') AS failed, MAX(CAST(id AS INTEGER)) AS newest
       FROM execution_entity
      WHERE workflowId = ? AND status NOT IN ('new', 'running', 'waiting')`,
  );
  const data = db.prepare('SELECT data FROM execution_data WHERE executionId = ?');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own copy, in the cache
  const flatted = require(path.join(install.modules, 'flatted')) as {
    parse: (text: string) => unknown;
  };

  const finishedOf = (workflowId: string): Finished => {
    const row = finished.get(workflowId);
    return {
      count: Number(row?.count ?? 0),
      failed: Number(row?.failed ?? 0),
      newest: row?.newest === null || row?.newest === undefined ? undefined : String(row.newest),
    };
  };

  const until = async (workflowId: string, count: number, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (finishedOf(workflowId).count >= count) return performance.now();
      if (performance.now() > deadline) {
        throw new Error(`${String(count)} executions of ${workflowId} not recorded in time`);
      }
      await sleep(POLL_MS);
    }
  };

  const output = (executionId: string, node: string): unknown[] | undefined => {
    const text = data.get(executionId)?.data;
    if (typeof text !== 'string') throw new Error(`execution ${executionId} has no stored data`);
    const parsed = flatted.parse(text);
    const resultData = isRecord(parsed) ? parsed.resultData : undefined;
    const runData = isRecord(resultData) ? resultData.runData : undefined;
    const runs = isRecord(runData) ? runData[node] : undefined;
    if (!Array.isArray(runs)) return undefined;
    const first: unknown = runs[0];
    const main = isRecord(first) && isRecord(first.data) ? first.data.main : undefined;
    const items: unknown = Array.isArray(main) ? main[0] : undefined;
    const list: unknown[] = Array.isArray(items) ? items : [];
    return list;
  };

  return {
    finished: finishedOf,
    until,
    output,
    close: () => {
      db.close();
    },
  };
};
