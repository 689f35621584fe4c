/** The app end to end over real HTTP: each trigger's lifecycle, no orphan subscription, an account with no records yet. */
import App from '../../src';
import { startLocalZapier } from '../../sandbox/local-zapier';
import type { LocalZapier } from '../../sandbox/local-zapier';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { IsaoEvent } from '../../core/events';
import type { Trigger } from 'zapier-platform-core';
import { unwrapData } from '../../core/api';
import { flatKeys } from '../helpers';
import {
  type Out,
  sandbox,
  hooks,
  run,
  dataList,
  contactId,
  EMIT,
  TRIGGERS,
  op,
  subscribeTo,
  performHook,
  envelopeOf,
  activeSubscriptionIds,
} from './e2e.setup';

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
