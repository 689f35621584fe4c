/**
 * Requests per operation, counted rather than assumed: each operation runs once through the
 * unpacked zip's handler in its own process, against the ISAO sandbox (sandbox/server.ts) and the
 * local zcache RPC, whose logs say what it sent. perform: 0 API requests, at most 1 cache call
 * (and nothing logged); performList: 1 (2 when it falls back to the sample); subscribe: 2 (the
 * call, then `GET /webhooks` to find duplicates; none here); unsubscribe: 2 (the same).
 */
import type { LocalZapier } from '../sandbox/local-zapier';
import type { Sandbox } from '../sandbox/server';
import { performOf, runWorker, type BuiltApp } from './children';
import { CUSTOM_FIELDS, TRIGGER, webhookBundle, type Kind } from './fixtures';
import { table } from './report';
import type { Platform } from './worker';
import { isRecord } from '../core/inputs';

interface OpCheck {
  label: string;
  app: BuiltApp;
  method: string;
  /** Built when the check runs (unsubscribe needs what subscribe returned). */
  bundle: () => Record<string, unknown>;
  /** Set-up through the sandbox before the operation (not counted). */
  before?: () => Promise<void>;
  api: string[];
  cache: string[];
  /** Lines core logs (to Zapier's log service), where checked: perform logs none. */
  logs?: number;
  /** What the results must be: in words, and the test. */
  result: [string, (results: unknown) => boolean];
}

const records = (n: number): OpCheck['result'] => [
  `${String(n)} record${n === 1 ? '' : 's'}`,
  (results) => Array.isArray(results) && results.length === n && results.every(isRecord),
];

const checks = (
  apps: { ours: BuiltApp; bare: BuiltApp },
  sandbox: Sandbox,
  runId: string,
): OpCheck[] => {
  const { ours, bare } = apps;
  const signed = (kind: Kind, eventId?: string) =>
    webhookBundle({ kind, signed: true, ...(eventId ? { eventId } : {}) });
  const retried = signed('contact', `${runId}-retried`);
  const list = `/triggers/${TRIGGER.contact.event}`;
  const op = (name: string) => `triggers.${TRIGGER.contact.key}.operation.${name}`;
  const hook = {
    authData: { api_key: sandbox.apiKey },
    inputData: {},
    // a loopback address: nothing the sandbox might deliver leaves the machine
    targetUrl: 'http://127.0.0.1:9/hooks/catch/bench/',
    meta: { isLoadingSample: true, limit: 3, page: 0 },
  };
  let subscribeData: unknown;
  /** perform on ours: never an API request, nothing logged; `cache` as the event asks. */
  const perform = (
    label: string,
    bundle: Record<string, unknown>,
    cache: string[],
    result: OpCheck['result'],
    kind: Kind = 'contact',
  ): OpCheck => ({
    label,
    app: ours,
    method: performOf(ours, kind),
    bundle: () => bundle,
    api: [],
    cache,
    logs: 0,
    result,
  });
  return [
    perform('perform: signed contact event with an eventId', retried, ['zcache_set'], records(1)),
    perform(
      'perform: the same event again (an ISAO retry)',
      retried,
      ['zcache_set', 'zcache_get'],
      records(0),
    ),
    perform('perform: signed contact event without an eventId', signed('contact'), [], records(1)),
    perform(
      `perform: appointment, ${String(CUSTOM_FIELDS)} custom fields`,
      signed('appointment', `${runId}-appointment`),
      ['zcache_set'],
      [
        `1 record, ${String(CUSTOM_FIELDS)} custom_fields`,
        (results) =>
          records(1)[1](results) &&
          Array.isArray(results) &&
          isRecord(results[0]) &&
          isRecord(results[0].custom_fields) &&
          Object.keys(results[0].custom_fields).length === CUSTOM_FIELDS,
      ],
      'appointment',
    ),
    {
      // a fresh sandbox has no contacts yet
      label: 'performList, no recent records (the editor shows the static sample)',
      app: ours,
      method: op('performList'),
      bundle: () => hook,
      api: [`GET ${list}/recent`],
      cache: [],
      result: records(0),
    },
    {
      label: 'performList',
      app: ours,
      method: op('performList'),
      bundle: () => hook,
      before: async () => {
        const contact = { name: 'Ada Lovelace', phoneNumber: '+33612345678' };
        const { status, body } = await sandbox.call('POST', '/sandbox/contacts', contact);
        if (status !== 201)
          throw new Error(`the sandbox refused a contact: ${JSON.stringify(body)}`);
      },
      api: [`GET ${list}/recent`],
      cache: [],
      result: records(1),
    },
    {
      label: 'performSubscribe',
      app: ours,
      method: op('performSubscribe'),
      bundle: () => hook,
      // the list finds no duplicate to remove: each one found would add a DELETE
      api: ['POST /webhooks/subscribe', 'GET /webhooks'],
      cache: [],
      result: [
        'subscribeData with a subscription_id',
        (results) => {
          subscribeData = results;
          return isRecord(results) && typeof results.subscription_id === 'string';
        },
      ],
    },
    {
      label: 'performUnsubscribe',
      app: ours,
      method: op('performUnsubscribe'),
      bundle: () => ({ ...hook, subscribeData }),
      api: ['DELETE /webhooks/unsubscribe', 'GET /webhooks'],
      cache: [],
      result: [
        'the subscription removed',
        (results) => isRecord(results) && results.already_removed === false,
      ],
    },
    {
      label: 'bare app: no-op perform (the reference)',
      app: bare,
      method: performOf(bare, 'contact'),
      bundle: () => signed('contact', `${runId}-bare`),
      api: [],
      cache: [],
      result: records(1),
    },
  ];
};

