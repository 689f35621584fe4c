/**
 * Every trigger's lifecycle through the real core runtime: subscribe, unsubscribe, perform for
 * each envelope, performList (recent + sample fallback) and the output contract.
 * Adding a trigger: one line in TRIGGERS.
 */
import type { Bundle, Trigger, ZObject } from 'zapier-platform-core';
import App from '../../src';
import { triggers } from '../../src/triggers';
import { EVENTS, type IsaoEvent } from '../../core/events';
import { CLEANUP_BUDGET_MS, CLEANUP_CALL_TIMEOUT_MS } from '../../src/lib/subscriptions';
import type { EntityKind } from '../../core/entities';
import {
  api,
  apiPath,
  appError,
  appTester,
  authData,
  API_KEY,
  cacheStub,
  caught,
  errorText,
  flatKeys,
  fullBundle,
  logged,
  stubZ,
  type BundleParts,
} from '../helpers';

const TRIGGERS: [key: string, event: string, kind: EntityKind, filters: string[]][] = [
  ['new_contact', 'contact.created', 'contact', ['tags']],
  ['contact_updated', 'contact.updated', 'contact', ['tags']],
  ['new_deal', 'deal.created', 'deal', ['stage']],
  ['deal_updated', 'deal.updated', 'deal', ['stage']],
  ['deal_stage_changed', 'deal.stage_changed', 'deal', ['stage']],
  ['deal_won', 'deal.won', 'deal', []],
  ['deal_lost', 'deal.lost', 'deal', []],
  ['appointment_created', 'appointment.created', 'appointment', ['staff', 'location']],
  ['appointment_updated', 'appointment.updated', 'appointment', ['staff', 'location']],
  ['appointment_deleted', 'appointment.deleted', 'appointment', ['staff', 'location']],
];

/** A trigger's static output fields (appointments add a function for custom field labels). */
const staticOutputs = (trigger: Trigger) =>
  (trigger.operation.outputFields ?? []).filter(
    (f): f is { key: string; primary?: boolean } => typeof f === 'object',
  );

type Op = 'perform' | 'performList' | 'performSubscribe' | 'performUnsubscribe';
type Out = Record<string, unknown>;
type Key = keyof typeof triggers;
const TRIGGER_DEFS: Record<string, Trigger | undefined> = App.triggers;
/** A trigger's operation, reached through its own types (hookTrigger's operations are typed). */
const operationOf = (key: string, op: Op): ((z: ZObject, bundle: Bundle) => Promise<unknown>) => {
  const trigger = triggers[key as Key];
  return async (z, bundle) => trigger.operation[op](z, bundle);
};
const run = (key: string, op: Op, bundle: BundleParts = {}) =>
  appTester(operationOf(key, op), fullBundle({ authData, ...bundle }));
const runList = async (key: string, op: Op, bundle: BundleParts = {}) =>
  (await run(key, op, bundle)) as Out[];

const RECORDS: Record<EntityKind, Out> = {
  contact: {
    id: 'contact_9',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    tags: ['vip'],
    createdAt: '2024-11-08T09:30:00.000Z',
    updatedAt: '2024-11-09T09:30:00.000Z',
  },
  deal: {
    id: 'deal_9',
    title: 'Big deal',
    value: 5000,
    stage: 'Won',
    status: 'won',
    createdAt: '2024-11-01T09:30:00.000Z',
    updatedAt: '2024-11-09T09:30:00.000Z',
  },
  appointment: {
    id: 'appt_9',
    startDateTime: '2024-11-12T13:00:00.000Z',
    client: { firstName: 'Jon', lastName: 'Snow' },
    fields: [
      { label: 'Comments', value: 'Bring X-rays' },
      { label: 'Préférence horaire?', value: 'AM' },
    ],
    createdAt: '2024-11-08T09:30:00.000Z',
    updatedAt: '2024-11-10T09:30:00.000Z',
  },
};

const envelope = (event: string, data: Out, eventId = 'event_12345') => ({
  event,
  timestamp: '2024-11-08T10:30:00.000Z',
  data,
  metadata: { companyId: 'cmb72clgt0003145mvfrg8iyh', eventId, source: 'api' },
});

const HOOK = 'https://hooks.zapier.com/hooks/standard/1/abc';
const EARLIER = '2024-11-08T10:29:00.000Z';
const NOW = '2024-11-08T10:30:00.000Z';

/** One item of ISAO's `GET /webhooks` answer, as its guide documents it. */
const listed = (subscriptionId: string, event: string, created = EARLIER, targetUrl = HOOK) => ({
  id: `hook_${subscriptionId}`,
  subscription_id: subscriptionId,
  event_type: event,
  target_url: targetUrl,
  is_active: true,
  created_at: created,
});

/** ISAO's `GET /webhooks` (with the key), answering these items (subscriptions, as documented). */
const listWebhooks = (...items: unknown[]) =>
  api()
    .get(apiPath('/webhooks'))
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .reply(200, { success: true, data: items });

/** ISAO's `DELETE /webhooks/unsubscribe` of one subscription, answering `status`. */
const unsubscribes = (subscriptionId: string, status = 200) =>
  api()
    .delete(apiPath('/webhooks/unsubscribe'), { subscription_id: subscriptionId })
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .reply(
      status,
      status === 200
        ? { success: true, message: 'Webhook unsubscribed successfully' }
        : { success: false, message: `Subscription ${subscriptionId} could not be removed` },
    );

