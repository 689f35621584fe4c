/** The app end to end over real HTTP: signed, de-duplicated webhook delivery, filters and batches. */
import { hookBundle } from '../../sandbox/hook-bundle';
import type { CaughtHook } from '../../sandbox/local-zapier';
import { caught, errorText, logged } from '../helpers';
import {
  type Out,
  sandbox,
  hooks,
  zapier,
  authData,
  run,
  ok,
  contactId,
  dealId,
  op,
  subscribeTo,
  performHook,
  envelopeOf,
} from './e2e.setup';

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
