/**
 * Requests per operation, counted rather than assumed: each operation runs once through the
 * unpacked zip's handler in its own process, and the ISAO API stub and the zcache RPC's call log
 * say what it sent. perform: 0 API requests, at most 1 cache call (and no log upload);
 * performList: 1 (2 when it falls back to the sample); subscribe: 1; unsubscribe: 1.
 */
import { performOf, runWorker, type BuiltApp } from './children';
import {
  API_KEY,
  CUSTOM_FIELDS,
  SUBSCRIBE_DATA,
  TRIGGER,
  webhookBundle,
  type Kind,
} from './fixtures';
import type { IsaoStub } from './isao-stub';
import { table } from './report';
import type { Platform } from './worker';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface OpCheck {
  label: string;
  app: BuiltApp;
  method: string;
  bundle: Record<string, unknown>;
  recentEmpty?: boolean;
  api: string[];
  cache: string[];
  /** Log uploads to Zapier's log endpoint, where checked (perform: none, see src/index.ts). */
  logs?: number;
  /** What the results must be: in words, and the test. */
  result: [string, (results: unknown) => boolean];
}

const records = (n: number): OpCheck['result'] => [
  `${String(n)} record${n === 1 ? '' : 's'}`,
  (results) => Array.isArray(results) && results.length === n && results.every(isRecord),
];

const subscription = (words: string): OpCheck['result'] => [
  words,
  (results) => isRecord(results) && results.subscription_id === SUBSCRIBE_DATA.subscription_id,
];

const checks = (ours: BuiltApp, bare: BuiltApp, runId: string): OpCheck[] => {
  const authData = { api_key: API_KEY };
  const meta = { isLoadingSample: true, limit: 3, page: 0 };
  const signed = (kind: Kind, eventId?: string) =>
    webhookBundle({ kind, signed: true, ...(eventId ? { eventId } : {}) });
  const retried = signed('contact', `${runId}-retried`);
  const list = `/triggers/${TRIGGER.contact.event}`;
  const op = (name: string) => `triggers.${TRIGGER.contact.key}.operation.${name}`;
  const hook = { authData, inputData: {}, targetUrl: SUBSCRIBE_DATA.target_url, meta };
  /** perform on ours: never an API request, never a log upload; `cache` as the event asks. */
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
    bundle,
    api: [],
    cache,
    logs: 0,
    result,
  });
  return [
    perform('perform: signed contact event with an eventId', retried, ['zcache_set'], records(1)),
    perform('perform: the same event again (an ISAO retry)', retried, ['zcache_set'], records(0)),
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
      label: 'performList',
      app: ours,
      method: op('performList'),
      bundle: { authData, inputData: {}, meta },
      api: [`GET ${list}/recent`],
      cache: [],
      result: records(3),
    },
    {
      label: 'performList, no recent records (sample fallback)',
      app: ours,
      method: op('performList'),
      bundle: { authData, inputData: {}, meta },
      recentEmpty: true,
      api: [`GET ${list}/recent`, `GET ${list}/sample`],
      cache: [],
      result: records(1),
    },
    {
      label: 'performSubscribe',
      app: ours,
      method: op('performSubscribe'),
      bundle: hook,
      api: ['POST /webhooks/subscribe'],
      cache: [],
      result: subscription(`subscribeData with ${SUBSCRIBE_DATA.subscription_id}`),
    },
    {
      label: 'performUnsubscribe',
      app: ours,
      method: op('performUnsubscribe'),
      bundle: { ...hook, subscribeData: SUBSCRIBE_DATA },
      api: ['DELETE /webhooks/unsubscribe'],
      cache: [],
      result: subscription(`${SUBSCRIBE_DATA.subscription_id} removed`),
    },
    {
      label: 'bare app: no-op perform (the reference)',
      app: bare,
      method: performOf(bare, 'contact'),
      bundle: signed('contact', `${runId}-bare`),
      api: [],
      cache: [],
      result: records(1),
    },
  ];
};

const counted = (calls: readonly string[], expected: readonly string[]) =>
  `${String(calls.length)} (expected ${String(expected.length)})${calls.length ? `: ${calls.join(', ')}` : ''}`;

/** Runs every check; `ok` is false when any count or result is wrong. */
export const countRequests = async (
  apps: { ours: BuiltApp; bare: BuiltApp },
  stub: IsaoStub,
  rpcCalls: readonly string[],
  platform: Platform,
  env: NodeJS.ProcessEnv,
  runId: string,
): Promise<{ ok: boolean; table: string }> => {
  let ok = true;
  const rows: string[][] = [];
  for (const check of checks(apps.ours, apps.bare, runId)) {
    stub.setRecentEmpty(check.recentEmpty ?? false);
    const before = [stub.requests.length, rpcCalls.length, stub.logRequests.length] as const;
    let results: unknown;
    let error = '';
    try {
      ({ results } = await runWorker(
        check.app,
        { method: check.method, platform, bundle: check.bundle },
        env,
      ));
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' ');
    }
    const api = stub.requests.slice(before[0]);
    const cache = rpcCalls.slice(before[1]);
    const logs = stub.logRequests.length - before[2];
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
  stub.setRecentEmpty(false);
  return {
    ok,
    table: table(
      ['operation', 'API requests', 'cache calls', 'log uploads', 'result', 'check'],
      rows,
    ),
  };
};