describe.each(TRIGGERS)('%s (%s)', (key, event, kind, filters) => {
  const trigger = TRIGGER_DEFS[key]!;
  const record = RECORDS[kind];

  it('is declared as a hook trigger with title-case label and "Triggers when …." description', () => {
    expect(trigger.operation.type).toBe('hook');
    expect(trigger.display.label).toMatch(/^([A-Z][a-z]*)( [A-Z][a-z]*| or)*$/);
    expect(trigger.display.description).toMatch(/^Triggers when .+\.$/);
  });

  it('subscribes with the event and target URL, then lists the webhooks (two requests)', async () => {
    api()
      .post(apiPath('/webhooks/subscribe'), (body) => {
        expect(body).toEqual({ event, target_url: HOOK });
        return true;
      })
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(201, {
        success: true,
        data: {
          id: 'hook_789',
          subscription_id: 'sub_abc123',
          event,
          expiration_date: '2025-01-01T00:00:00Z',
        },
      });
    // the list holds only the new subscription: nothing to remove
    listWebhooks(listed('sub_abc123', event, NOW));
    const result = await run(key, 'performSubscribe', { targetUrl: HOOK });
    expect(result).toEqual({
      id: 'hook_789',
      subscription_id: 'sub_abc123',
      event,
      expiration_date: '2025-01-01T00:00:00Z',
    });
  });

  it('offers exactly its filters as optional list inputs', () => {
    const inputs = (trigger.operation.inputFields ?? []) as {
      key: string;
      list?: boolean;
      required?: boolean;
    }[];
    expect(inputs.map((f) => f.key)).toEqual(filters);
    for (const input of inputs) expect(input).toMatchObject({ list: true, required: false });
  });

  if (filters.includes('tags')) {
    it('sends the Tags filter as filters.tags, one tag per line (commas included), trimmed', async () => {
      api()
        .post(apiPath('/webhooks/subscribe'), {
          event,
          target_url: 'https://hooks.example/1',
          filters: { tags: ['lead', 'enterprise', 'vip, lead'] },
        })
        .reply(201, { success: true, data: { subscription_id: 'sub_1' } });
      listWebhooks();
      await run(key, 'performSubscribe', {
        targetUrl: 'https://hooks.example/1',
        inputData: { tags: [' lead', 'enterprise', '', 'vip, lead'] },
      });
    });
  }

  it('fails clearly when subscribe returns no subscription_id', async () => {
    api()
      .post(apiPath('/webhooks/subscribe'))
      .reply(200, { success: true, data: { id: 'hook_1' } });
    const error = await caught(() =>
      run(key, 'performSubscribe', { targetUrl: 'https://hooks.example/1' }),
    );
    expect(appError(error)).toEqual({
      message: `ISAO accepted the ${event} subscription but did not return a subscription_id, so Zapier could not unsubscribe later. Try turning the Zap on again.`,
      code: 'invalid_response',
      status: 502,
    });
  });

  it('unsubscribes with the subscription id, then lists the webhooks (two requests)', async () => {
    unsubscribes('sub_abc123');
    listWebhooks(listed('sub_other_zap', event, EARLIER, 'https://hooks.zapier.com/other'));
    const result = await run(key, 'performUnsubscribe', {
      subscribeData: { id: 'hook_789', subscription_id: 'sub_abc123' },
      targetUrl: HOOK,
    });
    expect(result).toEqual({
      success: true,
      message: 'Webhook unsubscribed successfully',
      subscription_id: 'sub_abc123',
      already_removed: false,
      also_removed: [],
    });
  });

  it.each([404, 410])('treats %i on unsubscribe as already gone', async (status) => {
    api()
      .delete(apiPath('/webhooks/unsubscribe'))
      .reply(status, { error: 'Subscription not found' });
    const result = await run(key, 'performUnsubscribe', {
      subscribeData: { subscription_id: 'sub_gone' },
    });
    // without the hook URL there is no list to read: nothing else is removed
    expect(result).toMatchObject({
      subscription_id: 'sub_gone',
      already_removed: true,
      also_removed: [],
    });
  });

  it('refuses to unsubscribe without subscribeData, clearly', async () => {
    const error = await caught(() => run(key, 'performUnsubscribe', {}));
    expect(appError(error)).toEqual({
      message: `This Zap has no ISAO subscription id for ${event} (subscribeData is missing), so there is nothing to unsubscribe. If ISAO still sends events, delete the webhook in the ISAO dashboard.`,
      code: 'missing_subscription',
      status: 400,
    });
  });

  it('turns the ISAO envelope into one record with its metadata', async () => {
    const out = await runList(key, 'perform', { cleanedRequest: envelope(event, record) });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ...record, id: record.id });
    expect(out[0]!.isao_event).toEqual({
      type: event,
      id: 'event_12345',
      occurred_at: '2024-11-08T10:30:00.000Z',
      source: 'api',
      company_id: 'cmb72clgt0003145mvfrg8iyh',
    });
  });

  it('keeps a querystring the body itself carries (Zapier adds its own under that name)', async () => {
    const body = { id: 'r_qs', querystring: 'a=1' };
    const out = await runList(key, 'perform', {
      cleanedRequest: { ...body, querystring: { zap: '1' } },
      rawRequest: { content: JSON.stringify(body) },
    });
    expect(out[0]).toMatchObject({ id: 'r_qs', querystring: 'a=1' });
  });

  it('reads the raw body, not what Zapier adds to cleanedRequest (querystring)', async () => {
    const raw = JSON.stringify(envelope(event, record));
    const out = await runList(key, 'perform', {
      cleanedRequest: { ...envelope(event, record), querystring: { zap: '1' } },
      rawRequest: { content: raw },
    });
    expect(out).toHaveLength(1);
    expect(out[0]!.id).toBe(record.id);
    expect(out[0]).not.toHaveProperty('querystring');
    const bare = await runList(key, 'perform', { cleanedRequest: { ...record, querystring: {} } });
    // the record's own keys, every declared output field (null where missing), and the engine's
    const declared = staticOutputs(trigger).map((f) => f.key.split('__')[0]!);
    expect(Object.keys(bare[0]!).sort()).toEqual(
      [...new Set([...Object.keys(record), ...declared, 'isao_event', 'isao_event_key'])]
        .concat(kind === 'appointment' ? ['custom_fields'] : [])
        .sort(),
    );
  });

  it('ignores events of another type', async () => {
    const other = event === 'deal.won' ? 'deal.lost' : 'deal.won';
    expect(await runList(key, 'perform', { cleanedRequest: envelope(other, record) })).toEqual([]);
  });

  it('delivers a bare record (no envelope) as the record', async () => {
    const out = await runList(key, 'perform', { cleanedRequest: record });
    expect(out).toEqual([
      expect.objectContaining({
        id: record.id,
        isao_event: expect.objectContaining({ type: event, id: null }),
      }),
    ]);
  });

  it.each([
    ['empty', { cleanedRequest: { querystring: {} }, rawRequest: { content: '' } }],
    ['absent', {}],
  ])('halts clearly on an %s body', async (_what, bundle) => {
    const error = await caught(() => run(key, 'perform', bundle));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe('The webhook from ISAO had an empty body: nothing to process.');
  });

  it('halts clearly on a body that is not JSON, however Zapier wrapped it', async () => {
    // Zapier hands over the request itself when it cannot parse the body
    const cleanedRequest = {
      method: 'POST',
      querystring: {},
      headers: { 'Content-Type': 'text/plain' },
      content: {},
    };
    let error = await caught(() =>
      run(key, 'perform', { cleanedRequest, rawRequest: { content: `event=${event}` } }),
    );
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      `The webhook from ISAO was not valid JSON (it starts "event=${event}").`,
    );
    error = await caught(() => run(key, 'perform', { cleanedRequest }));
    expect(errorText(error)).toBe('The webhook from ISAO had an empty body: nothing to process.');
  });

  it('lists recent records with the limit, shaped like perform', async () => {
    api()
      .get(apiPath(`/triggers/${event}/recent`))
      .query({ limit: '3' })
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, [record]);
    const out = await runList(key, 'performList', { meta: { limit: 3 } });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: record.id, isao_event: { type: event, id: null } });
    const expectedAt = event.endsWith('.created') ? record.createdAt : record.updatedAt;
    expect((out[0]!.isao_event as Out).occurred_at).toBe(expectedAt);
  });

  it('lists nothing when there is nothing recent, so the editor offers the static sample', async () => {
    // no /sample call: nock fails the test on any request it was not told about
    api()
      .get(apiPath(`/triggers/${event}/recent`))
      .query({ limit: '10' })
      .reply(200, []);
    expect(await runList(key, 'performList', {})).toEqual([]);
  });

  it('contract: the sample, perform and performList have exactly the same keys', async () => {
    const sample = trigger.operation.sample as Out;
    // the raw record ISAO would send: the sample without what the engine adds to it
    const raw = Object.fromEntries(
      Object.entries(sample).filter(([k]) => k !== 'isao_event' && k !== 'custom_fields'),
    );
    const fromHook = (await runList(key, 'perform', { cleanedRequest: envelope(event, raw) }))[0]!;
    api()
      .get(apiPath(`/triggers/${event}/recent`))
      .query(true)
      .reply(200, [raw]);
    const fromList = (await runList(key, 'performList', {}))[0]!;
    const hookKeys = flatKeys(fromHook).sort();
    expect(flatKeys(fromList).sort()).toEqual(hookKeys);
    expect(flatKeys(sample).sort()).toEqual(hookKeys);
    const outputKeys = staticOutputs(trigger).map((f) => f.key);
    expect(hookKeys).toEqual(expect.arrayContaining(outputKeys));
  });

  it('static sample: every key is in what perform makes of a minimal live record', async () => {
    const sample = trigger.operation.sample as Out;
    const minimal = { id: `${kind}_min` };
    const live = (await runList(key, 'perform', { cleanedRequest: envelope(event, minimal) }))[0]!;
    expect(flatKeys(live)).toEqual(expect.arrayContaining(flatKeys(sample)));
    // what the record lacked is there as null, not invented
    for (const f of staticOutputs(trigger)) {
      if (f.key.startsWith('isao_event') || f.key === 'id') continue;
      const value = f.key.split('__').reduce<unknown>((node, part) => (node as Out)[part], live);
      expect([f.key, value]).toEqual([f.key, null]);
    }
  });
});

