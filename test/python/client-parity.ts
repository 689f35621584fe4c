/**
 * The Python API client (client_runner.py runs python/isao_webhooks/client.py) and the Node one,
 * its oracle, on the same calls, their answers in one shape: client.test.ts and
 * client-sandbox.test.ts compare them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { IsaoApiError, IsaoClient, type ContactInput } from '../../sdk/src/client';
import type { IsaoEvent } from '../../core/events';
import { PYTHON } from './pytest-run';

export type Call =
  | ['list']
  | ['subscribe', IsaoEvent, string]
  | ['unsubscribe', string]
  | ['ensureSubscription', { events: IsaoEvent[]; targetUrl: string }]
  | ['sample', IsaoEvent]
  | ['recent', IsaoEvent, { limit?: number; since?: string }]
  | ['createContact', ContactInput];
export type Answer = { ok: unknown } | { error: Record<string, unknown> };

const isAnswers = (value: unknown): value is Answer[] =>
  Array.isArray(value) &&
  value.every(
    (item) => typeof item === 'object' && item !== null && ('ok' in item || 'error' in item),
  );
export const KEY = 'isao_live_KEY_1234567890';

/**
 * The Python client's answers to `calls` (client_runner.py), its argument names as Node's. Not
 * spawnSync: the recording server in this process must answer it.
 */
export const python = async (
  apiKey: string,
  baseUrl: string | undefined,
  calls: Call[],
): Promise<Answer[]> => {
  const child = spawn(PYTHON, [join(__dirname, 'client_runner.py')]);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  child.stdin.end(JSON.stringify({ apiKey, baseUrl, calls }));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`client_runner.py failed: ${err}`);
  // the one difference in words: each client names its own argument
  const text = out
    .replaceAll('base_url', 'baseUrl')
    .replaceAll('pass api_key to', 'pass apiKey to');
  const answers: unknown = JSON.parse(text);
  if (!isAnswers(answers)) throw new Error(`client_runner.py printed ${text}`);
  return answers;
};

const perform = (client: IsaoClient, call: Call): Promise<unknown> => {
  switch (call[0]) {
    case 'list':
      return client.list();
    case 'subscribe':
      return client.subscribe(call[1], call[2]);
    case 'unsubscribe':
      return client.unsubscribe(call[1]);
    case 'ensureSubscription':
      return client.ensureSubscription(call[1]);
    case 'sample':
      return client.sample(call[1]);
    case 'recent':
      return client.recent(call[1], call[2]);
    case 'createContact':
      return client.createContact(call[1]);
  }
};

/** The Node client's answers to the same calls, in the same shape. */
export const node = async (
  apiKey: string,
  baseUrl: string | undefined,
  calls: Call[],
): Promise<Answer[]> => {
  const client = new IsaoClient({ apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) });
  const answers: Answer[] = [];
  for (const call of calls) {
    try {
      const result: unknown = await perform(client, call);
      // what the Node client leaves undefined, the Python one gives as None
      const plain: unknown = JSON.parse(
        JSON.stringify(result ?? null, (_, value: unknown) => value ?? null),
      );
      answers.push({ ok: plain });
    } catch (error) {
      if (!(error instanceof IsaoApiError)) throw error;
      const { message, status, code, field, retryAfter } = error;
      answers.push({
        error: { message, status, code, field: field ?? null, retryAfter: retryAfter ?? null },
      });
    }
  }
  return answers;
};
