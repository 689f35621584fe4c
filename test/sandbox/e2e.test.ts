/**
 * The app end to end over real HTTP: zapier-platform-core's own app handler (the one Zapier's
 * Lambda runs, with a zcache that honours nx and TTL) drives the source app against the sandbox
 * ISAO API on 127.0.0.1, and the sandbox's webhooks land on a local catch hook.
 */
import App from '../../src';
import { hookBundle, zapierHeaders } from '../../sandbox/hook-bundle';
import { startCatchHook, startLocalZapier } from '../../sandbox/local-zapier';
import type { CatchHook, CaughtHook, LocalZapier } from '../../sandbox/local-zapier';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { Envelope } from '../../sandbox/webhooks';
import type { IsaoEvent } from '../../core/events';
import type { Trigger } from 'zapier-platform-core';
import { unwrapData } from '../../core/api';
import { isRecord, quote } from '../../core/inputs';
import { allowLoopback, caught, errorText, flatKeys, logged } from '../helpers';

type Out = Record<string, unknown>;
const SECRET = 'whsec_e2e_secret';

let sandbox: Sandbox;
let hooks: CatchHook;
let zapier: LocalZapier;
let authData: { api_key: string; webhook_secret: string };

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

const run = async <T = Out>(method: string, bundle: Out = {}): Promise<T> =>
  (await zapier.run(method, { authData, ...bundle })) as T;

/** The sandbox envelope's `data` object (fails the test when the body is not one). */
const data = (body: unknown): Out => {
  if (!isRecord(body) || !isRecord(body.data))
    throw new Error(`not a data envelope: ${quote(body)}`);
  return body.data;
};
/** The sandbox envelope's `data` list (fails the test when the body is not one). */
const dataList = (body: unknown): Out[] => {
  if (!isRecord(body) || !Array.isArray(body.data))
    throw new Error(`not a data list: ${quote(body)}`);
  return body.data.filter(isRecord);
};

/** A sandbox call that must succeed; returns its `data`. */
const ok = async (method: string, path: string, body?: unknown): Promise<Out> => {
  const res = await sandbox.call(method, path, body);
  expect(res.status).toBeLessThan(300);
  return data(res.body);
};

const contactId = async () =>
  (await ok('POST', '/sandbox/contacts', { name: 'Jon Snow', phoneNumber: '+33612345678' })).id;
const dealId = async () => (await ok('POST', '/sandbox/deals', { title: 'Castle Black roof' })).id;
const apptId = async () =>
  (
    await ok('POST', '/sandbox/appointments', {
      startDateTime: '2030-03-01T09:00:00Z',
      client: { firstName: 'Jon', lastName: 'Snow' },
      fields: [{ label: 'Preferred contact time?', value: 'Mornings' }],
    })
  ).id;