describe('appointments', () => {
  const topicBody = (topic: string) => ({
    data: {
      event: {
        topic,
        appId: '5f6b0e8b9a1d8c0001a5e5d6',
        businessId: '5f6b0e8b9a1d8c0001a5e5d7',
        occuredAt: '2020-09-23T18:00:00.000Z',
        payload: { appointment: RECORDS.appointment },
      },
    },
  });

  it.each([
    ['appointment_create', 'appointment_created'],
    ['appointment_update', 'appointment_updated'],
    ['appointment_destroy', 'appointment_deleted'],
  ])('maps topic %s to %s and no other trigger', async (topic, key) => {
    for (const [other] of TRIGGERS.filter(([k, , kind]) => kind === 'appointment' && k !== key)) {
      expect(await runList(other, 'perform', { cleanedRequest: topicBody(topic) })).toEqual([]);
    }
    const out = await runList(key, 'perform', { cleanedRequest: topicBody(topic) });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      id: 'appt_9',
      isao_event: {
        occurred_at: '2020-09-23T18:00:00.000Z',
        company_id: '5f6b0e8b9a1d8c0001a5e5d7',
        source: '5f6b0e8b9a1d8c0001a5e5d6',
      },
    });
  });

  it('ignores other topics (app_connect)', async () => {
    expect(
      await runList('appointment_created', 'perform', { cleanedRequest: topicBody('app_connect') }),
    ).toEqual([]);
  });

  it('flattens custom fields by a stable key of their label and keeps the array', async () => {
    const out = await runList('appointment_created', 'perform', {
      cleanedRequest: envelope('appointment.created', RECORDS.appointment),
    });
    expect(out[0]!.custom_fields).toEqual({
      comments: 'Bring X-rays',
      preference_horaire_2e9fc766: 'AM',
    });
    expect(out[0]!.fields).toEqual(RECORDS.appointment.fields);
    expect(out[0]!.startDateTime).toBe('2024-11-12T13:00:00.000Z');
  });

  it("keys a custom field by its own label: a mapped Phone never gets Phone #'s answer", async () => {
    const appointmentWith = async (fields: Out[]) =>
      (
        await runList('appointment_created', 'perform', {
          cleanedRequest: envelope('appointment.created', { id: 'a1', fields }),
        })
      )[0]!.custom_fields;
    const phone = { label: 'Phone', value: '+33 1 00' };
    const phoneNumber = { label: 'Phone #', value: '+33 6 00' };
    const other = { label: 'Autre', value: 0 };
    expect(await appointmentWith([phoneNumber, other])).toEqual({
      phone_f38c2711: '+33 6 00',
      autre: 0,
    });
    expect(await appointmentWith([other, phone, phoneNumber])).toEqual({
      autre: 0,
      phone: '+33 1 00',
      phone_f38c2711: '+33 6 00',
    });
    expect(await appointmentWith([{ label: '電話', value: '1' }])).toEqual({ field_5154b7cf: '1' });
    expect(
      await appointmentWith([
        { label: '住所', value: 'x' },
        { label: '電話', value: '1' },
      ]),
    ).toMatchObject({ field_5154b7cf: '1' });
  });

  it('keeps custom field values that are 0, false or empty text', async () => {
    const out = await runList('appointment_created', 'perform', {
      cleanedRequest: envelope('appointment.created', {
        id: 'a1',
        fields: [
          { label: 'Visits', value: 0, extendedValue: 'none' },
          { label: 'Insured', value: false, extendedValue: 'No' },
          { label: 'Notes', value: '', extendedValue: 'n/a' },
          { label: 'Room', value: null, extendedValue: 'B2' },
        ],
      }),
    });
    expect(out[0]!.custom_fields).toEqual({ visits: 0, insured: false, notes: '', room: 'B2' });
  });

  it('uses calendarid as the id when the appointment has no id (the ISAO appointment object)', async () => {
    const noId = { ...RECORDS.appointment };
    delete noId.id;
    const out = await runList('appointment_created', 'perform', {
      cleanedRequest: { ...noId, calendarid: 10390617 },
    });
    expect(out[0]!.id).toBe(10390617);
  });
});

test('a record without any id still gets a stable one (never dropped)', async () => {
  const body = envelope('deal.won', { title: 'No id' }, 'evt_77');
  expect((await runList('deal_won', 'perform', { cleanedRequest: body }))[0]!.id).toBe('evt_77');
  const bare = (await runList('deal_won', 'perform', { cleanedRequest: { title: 'No id' } }))[0]!;
  const again = (await runList('deal_won', 'perform', { cleanedRequest: { title: 'No id' } }))[0]!;
  expect(bare.id).toMatch(/^[0-9a-f]{16}$/);
  expect(again.id).toBe(bare.id);
});

test('performList lists nothing when /recent answers an envelope without data', async () => {
  api().get(apiPath('/triggers/deal.won/recent')).query(true).reply(200, { success: true });
  expect(await runList('deal_won', 'performList', {})).toEqual([]);
});

test.each([
  [500, '100'],
  [-1, '10'],
  [0, '10'],
  [0.5, '10'],
  ['7', '10'],
  [2.5, '10'],
  [1, '1'],
  [100, '100'],
  [101, '100'],
])('performList caps the asked limit %p at %s', async (limit, sent) => {
  api()
    .get(apiPath('/triggers/deal.won/recent'))
    .query({ limit: sent })
    .reply(200, [{ id: 'd1' }]);
  const out = await runList('deal_won', 'performList', { meta: { limit } as never });
  expect(out.map((r) => r.id)).toEqual(['d1']);
});

