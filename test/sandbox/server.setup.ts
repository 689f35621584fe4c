/**
 * What the sandbox server's tests (server.*.test.ts) share: a catch-hook for the whole file and a
 * fresh sandbox ISAO API for each test on 127.0.0.1 (this module's hooks, registered in each test
 * file that imports it), and the calls they make to it.
 */
import { startCatchHook, type CatchHook } from '../../sandbox/local-zapier';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { Envelope } from '../../sandbox/webhooks';
import { allowLoopback } from '../helpers';

export type Out = Record<string, unknown>;
export const SECRET = 'whsec_test_secret';

export let sandbox: Sandbox;
export let hooks: CatchHook;

beforeAll(async () => {
  allowLoopback();
  hooks = await startCatchHook();
});

beforeEach(async () => {
  sandbox = await startSandbox({
    signingSecret: SECRET,
    // a delivery the local hook catcher answered slower than this is retried, and then seen
    // twice: on a loaded machine (a mutation run beside the suite) 500 ms was exceeded; the tests
    // of the timeout itself start their own sandbox with a short one
    delivery: { backoffMs: 10, timeoutMs: 5_000 },
  });
});

afterEach(async () => {
  await sandbox.close();
  hooks.failNext(0);
});

afterAll(async () => {
  await hooks.close();
});

/** Closes this test's sandbox and starts another with `options` (the tests that need their own). */
export const restartSandbox = async (options: Parameters<typeof startSandbox>[0]) => {
  await sandbox.close();
  sandbox = await startSandbox(options);
};

export const call = (method: string, path: string, body?: unknown, key?: string) =>
  sandbox.call(method, path, body, key);

export let hookCount = 0;
/** Subscribes `event` to a fresh catch-hook path; returns the subscription and that path. */
export const subscribe = async (event: string, filters?: Out) => {
  hookCount += 1;
  const path = `/hook-${String(hookCount)}`;
  const res = await call('POST', '/webhooks/subscribe', {
    event,
    target_url: `${hooks.url}${path}`,
    ...(filters ? { filters } : {}),
  });
  expect(res.status).toBe(201);
  return { path, subscription: (res.body as Out).data as Out };
};

export const newContact = async (fields: Out = {}) => {
  const res = await call('POST', '/contacts', {
    name: 'Ada Lovelace',
    phoneNumber: '+44 20 7946 0958',
    ...fields,
  });
  expect(res.status).toBe(201);
  return (res.body as Out).data as Out;
};

export const eventsOf = () => sandbox.events.map((e) => e.event);
export const parse = (raw: string) => JSON.parse(raw) as Envelope;
/** The record ids delivered to a catch-hook path, in arrival order. */
export const deliveredIds = (path: string) =>
  hooks.caught.filter((h) => h.path === path).map((h) => parse(h.raw).data.id);