/** Makes the event happen through a sandbox endpoint; returns the record's id. */
const EMIT: Record<IsaoEvent, () => Promise<unknown>> = {
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

const TRIGGERS: [key: string, event: IsaoEvent][] = [
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

const op = (key: string, name: string) => `triggers.${key}.operation.${name}`;

const subscribeTo = async (key: string, path: string, inputData: Out = {}) =>
  run(op(key, 'performSubscribe'), { targetUrl: `${hooks.url}${path}`, inputData });

const performHook = (key: string, subscribeData: Out, hook: CaughtHook, auth = authData) =>
  run<Out[]>(op(key, 'perform'), {
    authData: auth,
    subscribeData,
    ...hookBundle(hook.raw, zapierHeaders(hook.headers)),
  });

const envelopeOf = (hook: CaughtHook) => JSON.parse(hook.raw) as Envelope;

const activeSubscriptionIds = async () =>
  dataList((await sandbox.call('GET', '/webhooks')).body).map((s) => s.subscription_id);

it('tests the connection and labels it with the company name', async () => {
  const result = await run('authentication.test');
  expect(result).toMatchObject({
    data: { company: sandbox.company },
    connection_label: sandbox.company.name,
  });
  const error = await caught(() =>
    run('authentication.test', { authData: { api_key: 'wrong-key' } }),
  );
  expect(errorText(error)).toMatch(
    /^ISAO rejected the API key \(401 Unauthorized: Invalid API key\)/,
  );
});

describe.each(TRIGGERS)('%s (%s) over real HTTP', (key, event) => {
  it('subscribes, receives the signed event, turns it into a record, lists it and unsubscribes', async () => {
    const path = `/lifecycle/${key}`;
    const subscribeData = await subscribeTo(key, path);
    expect(subscribeData).toMatchObject({ event, subscription_id: expect.any(String) });
    expect(await activeSubscriptionIds()).toContain(subscribeData.subscription_id);

    const id = await EMIT[event]();
    const hook = await hooks.next(path);
    const sent = envelopeOf(hook);
    expect(sent.event).toBe(event);
    expect(hook.headers['x-isao-hmac-sha256']).toEqual(expect.any(String));

    const records = await performHook(key, subscribeData, hook);
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({
      ...sent.data,
      id,
      isao_event: {
        type: event,
        id: sent.metadata.eventId,
        occurred_at: sent.timestamp,
        source: 'sandbox',
        company_id: sandbox.company.id,
      },
    });
    if (event.startsWith('appointment.')) {
      // a label with punctuation is keyed by its slug and a digest of the label (records.ts)
      expect(record.custom_fields).toEqual({ preferred_contact_time_b959bef4: 'Mornings' });
    }

    // the Zap editor's test: /recent has the record, in exactly perform's shape
    const listed = await run<Out[]>(op(key, 'performList'));
    expect(listed[0]!.id).toBe(id);
    expect(Object.keys(listed[0]!).sort()).toEqual(Object.keys(record).sort());
    expect(listed[0]!.isao_event).toMatchObject({ type: event });

    const off = await run(op(key, 'performUnsubscribe'), { subscribeData });
    expect(off).toMatchObject({ success: true, already_removed: false });
    expect(await activeSubscriptionIds()).not.toContain(subscribeData.subscription_id);
    await EMIT[event]();
    await sandbox.idle();
    expect(hooks.caught.filter((h) => h.path === path)).toHaveLength(1);

    // switching the Zap off again after the subscription is gone still succeeds
    const again = await run(op(key, 'performUnsubscribe'), { subscribeData });
    expect(again).toMatchObject({
      subscription_id: subscribeData.subscription_id,
      already_removed: true,
    });
  });
});

describe('no orphan subscription, over real HTTP', () => {
  /** The ids of the subscriptions ISAO lists for this event and hook path. */
  const liveFor = async (event: IsaoEvent, path: string) =>
    dataList((await sandbox.call('GET', '/webhooks')).body)
      .filter((s) => s.event_type === event && s.target_url === `${hooks.url}${path}`)
      .map((s) => s.subscription_id);
  const unsubscribe = (key: string, path: string, subscribeData?: Out) =>
    run(op(key, 'performUnsubscribe'), {
      targetUrl: `${hooks.url}${path}`,
      ...(subscribeData ? { subscribeData } : {}),
    });

  it('a retried subscribe leaves exactly one live subscription, the one Zapier stored; off leaves none', async () => {
    const otherZap = await subscribeTo('new_contact', '/orphan/other-zap');
    const otherEvent = await subscribeTo('contact_updated', '/orphan/zap');
    const lost = await subscribeTo('new_contact', '/orphan/zap'); // its answer never reached Zapier
    const stored = await subscribeTo('new_contact', '/orphan/zap'); // Zapier's retry
    expect(stored.subscription_id).not.toBe(lost.subscription_id);
    expect(await liveFor('contact.created', '/orphan/zap')).toEqual([stored.subscription_id]);
    expect(await liveFor('contact.created', '/orphan/other-zap')).toEqual([
      otherZap.subscription_id,
    ]);
    expect(await liveFor('contact.updated', '/orphan/zap')).toEqual([otherEvent.subscription_id]);

    // a new contact reaches the Zap once, signed for the subscription Zapier stored
    await contactId();
    await sandbox.idle();
    const [hook, ...more] = hooks.caught.filter((h) => h.path === '/orphan/zap');
    expect(more).toEqual([]);
    expect(await performHook('new_contact', stored, hook!)).toHaveLength(1);

    expect(await unsubscribe('new_contact', '/orphan/zap', stored)).toMatchObject({
      already_removed: false,
      also_removed: [],
    });
    expect(await liveFor('contact.created', '/orphan/zap')).toEqual([]);
    expect(await liveFor('contact.updated', '/orphan/zap')).toEqual([otherEvent.subscription_id]);
    await unsubscribe('contact_updated', '/orphan/zap', otherEvent);
    await unsubscribe('new_contact', '/orphan/other-zap', otherZap);
  });

  it("a late unsubscribe of the Zap's earlier subscription leaves its newer one live", async () => {
    const earlier = await subscribeTo('deal_lost', '/orphan/again');
    // the Zap turned off and on again under the same hook URL; the first unsubscribe came late
    const renewed = await subscribeTo('deal_lost', '/orphan/again');
    expect(await liveFor('deal.lost', '/orphan/again')).toEqual([renewed.subscription_id]);
    expect(await unsubscribe('deal_lost', '/orphan/again', earlier)).toMatchObject({
      already_removed: true,
      also_removed: [],
    });
    expect(await liveFor('deal.lost', '/orphan/again')).toEqual([renewed.subscription_id]);
    await unsubscribe('deal_lost', '/orphan/again', renewed);
    expect(await liveFor('deal.lost', '/orphan/again')).toEqual([]);
  });

  it('turning off a Zap that lost its subscribeData removes every subscription for its hook URL', async () => {
    const first = await subscribeTo('deal_won', '/orphan/no-data');
    await sandbox.call('POST', '/webhooks/subscribe', {
      event: 'deal.won',
      target_url: `${hooks.url}/orphan/no-data`,
    }); // a second one, made outside the app
    const second = (await liveFor('deal.won', '/orphan/no-data'))[1];
    expect(await unsubscribe('deal_won', '/orphan/no-data')).toEqual({
      subscription_id: null,
      already_removed: false,
      also_removed: [first.subscription_id, second],
    });
    expect(await liveFor('deal.won', '/orphan/no-data')).toEqual([]);
    expect(await unsubscribe('deal_won', '/orphan/no-data')).toMatchObject({
      already_removed: true,
    });
  });
});

describe('an account with no records yet', () => {
  let empty: Sandbox;
  let local: LocalZapier;
  beforeAll(async () => {
    empty = await startSandbox();
    local = await startLocalZapier(App, { ISAO_API_URL: empty.baseUrl });
  });
  afterAll(async () => {
    await Promise.all([local.close(), empty.close()]);
  });

  it.each(TRIGGERS)(
    '%s lists no test record (the editor shows the static sample), which has /sample’s keys',
    async (key, event) => {
      const listed = (await local.run(op(key, 'performList'), {
        authData: { api_key: empty.apiKey },
      })) as Out[];
      expect(listed).toEqual([]);
      expect(empty.events).toEqual([]);
      // the static sample and the API's /sample describe the same record: they cannot drift
      const { body } = await empty.call('GET', `/triggers/${event}/sample`);
      const apiSample = unwrapData(body) as Out;
      const trigger = (App.triggers as Record<string, Trigger>)[key]!;
      const staticSample = Object.fromEntries(
        Object.entries(trigger.operation.sample as Out).filter(
          ([k]) => !['isao_event', 'isao_event_key', 'custom_fields'].includes(k),
        ),
      );
      expect(flatKeys(staticSample)).toEqual(flatKeys(apiSample));
    },
  );
});

describe('signed, de-duplicated delivery', () => {
  let subscribeData: Out;
  let hook: CaughtHook;
  // One subscription and one signed delivery, shared by these tests. It is made by the first
  // test that runs, and removed by the last (not in beforeAll/afterAll, whose app code per-test
  // coverage in `npm run mutate` could not attribute to any test); each test passes alone.
  let delivered: Promise<void> | undefined;
  const signedDelivery = () =>
    (delivered ??= (async () => {
      subscribeData = await subscribeTo('new_contact', '/signed');
      await run('creates.create_contact.operation.perform', {
        inputData: { name: 'Ada Lovelace', phoneNumber: '+44 20 7946 0958' },
      });
      hook = await hooks.next('/signed');
    })());
  beforeEach(signedDelivery);

  it('accepts the signed delivery once, and drops the same delivery again as a duplicate', async () => {
    const first = await performHook('new_contact', subscribeData, hook);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ name: 'Ada Lovelace', isao_event: { source: 'api' } });
    const calls = zapier.rpcCalls.length;
    expect(await performHook('new_contact', subscribeData, hook)).toEqual([]);
    // the duplicate's claim answers false and is read back: another attempt's value, dropped
    expect(zapier.rpcCalls.slice(calls)).toEqual(['zcache_set', 'zcache_get']);
  });

  it('rejects a tampered delivery', async () => {
    const tampered = { ...hook, raw: hook.raw.replace('Ada Lovelace', 'Eve Mallory') };
    const error = await caught(() => performHook('new_contact', subscribeData, tampered));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toMatch(/signature does not match its body/);
  });

  it('rejects a delivery signed with another secret', async () => {
    const error = await caught(() =>
      performHook('new_contact', subscribeData, hook, { ...authData, webhook_secret: 'other' }),
    );
    expect(errorText(error)).toMatch(/signature does not match its body/);
  });

  it('rejects an unsigned delivery when a secret is set', async () => {
    const headers = { ...hook.headers };
    delete headers['x-isao-hmac-sha256'];
    const error = await caught(() =>
      performHook('new_contact', subscribeData, { ...hook, headers }),
    );
    expect(errorText(error)).toMatch(/^Rejected an unsigned webhook/);
  });

  // last, since the tests above share the subscription (a test, not an afterAll: see above)
  it('unsubscribes', async () => {
    expect(await run(op('new_contact', 'performUnsubscribe'), { subscribeData })).toMatchObject({
      subscription_id: subscribeData.subscription_id,
      already_removed: false,
    });
  });
});