describe('webhook shapes, read exactly', () => {
  const perform = (key: string, bundle: Partial<Bundle>) => runList(key, 'perform', bundle);

  it('an envelope with data: null and other keys still carries no record', async () => {
    const cleanedRequest = { event: 'deal.won', data: null, id: 'd1', title: 'Not a record' };
    const error = await caught(() => perform('deal_won', { cleanedRequest }));
    expect(errorText(error)).toBe('The ISAO deal.won event carried no record.');
  });

  it('an event name without data or metadata is an envelope; any other "event" is a field', async () => {
    const flat = await perform('new_contact', {
      cleanedRequest: { event: 'contact.created', id: 'c1', name: 'Ada' },
    });
    expect(flat).toHaveLength(1);
    expect(flat[0]).toMatchObject({
      id: 'c1',
      name: 'Ada',
      isao_event: { type: 'contact.created' },
    });
    expect(flat[0]).not.toHaveProperty('event');
    // an appointment whose own "event" field is not an event name is a bare record
    const bare = await perform('appointment_created', {
      cleanedRequest: { id: 'a1', event: 'Team offsite' },
    });
    expect(bare).toHaveLength(1);
    expect(bare[0]).toMatchObject({ id: 'a1', event: 'Team offsite' });
  });

  it('an envelope whose event is not a name halts, with metadata alone as with data', async () => {
    const error = await caught(() =>
      perform('deal_won', { cleanedRequest: { event: 42, metadata: { eventId: 'evt_9' } } }),
    );
    expect(errorText(error)).toBe(
      'The ISAO webhook item "evt_9" is an envelope whose "event" is not an event name ("42").',
    );
  });

  it('topic envelopes: the payload itself when it has no appointment; eventId when no id', async () => {
    const out = await perform('appointment_created', {
      cleanedRequest: {
        data: {
          event: {
            topic: 'appointment_create',
            eventId: 'evt_t1',
            occurredAt: '2024-11-08T10:30:00.000Z',
            appId: 'app_1',
            businessId: 'b_1',
            payload: { id: 'a7', status: 'confirmed' },
          },
        },
      },
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      id: 'a7',
      status: 'confirmed',
      isao_event: {
        type: 'appointment.created',
        id: 'evt_t1',
        occurred_at: '2024-11-08T10:30:00.000Z',
        source: 'app_1',
        company_id: 'b_1',
      },
    });
    // a topic that is not a string: not a topic envelope, the body is a bare record
    const bare = await perform('appointment_created', {
      cleanedRequest: { id: 'a8', data: { event: { topic: 7, payload: { id: 'x' } } } },
    });
    expect(bare[0]).toMatchObject({ id: 'a8', isao_event: { id: null } });
  });

  it('a blank raw body falls back to the parsed body; invalid JSON is quoted trimmed', async () => {
    const out = await perform('new_contact', {
      rawRequest: { content: '  \n ', headers: {} },
      cleanedRequest: { event: 'contact.created', data: { id: 'c2' } },
    });
    expect(out.map((r) => r.id)).toEqual(['c2']);
    const error = await caught(() =>
      perform('new_contact', { rawRequest: { content: '   nope {', headers: {} } }),
    );
    expect(errorText(error)).toBe('The webhook from ISAO was not valid JSON (it starts "nope {").');
  });

  it('an empty list, or nothing, is an empty body; a record with a headers field is a record', async () => {
    for (const cleanedRequest of [[], undefined]) {
      const error = await caught(() => perform('new_contact', { cleanedRequest }));
      expect(errorText(error)).toBe('The webhook from ISAO had an empty body: nothing to process.');
    }
    const out = await perform('new_contact', {
      cleanedRequest: { id: 'c3', headers: 'Dear', querystring: 'a=1' },
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: 'c3', headers: 'Dear' });
    expect(out[0]).not.toHaveProperty('querystring');
  });
});

describe('performList reads only what it should', () => {
  it('skips what is not a record and what is another event; dates come from the record', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query({ limit: '10' })
      .reply(200, [
        'junk',
        7,
        { event: 'deal.lost', data: { id: 'd_lost' } },
        { event: 'deal.won', data: { id: 'd1', updatedAt: '2024-11-09T09:30:00.000Z' } },
      ]);
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => r.id)).toEqual(['d1']);
    expect(out[0]!.isao_event).toEqual({
      type: 'deal.won',
      id: null,
      occurred_at: '2024-11-09T09:30:00.000Z',
      source: null,
      company_id: null,
    });
  });
});

describe('envelopes without a data object', () => {
  it('halt clearly when they carry no record', async () => {
    for (const cleanedRequest of [
      { event: 'deal.won', data: null },
      { event: 'deal.won', timestamp: '2024-11-08T10:30:00.000Z', metadata: { eventId: 'e1' } },
    ]) {
      const error = await caught(() => run('deal_won', 'perform', { cleanedRequest }));
      expect(error.name).toBe('HaltedError');
      const id = 'metadata' in cleanedRequest ? ' "e1"' : '';
      expect(errorText(error)).toBe(`The ISAO deal.won event${id} carried no record.`);
    }
  });

  it("are another trigger's business when they name another event", async () => {
    const body = { event: 'deal.won', deal: { id: 'd1' }, metadata: { eventId: 'e9' } };
    expect(await runList('new_contact', 'perform', { cleanedRequest: body })).toEqual([]);
    expect(
      await runList('new_contact', 'perform', {
        cleanedRequest: { event: 'deal.won', data: null },
      }),
    ).toEqual([]);
  });

  it('deliver the rest of the body as the record, with the metadata', async () => {
    const record = { id: 'd1', title: 'Flat' };
    const at = '2024-11-08T10:30:00.000Z';
    const body = {
      event: 'deal.won',
      timestamp: at,
      ...record,
      metadata: { eventId: 'e10', source: 'ui' },
    };
    const [out] = await runList('deal_won', 'perform', { cleanedRequest: body });
    // the body's own fields, then the declared ones it lacks as null
    expect(Object.fromEntries(Object.entries(out!).filter(([, v]) => v !== null))).toEqual({
      id: 'd1',
      title: 'Flat',
      isao_event_key: 'e10',
      isao_event: {
        type: 'deal.won',
        id: 'e10',
        occurred_at: '2024-11-08T10:30:00.000Z',
        source: 'ui',
        company_id: null,
      },
    });
  });

  it('a record that merely has an "event" field is still a record', async () => {
    const body = { id: 'appt_1', event: 'Annual check-up' };
    const out = await runList('appointment_created', 'perform', { cleanedRequest: body });
    expect(out).toEqual([expect.objectContaining({ id: 'appt_1', event: 'Annual check-up' })]);
  });
});

describe('a JSON array body', () => {
  it("delivers each of this trigger's events, each de-duplicated on its own", async () => {
    const body = [
      envelope('deal.won', { id: 'd1' }, 'e1'),
      envelope('deal.lost', { id: 'd2' }, 'e2'),
      envelope('deal.won', { id: 'd3' }, 'e3'),
    ];
    const bundle = { rawRequest: { content: JSON.stringify(body) } };
    expect((await runList('deal_won', 'perform', bundle)).map((r) => r.id)).toEqual(['d1', 'd3']);
  });

  it('halts clearly when it holds no event object at all', async () => {
    for (const content of ['[]', '"text"', '7', 'null']) {
      const error = await caught(() => run('deal_won', 'perform', { rawRequest: { content } }));
      expect(errorText(error)).toBe(
        'The webhook from ISAO was JSON but not an event object (or a list of them): nothing to process.',
      );
    }
  });
});

test('every trigger is in the table, once', () => {
  expect(Object.keys(App.triggers).sort()).toEqual(TRIGGERS.map(([k]) => k).sort());
});

