/** ISAO Trigger through its node class: checkExists, which decides whether n8n subscribes again. */
import { caught } from '../../helpers';
import { NOT_A_LIST } from '../../../core/subscriptions';
import { at, hookContext, isao, WEBHOOK_URL } from '../contexts';
import { hooks, SUBSCRIPTION_SECRET } from './IsaoTrigger.setup';

describe('publishing: checkExists', () => {
  const listing = (
    ids: string[],
    event = 'contact.created',
    state: Record<string, unknown> = { is_active: true },
  ) => ({
    success: true,
    data: ids.map((id) => ({
      subscription_id: id,
      event_type: event,
      target_url: WEBHOOK_URL,
      ...state,
    })),
  });

  it('finds the subscription this node made', async () => {
    isao()
      .get(at('/webhooks'))
      .reply(200, listing(['sub_a', 'sub_mine']));
    const { context, staticData } = hookContext({
      staticData: { subscriptionId: 'sub_mine', secret: 's' },
    });

    expect(await hooks.checkExists.call(context)).toBe(true);
    expect(staticData).toEqual({ subscriptionId: 'sub_mine', secret: 's' });
  });

  it('does not adopt another subscription for the URL (its secret is unknown), and forgets its own that ISAO no longer lists', async () => {
    isao()
      .get(at('/webhooks'))
      .reply(200, listing(['sub_a']));
    const { context, staticData } = hookContext({
      staticData: { subscriptionId: 'sub_mine', secret: 's' },
    });

    expect(await hooks.checkExists.call(context)).toBe(false);
    expect(staticData).toEqual({});
  });

  it.each([
    { is_active: false },
    { is_active: 'false' },
    { is_active: 0 },
    { is_active: null },
    {},
  ])(
    'does not count its own subscription unless ISAO lists it as active (%j), and forgets it',
    async (state) => {
      isao()
        .get(at('/webhooks'))
        .reply(200, listing(['sub_mine'], 'contact.created', state));
      const { context, staticData } = hookContext({
        staticData: { subscriptionId: 'sub_mine', secret: 's' },
      });

      expect(await hooks.checkExists.call(context)).toBe(false);
      expect(staticData).toEqual({});
    },
  );

  it('republishing after an unpublish whose answer was lost subscribes afresh and removes the inactive one', async () => {
    const inactive = {
      subscription_id: 'sub_kept',
      event_type: 'contact.created',
      target_url: WEBHOOK_URL,
      is_active: false,
    };
    isao()
      .get(at('/webhooks'))
      .reply(200, { success: true, data: [inactive] });
    const subscribe = isao()
      .post(at('/webhooks/subscribe'))
      .reply(201, { success: true, data: { subscription_id: 'sub_fresh' } });
    isao()
      .get(at('/webhooks'))
      .reply(200, {
        success: true,
        data: [inactive, { ...inactive, subscription_id: 'sub_fresh', is_active: true }],
      });
    const removal = isao()
      .delete(at('/webhooks/unsubscribe'), { subscription_id: 'sub_kept' })
      .reply(404, { message: 'gone' });
    const { context, staticData } = hookContext({ staticData: { subscriptionId: 'sub_kept' } });

    // what n8n does on publishing: checkExists, then create when it answers false
    const exists = await hooks.checkExists.call(context);
    if (!exists) await hooks.create.call(context);

    expect(exists).toBe(false);
    expect(subscribe.isDone() && removal.isDone()).toBe(true);
    expect(staticData).toEqual({ subscriptionId: 'sub_fresh' });
  });

  it('does not count a subscription of another event', async () => {
    isao()
      .get(at('/webhooks'))
      .reply(200, listing(['sub_mine'], 'contact.updated'));
    const { context } = hookContext({ staticData: { subscriptionId: 'sub_mine' } });

    expect(await hooks.checkExists.call(context)).toBe(false);
  });

  it('is false for a node that never subscribed', async () => {
    isao()
      .get(at('/webhooks'))
      .reply(200, listing(['sub_a']));
    const { context } = hookContext();

    expect(await hooks.checkExists.call(context)).toBe(false);
  });

  it("never shows the subscription's secret when listing fails", async () => {
    isao()
      .get(at('/webhooks'))
      .reply(500, { message: `bad ${SUBSCRIPTION_SECRET}` });
    const { context } = hookContext({
      staticData: { subscriptionId: 'sub_mine', secret: SUBSCRIPTION_SECRET },
    });

    const error = await caught(() => hooks.checkExists.call(context));

    expect(error.message).toContain('(500): bad [redacted].');
  });

  it('fails on an answer that is no list', async () => {
    isao()
      .get(at('/webhooks'))
      .reply(200, { success: true, data: { id: 'x' } });
    const { context } = hookContext({ staticData: { subscriptionId: 'sub_mine' } });

    const error = await caught(() => hooks.checkExists.call(context));

    expect(error.message).toBe(NOT_A_LIST);
  });
});