it('delivers one event to two Zaps once each, and a retried delivery once', async () => {
  const one = await subscribeTo('new_contact', '/zap-one');
  const two = await subscribeTo('new_contact', '/zap-two');
  hooks.failNext(1); // the first attempt to one of them fails: ISAO retries it
  await contactId();
  const [a, b] = await Promise.all([hooks.next('/zap-one'), hooks.next('/zap-two')]);
  expect(envelopeOf(a).metadata.eventId).toBe(envelopeOf(b).metadata.eventId);
  expect(await performHook('new_contact', one, a)).toHaveLength(1);
  expect(await performHook('new_contact', two, b)).toHaveLength(1);
  expect(await performHook('new_contact', two, b)).toEqual([]);
  await sandbox.idle();
  expect(sandbox.deliveries.filter((d) => !d.ok)).toHaveLength(1);
  for (const subscribeData of [one, two]) {
    await run(op('new_contact', 'performUnsubscribe'), { subscribeData });
  }
});

it('sends the Tags filter, and ISAO delivers only contacts with one of the tags', async () => {
  const subscribeData = await subscribeTo('new_contact', '/vip', { tags: 'vip, enterprise' });
  expect(subscribeData.filters).toEqual({ tags: ['vip', 'enterprise'] });
  const create = (name: string, tags: string) =>
    run('creates.create_contact.operation.perform', {
      inputData: { name, phoneNumber: '0612345678', tags },
    });
  await create('Lead Only', 'lead');
  const vip = await create('Very Important', 'lead, VIP');
  await sandbox.idle();
  const delivered = hooks.caught.filter((h) => h.path === '/vip').map((h) => envelopeOf(h).data);
  expect(delivered.map((c) => c.id)).toEqual([vip.id]);
  await run(op('new_contact', 'performUnsubscribe'), { subscribeData });
});