describe('a webhook batch loses nothing', () => {
  const perform = (key: Key) => triggers[key].operation.perform;
  const batch = (items: unknown[]) =>
    fullBundle({
      authData,
      subscribeData: { subscription_id: 'sub_batch' },
      rawRequest: { content: JSON.stringify(items) },
    });

  it('skips an item without a record (logged by event id); the others arrive once across retries', async () => {
    const { cache, calls } = cacheStub();
    const { z, log } = stubZ(cache);
    const body = batch([
      envelope('deal.won', { id: 'd1' }, 'e1'),
      { event: 'deal.won', data: null, metadata: { eventId: 'e2' } },
      envelope('deal.won', { id: 'd3' }, 'e3'),
    ]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1', 'd3']);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toBe(
      'ISAO: skipped an item of the webhook. The ISAO deal.won event "e2" carried no record.',
    );
    // only what was returned was marked delivered; the sender's retry of the same bytes adds nothing
    expect(calls.map((c) => c[0])).toEqual([
      'isao:delivered:sub_batch:e1',
      'isao:delivered:sub_batch:e3',
    ]);
    expect(await perform('deal_won')(z, body)).toEqual([]);
  });

  it('skips items that are not objects; the others arrive once across retries', async () => {
    const { cache } = cacheStub();
    const { z, log } = stubZ(cache);
    const body = batch([envelope('deal.won', { id: 'd1' }, 'e1'), 7, null]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1']);
    expect(log.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'ISAO: skipped an item of the webhook. Item 2 of the ISAO webhook is not an event object ("7").',
      'ISAO: skipped an item of the webhook. Item 3 of the ISAO webhook is not an event object ("null").',
    ]);
    expect(await perform('deal_won')(z, body)).toEqual([]);
    // nothing usable at all: halts, naming the first item and how many more
    const error = await caught(async () => perform('deal_won')(z, batch([7, 'x'])));
    expect(errorText(error)).toBe(
      'Item 1 of the ISAO webhook is not an event object ("7") (and 1 more).',
    );
  });

  it('delivers both records of one event id, with one cache call', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    const body = batch([
      envelope('deal.won', { id: 'd1' }, 'e1'),
      envelope('deal.won', { id: 'd2' }, 'e1'),
    ]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1', 'd2']);
    expect(calls).toHaveLength(1);
    expect(await perform('deal_won')(z, body)).toEqual([]);
  });

  it('skips an envelope whose event is blank or not an event name, naming it', async () => {
    const { z, log } = stubZ(cacheStub().cache);
    const body = batch([
      { event: '', data: { id: 'd0' }, metadata: { eventId: 'e0' } },
      { event: 'Deal Won', data: { id: 'd9' } },
      envelope('deal.won', { id: 'd1' }, 'e1'),
    ]);
    expect((await perform('deal_won')(z, body)).map((r) => r.id)).toEqual(['d1']);
    expect(log.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO webhook item "e0" is an envelope whose "event" is not an event name ("").',
      'ISAO: skipped an item of the webhook. The ISAO webhook item is an envelope whose "event" is not an event name ("Deal Won").',
    ]);
  });

  it('delivers two events about the same record, each with its own primary key', async () => {
    const body = batch([
      envelope('contact.updated', { id: 'contact_1', name: 'A' }, 'e1'),
      envelope('contact.updated', { id: 'contact_1', name: 'B' }, 'e2'),
    ]);
    const out = await runList('contact_updated', 'perform', body);
    expect(out.map((r) => [r.id, r.isao_event_key, r.name])).toEqual([
      ['contact_1', 'e1', 'A'],
      ['contact_1', 'e2', 'B'],
    ]);
    // the primary key Zapier checks is id + isao_event_key
    const primary = staticOutputs(TRIGGER_DEFS.contact_updated!).filter((f) => f.primary);
    expect(primary.map((f) => f.key)).toEqual(['id', 'isao_event_key']);
  });

  it('delivers one of two identical items, and both of two different bare records', async () => {
    const same = envelope('deal.won', { id: 'd1' }, 'e1');
    expect((await runList('deal_won', 'perform', batch([same, same]))).map((r) => r.id)).toEqual([
      'd1',
    ]);
    const bare = await runList(
      'deal_won',
      'perform',
      batch([
        { id: 'd1', v: 1 },
        { id: 'd1', v: 2 },
      ]),
    );
    expect(bare.map((r) => r.v)).toEqual([1, 2]);
    expect(bare[0]!.isao_event_key).not.toBe(bare[1]!.isao_event_key);
  });

  it('keeps mixed batches working: other triggers’ events are not this one’s business', async () => {
    const body = batch([
      envelope('deal.lost', { id: 'd0' }, 'e0'),
      { event: 'deal.lost', data: null, metadata: { eventId: 'e9' } },
      envelope('deal.won', { id: 'd1' }, 'e1'),
    ]);
    expect((await runList('deal_won', 'perform', body)).map((r) => r.id)).toEqual(['d1']);
  });

  it('skips an envelope whose event is not a name, for every trigger, and halts when it is alone', async () => {
    const malformed = { event: 42, data: { id: 'd9' }, metadata: { eventId: 'e42' } };
    for (const [key] of TRIGGERS) {
      const error = await caught(() => run(key, 'perform', { cleanedRequest: malformed }));
      expect(error.name).toBe('HaltedError');
      expect(errorText(error)).toBe(
        'The ISAO webhook item "e42" is an envelope whose "event" is not an event name ("42").',
      );
    }
    const out = await runList(
      'deal_won',
      'perform',
      batch([malformed, envelope('deal.won', { id: 'd1' }, 'e1')]),
    );
    expect(out.map((r) => r.id)).toEqual(['d1']);
    expect(logged()).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO webhook item "e42" is an envelope whose "event" is not an event name ("42").',
    ]);
  });

  it('reports how many items were skipped when none was usable', async () => {
    const body = batch([
      { event: 'deal.won', data: null, metadata: { eventId: 'e1' } },
      { event: 'deal.won', data: null, metadata: { eventId: 'e2' } },
    ]);
    const error = await caught(() => run('deal_won', 'perform', body));
    expect(errorText(error)).toBe('The ISAO deal.won event "e1" carried no record (and 1 more).');
  });
});

describe('record ids', () => {
  /** Each id alias, and a trigger whose records carry it. */
  const ALIASES: Record<string, IsaoEvent> = {
    contactId: 'contact.created',
    contact_id: 'contact.created',
    dealId: 'deal.won',
    deal_id: 'deal.won',
    appointmentId: 'appointment.created',
    appointment_id: 'appointment.created',
    calendarId: 'appointment.created',
  };
  it.each(Object.entries(ALIASES))('take %s when the record has no id', async (alias, event) => {
    const out = await runList(EVENTS[event].trigger, 'perform', {
      cleanedRequest: envelope(event, { [alias]: 'x_1', id: '' }, 'e1'),
    });
    expect(out[0]!.id).toBe('x_1');
  });

  it('fall back from an empty or non-scalar id to the event id', async () => {
    for (const id of ['', { nested: 1 }, null, true]) {
      const out = await runList('deal_won', 'perform', {
        cleanedRequest: envelope('deal.won', { id }, 'evt_5'),
      });
      expect(out[0]!.id).toBe('evt_5');
    }
  });
});

describe('performList', () => {
  const deals = [
    { id: 'd1', title: 'One' },
    { id: 'd2', title: 'Two' },
  ];
  it.each([
    ['a bare list', deals],
    ['{data: […], meta, links, total}', { data: deals, meta: { page: 1 }, links: {}, total: 2 }],
    ['{success, data: {items: […]}}', { success: true, data: { items: deals, total: 2 } }],
    ['{data: {results: […]}, meta}', { data: { results: deals }, meta: {} }],
    ['{items: […]}', { items: deals }],
    ['{results: […], count}', { results: deals, count: 2 }],
    // pagination keys this app does not know: a list in an object without an id
    ['{results, count, next, previous}', { results: deals, count: 2, next: null, previous: null }],
    [
      "Laravel's {data, current_page, per_page, …}",
      { data: deals, current_page: 1, per_page: 15, last_page: 1, next_page_url: null, to: 2 },
    ],
    ['{items, next_cursor}', { items: deals, next_cursor: 'c2' }],
    [
      '{success, data: {items, next_cursor}}',
      { success: true, data: { items: deals, next_cursor: 'c2' } },
    ],
  ])('lists the records of %s, never the envelope as a record', async (_shape, body) => {
    api().get(apiPath('/triggers/deal.won/recent')).query(true).reply(200, body);
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => [r.id, r.title])).toEqual([
      ['d1', 'One'],
      ['d2', 'Two'],
    ]);
  });

  it('lists one record answered alone, and a record with a data field as a record', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query(true)
      .reply(200, { id: 'd1', title: 'One', data: { source: 'import' } });
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => [r.id, r.data])).toEqual([['d1', { source: 'import' }]]);
  });

  it('skips a listed record without an id instead of making one up', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query(true)
      .reply(200, [
        { title: 'No id' },
        { event: 'deal.won', data: { title: 'No id either' }, metadata: { eventId: 'e_1' } },
        { id: 'd2', title: 'Two' },
      ]);
    const out = await runList('deal_won', 'performList');
    expect(out.map((r) => r.id)).toEqual(['d2']);
  });

  it('never returns more than the page it asked for, even when the API sends more', async () => {
    api()
      .get(apiPath('/triggers/deal.won/recent'))
      .query({ limit: '2' })
      .reply(200, [{ id: 'd1' }, { id: 'd2' }, { id: 'd3' }]);
    const out = await runList('deal_won', 'performList', { meta: { limit: 2 } });
    expect(out.map((r) => r.id)).toEqual(['d1', 'd2']);
  });
});

