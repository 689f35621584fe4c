/**
 * What the end-to-end tests (e2e.*.test.ts) share: zapier-platform-core's own app handler (the one
 * Zapier's Lambda runs, with a zcache that honours nx and TTL) driving the source app against the
 * sandbox ISAO API on 127.0.0.1, whose webhooks land on a local catch hook, started once per test
 * file by this module's hooks; the trigger table (TRIGGERS) and the events that make each happen.
 */
import App from '../../src';
import { hookBundle, zapierHeaders } from '../../sandbox/hook-bundle';
import { startCatchHook, startLocalZapier } from '../../sandbox/local-zapier';
import type { CatchHook, CaughtHook, LocalZapier } from '../../sandbox/local-zapier';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { Envelope } from '../../sandbox/webhooks';
import type { IsaoEvent } from '../../core/events';
import { isRecord, quote } from '../../core/inputs';
import { allowLoopback } from '../helpers';

export type Out = Record<string, unknown>;
export const SECRET = 'whsec_e2e_secret';

export let sandbox: Sandbox;
export let hooks: CatchHook;
export let zapier: LocalZapier;
export let authData: { api_key: string; webhook_secret: string };

beforeAll(async () => {
  allowLoopback();
  sandbox = await startSandbox({
    signingSecret: SECRET,
    delivery: { backoffMs: 10, timeoutMs: 2000 },
  });
  hooks = await startCatchHook();
  zapier = await startLocalZapier(App, { ISAO_API_URL: sandbox.baseUrl });
  authData = { api_key: sandbox.apiKey, webhook_secret: SECRET };
});

afterAll(async () => {
  await Promise.all([zapier.close(), hooks.close(), sandbox.close()]);
});

afterEach(() => {
  sandbox.setRateLimit(false);
});

export const run = async <T = Out>(method: string, bundle: Out = {}): Promise<T> =>
  (await zapier.run(method, { authData, ...bundle })) as T;

/** The sandbox envelope's `data` object (fails the test when the body is not one). */
export const data = (body: unknown): Out => {
  if (!isRecord(body) || !isRecord(body.data))
    throw new Error(`not a data envelope: ${quote(body)}`);
  return body.data;
};
/** The sandbox envelope's `data` list (fails the test when the body is not one). */
export const dataList = (body: unknown): Out[] => {
  if (!isRecord(body) || !Array.isArray(body.data))
    throw new Error(`not a data list: ${quote(body)}`);
  return body.data.filter(isRecord);
};

/** A sandbox call that must succeed; returns its `data`. */
export const ok = async (method: string, path: string, body?: unknown): Promise<Out> => {
  const res = await sandbox.call(method, path, body);
  expect(res.status).toBeLessThan(300);
  return data(res.body);
};

export const contactId = async () =>
  (await ok('POST', '/sandbox/contacts', { name: 'Jon Snow', phoneNumber: '+33612345678' })).id;
export const dealId = async () =>
  (await ok('POST', '/sandbox/deals', { title: 'Castle Black roof' })).id;
export const apptId = async () =>
  (
    await ok('POST', '/sandbox/appointments', {
      startDateTime: '2030-03-01T09:00:00Z',
      client: { firstName: 'Jon', lastName: 'Snow' },
      fields: [{ label: 'Preferred contact time?', value: 'Mornings' }],
    })
  ).id;

/** Makes the event happen through a sandbox endpoint; returns the record's id. */
export const EMIT: Record<IsaoEvent, () => Promise<unknown>> = {
  'contact.created': contactId,
  'contact.updated': async () => {
    const id = String(await contactId());
    return (await ok('PATCH', `/sandbox/contacts/${id}`, { position: 'Lord Commander' })).id;
  },
  'deal.created': dealId,
  'deal.updated': async () =>
    (await ok('PATCH', `/sandbox/deals/${String(await dealId())}`, { value: 900 })).id,
  'deal.stage_changed': async () =>
    (await ok('PATCH', `/sandbox/deals/${String(await dealId())}`, { stage: 'Proposal' })).id,
  'deal.won': async () =>
    (await ok('PATCH', `/sandbox/deals/${String(await dealId())}`, { status: 'won' })).id,
  'deal.lost': async () =>
    (await ok('PATCH', `/sandbox/deals/${String(await dealId())}`, { status: 'lost' })).id,
  'appointment.created': apptId,
  'appointment.updated': async () =>
    (await ok('PATCH', `/sandbox/appointments/${String(await apptId())}`, { status: 'completed' }))
      .id,
  'appointment.deleted': async () =>
    (await ok('DELETE', `/sandbox/appointments/${String(await apptId())}`)).id,
};

export const TRIGGERS: [key: string, event: IsaoEvent][] = [
  ['new_contact', 'contact.created'],
  ['contact_updated', 'contact.updated'],
  ['new_deal', 'deal.created'],
  ['deal_updated', 'deal.updated'],
  ['deal_stage_changed', 'deal.stage_changed'],
  ['deal_won', 'deal.won'],
  ['deal_lost', 'deal.lost'],
  ['appointment_created', 'appointment.created'],
  ['appointment_updated', 'appointment.updated'],
  ['appointment_deleted', 'appointment.deleted'],
];

export const op = (key: string, name: string) => `triggers.${key}.operation.${name}`;

export const subscribeTo = async (key: string, path: string, inputData: Out = {}) =>
  run(op(key, 'performSubscribe'), { targetUrl: `${hooks.url}${path}`, inputData });

export const performHook = (key: string, subscribeData: Out, hook: CaughtHook, auth = authData) =>
  run<Out[]>(op(key, 'perform'), {
    authData: auth,
    subscribeData,
    ...hookBundle(hook.raw, zapierHeaders(hook.headers)),
  });

export const envelopeOf = (hook: CaughtHook) => JSON.parse(hook.raw) as Envelope;

export const activeSubscriptionIds = async () =>
  dataList((await sandbox.call('GET', '/webhooks')).body).map((s) => s.subscription_id);