const counted = (calls: readonly string[], expected: readonly string[]) =>
  `${String(calls.length)} (expected ${String(expected.length)})${calls.length ? `: ${calls.join(', ')}` : ''}`;

/** "GET /api/external/triggers/x/recent?limit=3 → 200" (the sandbox's log) → "GET /triggers/x/recent" */
const apiCall = (line: string): string => {
  const [method = '', target = ''] = line.split(' ');
  const { pathname } = new URL(target, 'http://sandbox');
  return `${method} ${pathname.replace(/^\/api\/external/, '')}`;
};

/** Runs every check; `ok` is false when any count or result is wrong. */
export const countRequests = async (
  apps: { ours: BuiltApp; bare: BuiltApp },
  sandbox: Sandbox,
  /** The sandbox's log: one line per request. */
  sandboxLog: readonly string[],
  zapier: LocalZapier,
  platform: Platform,
  env: NodeJS.ProcessEnv,
  runId: string,
): Promise<{ ok: boolean; table: string }> => {
  let ok = true;
  const rows: string[][] = [];
  for (const check of checks(apps, sandbox, runId)) {
    await check.before?.();
    const before = [sandboxLog.length, zapier.rpcCalls.length, zapier.logs.length] as const;
    let results: unknown;
    let error = '';
    try {
      const job = { method: check.method, platform, bundle: check.bundle() };
      ({ results } = await runWorker(check.app, job, env));
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' ');
    }
    const api = sandboxLog.slice(before[0]).map(apiCall);
    const cache = zapier.rpcCalls.slice(before[1]);
    const logs = zapier.logs.length - before[2];
    const resultOk = !error && check.result[1](results);
    const right =
      resultOk &&
      JSON.stringify(api) === JSON.stringify(check.api) &&
      JSON.stringify(cache) === JSON.stringify(check.cache) &&
      (check.logs === undefined || logs === check.logs);
    ok &&= right;
    rows.push([
      check.label,
      counted(api, check.api),
      counted(cache, check.cache),
      check.logs === undefined ? String(logs) : `${String(logs)} (expected ${String(check.logs)})`,
      error ? `error: ${error}` : resultOk ? check.result[0] : `not ${check.result[0]}`,
      right ? 'ok' : 'WRONG',
    ]);
  }
  return {
    ok,
    table: table(
      ['operation', 'API requests', 'cache calls', 'log lines', 'result', 'check'],
      rows,
    ),
  };
};