describe('filters: one predicate for live events and test records', () => {
  // each line is one value, commas included: the miss would match the line split at commas
  const MATCHING: Record<string, [input: Out, sent: string[], match: Out, miss: Out]> = {
    tags: [
      { tags: ['Lead, cold', ' vip '] },
      ['Lead, cold', 'vip'],
      { tags: ['VIP'] },
      { tags: ['Lead', 'cold'] },
    ],
    stage: [
      { stage: ['Proposal, phase 2'] },
      ['Proposal, phase 2'],
      { stage: 'proposal, PHASE 2' },
      { stage: 'Proposal' },
    ],
    staff: [
      { staff: ['Jones, Ana', '42441'] },
      ['Jones, Ana', '42441'],
      { staff: { fullName: 'Jones, Ana' } },
      { staff: { fullName: 'Ana', professionalId: 7 } },
    ],
    location: [
      { location: ['Paris, 8e arrondissement'] },
      ['Paris, 8e arrondissement'],
      { location: { locationName: 'paris, 8e arrondissement' } },
      { location: { locationName: 'Paris' } },
    ],
  };

  describe.each(
    TRIGGERS.flatMap(([key, event, , filters]) => filters.map((f) => [key, event, f] as const)),
  )('%s: %s filter', (key, event, filter) => {
    const [input, sent, match, miss] = MATCHING[filter]!;
    const records = [
      { id: 'r_match', ...match },
      { id: 'r_miss', ...miss },
    ];

    it(`is sent on subscribe as filters.${filter}: the values the predicate compares`, async () => {
      api()
        .post(apiPath('/webhooks/subscribe'), (body: Out) => {
          expect(body.filters).toEqual({ [filter]: sent });
          return true;
        })
        .reply(201, { success: true, data: { subscription_id: 'sub_1' } });
      listWebhooks();
      await run(key, 'performSubscribe', {
        targetUrl: 'https://hooks.example/1',
        inputData: input,
      });
    });

    it('lets only matching live events through', async () => {
      const rawRequest = {
        content: JSON.stringify(records.map((r, i) => envelope(event, r, `e${String(i)}`))),
      };
      const out = await runList(key, 'perform', { inputData: input, rawRequest });
      expect(out.map((r) => r.id)).toEqual(['r_match']);
      const all = await runList(key, 'perform', { inputData: {}, rawRequest });
      expect(all.map((r) => r.id)).toEqual(['r_match', 'r_miss']);
    });

    it('lets only matching test records through', async () => {
      // a filter is applied after the API's page, so the largest page is asked for
      api()
        .get(apiPath(`/triggers/${event}/recent`))
        .query({ limit: '100' })
        .reply(200, records);
      const out = await runList(key, 'performList', {
        inputData: input,
        meta: { limit: 2 },
      });
      expect(out.map((r) => r.id)).toStrictEqual(['r_match']);
    });
  });

  it('refuses a filter made only of blanks, naming it, before subscribing', async () => {
    const error = await caught(() =>
      run('new_deal', 'performSubscribe', {
        targetUrl: 'https://hooks.example/1',
        inputData: { stage: [' ', ' , \u200b'] },
      }),
    );
    expect(error.name).not.toBe('HaltedError');
    expect(appError(error)).toEqual({
      message:
        'The Stage filter holds only blank values (spaces, commas or invisible characters). Enter at least one value, or clear the field to trigger on every deal.',
      code: 'invalid_filter',
      status: 400,
    });
  });
});