describe('Create Contact', () => {
  it('creates the contact in ISAO and returns it shaped like New Contact’s records', async () => {
    const subscribeData = await subscribeTo('new_contact', '/created');
    const created = await run('creates.create_contact.operation.perform', {
      inputData: {
        name: 'Grace Hopper',
        phoneNumber: '+1 (212) 555-0100',
        email: 'grace@example.com',
        position: 'Rear Admiral',
        currentCompany: 'US Navy',
        tags: ['cobol', 'navy, vip'],
      },
    });
    const stored = sandbox.events.at(-1)!.data;
    expect(created).toMatchObject({
      ...stored,
      phoneNumber: '+12125550100',
      tags: ['cobol', 'navy', 'vip'], // a line is split at commas: Tags hold no comma
    });
    expect(created).not.toHaveProperty('isao_event');
    const [record] = await performHook('new_contact', subscribeData, await hooks.next('/created'));
    // the trigger's record is the created contact plus the trigger's event fields
    expect(Object.keys(record!).sort()).toEqual(
      [...Object.keys(created), 'isao_event', 'isao_event_key'].sort(),
    );
    expect(record!.id).toBe(created.id);
    await run(op('new_contact', 'performUnsubscribe'), { subscribeData });
  });

  it('passes ISAO’s 422 message to the user verbatim, as an error naming the field (not a halt)', async () => {
    const error = await caught(() =>
      run('creates.create_contact.operation.perform', {
        inputData: { name: 'x'.repeat(201), phoneNumber: '0612345678' },
      }),
    );
    expect(error.name).toBe('AppError');
    expect(errorText(error)).toBe(
      'ISAO refused the values this step sent (422 Unprocessable Entity): Validation failed (name is longer than 200 characters). Fix the field ISAO named (name) and run the step again.',
    );
  });

  it('works with a key that may create contacts but not manage webhooks', async () => {
    const auth = { api_key: sandbox.restrictedApiKey };
    const created = await run('creates.create_contact.operation.perform', {
      authData: auth,
      inputData: { name: 'Limited Key', phoneNumber: '0612345678' },
    });
    expect(created.name).toBe('Limited Key');
    const error = await caught(() =>
      run(op('new_contact', 'performSubscribe'), {
        authData: auth,
        targetUrl: `${hooks.url}/never`,
      }),
    );
    expect(errorText(error)).toMatch(/403 Forbidden.*lacks the `webhooks:write` permission/);
  });
});

