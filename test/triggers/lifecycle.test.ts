/**
 * Every trigger's lifecycle through the real core runtime: subscribe, unsubscribe, perform for
 * each envelope, performList (recent + sample fallback) and the output contract, one row of
 * TRIGGERS (setup.ts) each.
 */
import App from '../../src';
import { api, apiPath, appError, API_KEY, caught, errorText, flatKeys } from '../helpers';
import {
  TRIGGERS,
  staticOutputs,
  type Out,
  TRIGGER_DEFS,
  run,
  runList,
  RECORDS,
  envelope,
  HOOK,
  EARLIER,
  NOW,
  listed,
  listWebhooks,
  unsubscribes,
} from './setup';

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

test('every trigger is in the table, once', () => {
  expect(Object.keys(App.triggers).sort()).toEqual(TRIGGERS.map(([k]) => k).sort());
});