describe('no orphan subscription: new_contact', () => {
  const EVENT = 'contact.created';
  const LATER = '2024-11-08T10:31:00.000Z';
  /** ISAO's answer to the subscribe call: the subscription Zapier stores. */
  const NEW = { id: 'hook_new', subscription_id: 'sub_new', event: EVENT, created_at: NOW };

  /** Runs an operation through the runtime; returns its result and the lines it logged. */
  const runLogged = async (op: Op, bundle: BundleParts) => {
    const lines: string[] = [];
    const result = await appTester(
      async (z: ZObject, b: Bundle) => {
        jest.spyOn(z.console, 'log').mockImplementation((line: unknown) => {
          lines.push(String(line));
        });
        return operationOf('new_contact', op)(z, b);
      },
      fullBundle({ authData, ...bundle }),
    );
    return { result, lines };
  };
  const subscribed = (answer: Out = NEW) => {
    api().post(apiPath('/webhooks/subscribe')).reply(201, { success: true, data: answer });
    return runLogged('performSubscribe', { targetUrl: HOOK });
  };
  const unsubscribed = (subscribeData?: Out) =>
    runLogged('performUnsubscribe', {
      targetUrl: HOOK,
      ...(subscribeData ? { subscribeData } : {}),
    });
  const LIST_FAILED = `ISAO: could not list the webhooks (GET /webhooks, which needs the \`webhooks:read\` permission) to remove other ${EVENT} subscriptions for this Zap's hook URL:`;
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** A log line: `start`, then a reason (errors.ts words it) holding `why`, then `end`. */
  const logged = (start: string, why: string, end: string) =>
    expect.stringMatching(
      new RegExp(`^${escaped(start)} .*${escaped(why)}.* ${escaped(end)}$`),
    ) as unknown;
  const LEFT_OVER =
    'Any left over may send this Zap duplicate events until deleted in the ISAO dashboard.';
  const named = (ids: string[]) => ids.map((id) => `"${id}"`).join(', ');
  const removedLine = (...ids: string[]) =>
    `ISAO: removed ${String(ids.length)} other ${EVENT} subscription(s) for this Zap's hook URL: ${named(ids)}.`;
  /** The line naming those left in place because an age is unknown (`whose`: theirs or the Zap's own). */
  const leftLine = (whose: 'they were' | "this Zap's own subscription was", ...ids: string[]) =>
    `ISAO: left ${String(ids.length)} other ${EVENT} subscription(s) for this Zap's hook URL in place (${named(ids)}): ISAO did not say when ${whose} created, so any of them could be this Zap's live one. ${LEFT_OVER}`;
  const skippedLine = (...ids: string[]) =>
    `ISAO: did not remove ${String(ids.length)} other ${EVENT} subscription(s) for this Zap's hook URL (${named(ids)}): the clean-up's 10 s were used up. ${LEFT_OVER}`;

  describe('subscribe', () => {
    it('removes the strictly older subscriptions for the same event and hook URL, keeping the one it returns; an undated one is left, logged', async () => {
      listWebhooks(
        listed('sub_retried', EVENT),
        listed('sub_new', EVENT, NOW),
        listed('sub_undated', EVENT, 'not a date'),
        listed('sub_other_zap', EVENT, EARLIER, 'https://hooks.zapier.com/hooks/standard/1/other'),
        listed('sub_other_event', 'contact.updated'),
        { id: 'hook_without_subscription_id', event_type: EVENT, target_url: HOOK },
        null,
        'sub_not_an_object',
      );
      unsubscribes('sub_retried');
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      // sub_undated may be a concurrent retry's, newer than this one: removing it could leave the
      // Zap without a subscription when that retry removes this one
      expect(lines).toEqual([removedLine('sub_retried'), leftLine('they were', 'sub_undated')]);
    });

    it('leaves one created at the same time or later alone: a concurrent retry’s, which removes this one', async () => {
      listWebhooks(
        listed('sub_same_time', EVENT, NOW),
        listed('sub_new', EVENT, NOW),
        listed('sub_later', EVENT, LATER),
      );
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([]);
    });

    const UNDATED = { id: NEW.id, subscription_id: NEW.subscription_id, event: EVENT };

    it('an answer without created_at: its age is read from its own entry in the list', async () => {
      listWebhooks(
        listed('sub_retried', EVENT),
        listed('sub_new', EVENT, NOW),
        listed('sub_later', EVENT, LATER),
      );
      unsubscribes('sub_retried');
      const { result, lines } = await subscribed(UNDATED);
      expect(result).toEqual(UNDATED);
      expect(lines).toEqual([removedLine('sub_retried')]);
    });

    it('two concurrent subscribes without created_at: each leaves the other (logged), so one always stays', async () => {
      listWebhooks(listed('sub_new', EVENT, 'not a date'), listed('sub_retried', EVENT, 'soon'));
      const first = await subscribed(UNDATED);
      expect(first.result).toEqual(UNDATED);
      expect(first.lines).toEqual([leftLine("this Zap's own subscription was", 'sub_retried')]);

      const retry = { ...UNDATED, id: 'hook_retried', subscription_id: 'sub_retried' };
      listWebhooks(listed('sub_new', EVENT, 'not a date'), listed('sub_retried', EVENT, 'soon'));
      const second = await subscribed(retry);
      expect(second.result).toEqual(retry);
      expect(second.lines).toEqual([leftLine("this Zap's own subscription was", 'sub_new')]);
    });

    it('reads the list from an envelope with items (`{success, data: {items, total}}`)', async () => {
      api()
        .get(apiPath('/webhooks'))
        .reply(200, {
          success: true,
          data: { items: [listed('sub_retried', EVENT), listed('sub_new', EVENT, NOW)], total: 2 },
        });
      unsubscribes('sub_retried');
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([removedLine('sub_retried')]);
    });

    it('never logs a listed id that is a secret (the API key)', async () => {
      listWebhooks(listed(API_KEY, EVENT, 'not a date'), listed(`${API_KEY}_old`, EVENT));
      unsubscribes(`${API_KEY}_old`, 500);
      const { lines } = await subscribed();
      expect(lines).toEqual([
        expect.stringContaining('subscription "[redacted]_old" for this Zap'),
        leftLine('they were', '[redacted]'),
      ]);
      expect(lines.join('\n')).not.toContain(API_KEY);
    });

    describe('the clean-up keeps subscribe far from Zapier’s time limit', () => {
      /** Date.now, moved only by the test: the clean-up's budget counts on it. */
      let clock: number;
      beforeEach(() => {
        clock = Date.now();
        jest.spyOn(Date, 'now').mockImplementation(() => clock);
      });

      it('removals not started within the 10 s budget are skipped and logged; the subscribe returns its subscription', async () => {
        listWebhooks(listed('sub_a', EVENT), listed('sub_b', EVENT), listed('sub_c', EVENT));
        // sub_a's removal answers 10 s after the clean-up began
        api()
          .delete(apiPath('/webhooks/unsubscribe'), { subscription_id: 'sub_a' })
          .reply(() => {
            clock += CLEANUP_BUDGET_MS;
            return [200, { success: true }];
          });
        const { result, lines } = await subscribed();
        expect(result).toEqual(NEW);
        expect(lines).toEqual([removedLine('sub_a'), skippedLine('sub_b', 'sub_c')]);
      });

      it('a removal gets only what is left of the budget: one that does not answer in time is logged', async () => {
        api()
          .get(apiPath('/webhooks'))
          .reply(() => {
            clock += CLEANUP_BUDGET_MS - 200; // 0.2 s left
            return [200, { success: true, data: [listed('sub_a', EVENT)] }];
          });
        api()
          .delete(apiPath('/webhooks/unsubscribe'), { subscription_id: 'sub_a' })
          .delay(2000)
          .reply(200, { success: true });
        const { result, lines } = await subscribed();
        expect(result).toEqual(NEW);
        expect(lines).toEqual([
          `ISAO: could not remove the other ${EVENT} subscription "sub_a" for this Zap's hook URL (DELETE /webhooks/unsubscribe, which needs the \`webhooks:write\` permission): The ISAO API at staging.isao.io did not answer within 0.2 seconds. It may send this Zap duplicate events until deleted in the ISAO dashboard.`,
        ]);
      });

      it(`each clean-up call waits at most ${String(CLEANUP_CALL_TIMEOUT_MS / 1000)} s`, async () => {
        api()
          .get(apiPath('/webhooks'))
          .delay(CLEANUP_CALL_TIMEOUT_MS + 500)
          .reply(200, { success: true, data: [] });
        const { result, lines } = await subscribed();
        expect(result).toEqual(NEW);
        expect(lines).toEqual([
          `${LIST_FAILED} The ISAO API at staging.isao.io did not answer within 5 seconds. ${LEFT_OVER}`,
        ]);
      }, 15_000);
    });

    it('a list refused (403, the key lacks webhooks:read) is logged, and the subscribe succeeds', async () => {
      api()
        .get(apiPath('/webhooks'))
        .reply(403, { error: { message: 'Insufficient scope' } });
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([
        logged(LIST_FAILED, '(403 Forbidden: Insufficient scope)', LEFT_OVER),
      ]);
    });

    it('a list answer that is not a list is logged, and the subscribe succeeds', async () => {
      api()
        .get(apiPath('/webhooks'))
        .reply(200, { success: true, data: { count: 0 } });
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([
        `${LIST_FAILED} ISAO answered GET /webhooks without a list of subscriptions. ${LEFT_OVER}`,
      ]);
    });

    it('a removal that fails is logged, the rest are removed (404 and 410 count as removed), and the subscribe succeeds', async () => {
      listWebhooks(
        listed('sub_a', EVENT),
        listed('sub_b', EVENT),
        listed('sub_c', EVENT),
        listed('sub_d', EVENT),
      );
      unsubscribes('sub_a', 500);
      unsubscribes('sub_b', 404);
      unsubscribes('sub_c', 410);
      unsubscribes('sub_d');
      const { result, lines } = await subscribed();
      expect(result).toEqual(NEW);
      expect(lines).toEqual([
        logged(
          `ISAO: could not remove the other ${EVENT} subscription "sub_a" for this Zap's hook URL (DELETE /webhooks/unsubscribe, which needs the \`webhooks:write\` permission):`,
          '(500)',
          'It may send this Zap duplicate events until deleted in the ISAO dashboard.',
        ),
        removedLine('sub_b', 'sub_c', 'sub_d'),
      ]);
    });

    it('without a hook URL, lists nothing', async () => {
      api().post(apiPath('/webhooks/subscribe')).reply(201, { success: true, data: NEW });
      const { result, lines } = await runLogged('performSubscribe', {});
      expect(result).toEqual(NEW);
      expect(lines).toEqual([]);
    });
  });

  describe('unsubscribe', () => {
    it('removes the stored subscription, then the others for its event and hook URL created no later than it', async () => {
      unsubscribes('sub_new');
      listWebhooks(
        listed('sub_new', EVENT, NOW),
        listed('sub_retried', EVENT),
        listed('sub_same_time', EVENT, NOW),
        listed('sub_later', EVENT, LATER),
        listed('sub_gone', EVENT),
        listed('sub_other_zap', EVENT, EARLIER, 'https://hooks.zapier.com/hooks/standard/1/other'),
        listed('sub_other_event', 'contact.updated'),
      );
      unsubscribes('sub_retried');
      unsubscribes('sub_same_time');
      unsubscribes('sub_gone', 410);
      const { result, lines } = await unsubscribed(NEW);
      // sub_later is a later subscribe's under the same hook URL (the Zap turned off and on): live
      expect(result).toEqual({
        success: true,
        message: 'Webhook unsubscribed successfully',
        subscription_id: 'sub_new',
        already_removed: false,
        also_removed: ['sub_retried', 'sub_same_time', 'sub_gone'],
      });
      expect(lines).toEqual([removedLine('sub_retried', 'sub_same_time', 'sub_gone')]);
    });

    it('subscribeData without created_at: the age is read from the list, else every other one is left (logged)', async () => {
      const undated = { id: NEW.id, subscription_id: NEW.subscription_id };
      unsubscribes('sub_new');
      listWebhooks(
        listed('sub_new', EVENT, NOW),
        listed('sub_retried', EVENT),
        listed('sub_later', EVENT, LATER),
      );
      unsubscribes('sub_retried');
      const dated = await unsubscribed(undated);
      expect(dated.result).toMatchObject({ also_removed: ['sub_retried'] });
      expect(dated.lines).toEqual([removedLine('sub_retried')]);

      unsubscribes('sub_new');
      listWebhooks(listed('sub_retried', EVENT), listed('sub_later', EVENT, LATER));
      const unknown = await unsubscribed(undated);
      expect(unknown.result).toMatchObject({ also_removed: [] });
      expect(unknown.lines).toEqual([
        leftLine("this Zap's own subscription was", 'sub_retried', 'sub_later'),
      ]);
    });

    it('a list or a removal that fails is logged, and the Zap is still turned off', async () => {
      unsubscribes('sub_new', 404);
      api().get(apiPath('/webhooks')).reply(503, {});
      const listFailed = await unsubscribed(NEW);
      expect(listFailed.result).toMatchObject({ already_removed: true, also_removed: [] });
      expect(listFailed.lines).toEqual([logged(LIST_FAILED, '(503)', LEFT_OVER)]);

      unsubscribes('sub_new');
      listWebhooks(listed('sub_retried', EVENT));
      unsubscribes('sub_retried', 403);
      const removalFailed = await unsubscribed(NEW);
      expect(removalFailed.result).toMatchObject({ already_removed: false, also_removed: [] });
      expect(removalFailed.lines).toEqual([
        expect.stringContaining(`could not remove the other ${EVENT} subscription "sub_retried"`),
      ]);
    });

    describe('without subscribeData, but with the hook URL', () => {
      const NO_ID = `ISAO: this Zap had no ISAO subscription id for ${EVENT} (subscribeData is missing); removed the`;

      it('removes every subscription ISAO lists for its event and hook URL', async () => {
        listWebhooks(
          listed('sub_a', EVENT),
          listed('sub_b', EVENT, LATER),
          listed(
            'sub_other_zap',
            EVENT,
            EARLIER,
            'https://hooks.zapier.com/hooks/standard/1/other',
          ),
          listed('sub_other_event', 'contact.updated'),
        );
        unsubscribes('sub_a');
        unsubscribes('sub_b', 404);
        const { result, lines } = await unsubscribed();
        expect(result).toEqual({
          subscription_id: null,
          already_removed: false,
          also_removed: ['sub_a', 'sub_b'],
        });
        expect(lines).toEqual([`${NO_ID} 2 subscription(s) ISAO listed for its hook URL.`]);
      });

      it('with none listed, there is nothing left to remove: done', async () => {
        listWebhooks(listed('sub_other_zap', EVENT, EARLIER, 'https://hooks.zapier.com/x'));
        const { result, lines } = await unsubscribed();
        expect(result).toEqual({ subscription_id: null, already_removed: true, also_removed: [] });
        expect(lines).toEqual([`${NO_ID} 0 subscription(s) ISAO listed for its hook URL.`]);
      });

      it('a list or a removal that fails fails the call, naming why (nothing would find them later)', async () => {
        api()
          .get(apiPath('/webhooks'))
          .reply(403, { error: { message: 'Insufficient scope' } });
        const refused = await caught(() => unsubscribed());
        expect(appError(refused)).toMatchObject({ code: 'missing_permission', status: 403 });
        expect(errorText(refused)).toContain('lacks the `webhooks:read` permission');

        listWebhooks(listed('sub_a', EVENT));
        unsubscribes('sub_a', 403);
        const failed = await caught(() => unsubscribed());
        expect(errorText(failed)).toContain('lacks the `webhooks:write` permission');

        api().get(apiPath('/webhooks')).reply(200, { success: true, data: null });
        const unreadable = await caught(() => unsubscribed());
        expect(appError(unreadable)).toEqual({
          message: 'ISAO answered GET /webhooks without a list of subscriptions.',
          code: 'invalid_response',
          status: 502,
        });
      });
    });
  });
});