it('turns ISAO’s 429 into Zapier’s throttled error, with Retry-After', async () => {
  sandbox.setRateLimit({ requests: 1, windowMs: 45_000 });
  await run('authentication.test'); // one request: the key's whole budget
  const error = await caught(() => run(op('new_contact', 'performList')));
  expect(error.name).toBe('ThrottledError');
  const { message, delay } = JSON.parse(error.message) as { message: string; delay: number };
  expect(message).toBe('The server returned 429 (Too Many Requests)');
  expect(delay).toBeGreaterThanOrEqual(44); // the sandbox's Retry-After: what is left of 45 s
  expect(delay).toBeLessThanOrEqual(45);
});

describe('trigger filters, end to end', () => {
  /** Subscribes with a filter, makes a matching and a non-matching event, returns what arrived. */
  const filtered = async (
    key: string,
    path: string,
    inputData: Out,
    emit: { match: () => Promise<unknown>; miss: () => Promise<unknown> },
  ) => {
    const subscribeData = await subscribeTo(key, path, inputData);
    try {
      await emit.miss();
      const matchId = await emit.match();
      await sandbox.idle();
      const caught = hooks.caught.filter((h) => h.path === path);
      const records = (
        await Promise.all(caught.map((hook) => performHook(key, subscribeData, hook)))
      ).flat();
      return { matchId, records };
    } finally {
      await run(op(key, 'performUnsubscribe'), { subscribeData });
    }
  };

  it('Deal Stage Changed with a Stage filter gets only deals moving to that stage', async () => {
    const { matchId, records } = await filtered(
      'deal_stage_changed',
      '/filter/stage',
      { stage: 'negotiation' },
      {
        miss: async () =>
          ok('PATCH', `/sandbox/deals/${String(await dealId())}`, { stage: 'Proposal' }),
        match: async () =>
          (await ok('PATCH', `/sandbox/deals/${String(await dealId())}`, { stage: 'Negotiation' }))
            .id,
      },
    );
    expect(records.map((r) => [r.id, r.stage])).toEqual([[matchId, 'Negotiation']]);
  });

  it.each([
    ['Staff by id', { staff: '42' }],
    ['Staff by full name', { staff: 'dr. ana jones' }],
    ['Location by name', { location: 'Lyon Office' }],
  ])('New Appointment with a %s filter gets only matching appointments', async (_what, input) => {
    const book = async (staff: Out, location: Out) =>
      (
        await ok('POST', '/sandbox/appointments', {
          startDateTime: '2030-04-01T09:00:00Z',
          client: { firstName: 'Jon', lastName: 'Snow' },
          staff,
          location,
        })
      ).id;
    const { matchId, records } = await filtered(
      'appointment_created',
      `/filter/${Object.keys(input)[0]!}/${Object.values(input)[0]!.replace(/\W/g, '')}`,
      input,
      {
        miss: () =>
          book({ professionalId: 7, fullName: 'Charles Babbage' }, { locationName: 'Paris' }),
        match: () =>
          book({ professionalId: 42, fullName: 'Dr. Ana Jones' }, { locationName: 'Lyon Office' }),
      },
    );
    expect(records.map((r) => r.id)).toEqual([matchId]);
  });
});

describe('a webhook batch through the real runtime (its z.cache honours nx)', () => {
  it('delivers the usable events once across the sender’s retries, skipping the unusable', async () => {
    const subscribeData = { subscription_id: 'sub_batch_e2e' };
    const item = (id: string, eventId: string) => ({
      event: 'deal.won',
      timestamp: new Date().toISOString(),
      data: { id },
      metadata: { eventId },
    });
    const content = JSON.stringify([
      item('d1', 'evt_b1'),
      { event: 'deal.won', data: null, metadata: { eventId: 'evt_b2' } },
      7,
      item('d3', 'evt_b3'),
    ]);
    const deliver = () =>
      run<Out[]>(op('deal_won', 'perform'), {
        authData: { api_key: sandbox.apiKey },
        subscribeData,
        ...hookBundle(content),
      });
    expect((await deliver()).map((r) => r.id)).toEqual(['d1', 'd3']);
    // each skipped item is in the Zap's log, the event by its id
    expect(logged()).toEqual([
      'ISAO: skipped an item of the webhook. Item 3 of the ISAO webhook is not an event object ("7").',
      'ISAO: skipped an item of the webhook. The ISAO deal.won event "evt_b2" carried no record.',
    ]);
    expect(await deliver()).toEqual([]);
    expect(await deliver()).toEqual([]);
  });
});