describe('appointment custom fields in the editor', () => {
  type FieldsFn = (z: ZObject, bundle: Bundle) => Promise<unknown>;
  const labels = (key: string) =>
    (TRIGGER_DEFS[key]!.operation.outputFields ?? []).find(
      (f): f is FieldsFn => typeof f === 'function',
    )!;

  it('labels each custom field from one recent appointment (one API call)', async () => {
    api()
      .get(apiPath('/triggers/appointment.updated/recent'))
      .query({ limit: '1' })
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, [
        envelope('appointment.updated', {
          id: 'a1',
          fields: [
            { label: ' Préférence horaire? ', value: 'AM' },
            { value: 'x' },
            { schedulerPreferenceFieldDefnId: 108594, value: 'y' },
            { label: 'Phone #' },
            { label: 'Notes' },
          ],
        }),
      ]);
    // the keys perform gives these fields (records.test.ts pins them)
    expect(await appTester(labels('appointment_updated'), { authData } as never)).toEqual([
      {
        key: 'custom_fields__preference_horaire_2e9fc766',
        label: 'Préférence horaire?',
        type: 'string',
      },
      { key: 'custom_fields__field_108594', label: 'field_108594', type: 'string' },
      { key: 'custom_fields__phone_f38c2711', label: 'Phone #', type: 'string' },
      { key: 'custom_fields__notes', label: 'Notes', type: 'string' },
    ]);
  });

  it('falls back to the static fields when there is no appointment or the call fails', async () => {
    api().get(apiPath('/triggers/appointment.created/recent')).query(true).reply(200, []);
    expect(await appTester(labels('appointment_created'), { authData } as never)).toEqual([]);
    api().get(apiPath('/triggers/appointment.created/recent')).query(true).reply(500, {});
    expect(await appTester(labels('appointment_created'), { authData } as never)).toEqual([]);
    expect(logged()).toEqual([
      expect.stringMatching(
        /^ISAO: could not read custom field labels for appointment\.created \(The ISAO API had a problem \(500\).*\); showing the standard fields only\.$/,
      ),
    ]);
  });

  it('only appointments have them', () => {
    for (const [key, , kind] of TRIGGERS) {
      const fns = (TRIGGER_DEFS[key]!.operation.outputFields ?? []).filter(
        (f) => typeof f === 'function',
      );
      expect([key, fns.length]).toEqual([key, kind === 'appointment' ? 1 : 0]);
    }
  });
});
