/** ISAO Trigger through its node class: subscribing when a workflow is published, and unsubscribing, against nock. */
import { NodeApiError } from 'n8n-workflow';
import { caught } from '../../helpers';
import { EVENT_NAMES } from '../../../core/events';
import { API_KEY, at, hookContext, isao, WEBHOOK_URL } from '../contexts';
import { hooks, SUBSCRIPTION_SECRET } from './IsaoTrigger.setup';

describe('publishing: create', () => {
  it("subscribes this node's webhook URL with the filters, keeps the id and secret, and removes older ones", async () => {
    const subscribe = isao()
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .post(at('/webhooks/subscribe'), {
        event: 'contact.created',
        target_url: WEBHOOK_URL,
        filters: { tags: ['lead', 'Jones, Ana'] },
      })
      .reply(201, {
        success: true,
        data: { subscription_id: 'sub_new', secret: SUBSCRIPTION_SECRET },
      });
    isao()
      .get(at('/webhooks'))
      .reply(200, {
        data: [
          { subscription_id: 'sub_new', event_type: 'contact.created', target_url: WEBHOOK_URL },
          { subscription_id: 'sub_old', event_type: 'contact.created', target_url: WEBHOOK_URL },
          {
            subscription_id: 'sub_other_url',
            event_type: 'contact.created',
            target_url: 'https://x/y',
          },
          { subscription_id: 'sub_other_event', event_type: 'deal.won', target_url: WEBHOOK_URL },
        ],
      });
    const removal = isao()
      .delete(at('/webhooks/unsubscribe'), { subscription_id: 'sub_old' })
      .reply(200, { success: true });
    const { context, staticData } = hookContext({
      parameters: { tags: ['lead', 'Jones, Ana', ' '] },
      staticData: { subscriptionId: 'sub_gone', secret: 'stale' },
    });

    expect(await hooks.create.call(context)).toBe(true);

    expect(subscribe.isDone() && removal.isDone()).toBe(true);
    expect(staticData).toEqual({ subscriptionId: 'sub_new', secret: SUBSCRIPTION_SECRET });
  });

  it('keeps no secret when ISAO gives the subscription none, and sends no filters when none is set', async () => {
    isao()
      .post(at('/webhooks/subscribe'), { event: 'deal.won', target_url: WEBHOOK_URL })
      .reply(201, { subscription_id: 'sub_7' });
    isao().get(at('/webhooks')).reply(200, []);
    const { context, staticData } = hookContext({
      parameters: { event: 'deal.won' },
      staticData: { secret: 'from_an_earlier_subscription' },
    });

    await hooks.create.call(context);

    expect(staticData).toStrictEqual({ subscriptionId: 'sub_7' });
  });

  it('refuses a filter of blanks only, naming it, before any request', async () => {
    const { context } = hookContext({ parameters: { event: 'deal.created', stage: [' ', ','] } });

    const error = await caught(() => hooks.create.call(context));

    expect(error.message).toBe(
      'The Stage filter holds only blank values (spaces, commas or invisible characters). Enter at least one value, or clear the field to trigger on every deal.',
    );
  });

  it('fails when ISAO returns no subscription_id: nothing could unsubscribe later', async () => {
    isao()
      .post(at('/webhooks/subscribe'))
      .reply(201, { success: true, data: { id: 'x' } });
    const { context, staticData } = hookContext();

    const error = await caught(() => hooks.create.call(context));

    expect(error.message).toBe(
      'ISAO accepted the contact.created subscription but did not return a subscription_id, so n8n could not unsubscribe later. Publish the workflow again.',
    );
    expect(error instanceof NodeApiError && [error.httpCode, error.errorResponse]).toEqual([
      '502',
      { code: 'invalid_response', kind: 'error' },
    ]);
    expect(staticData).toEqual({});
  });

  it('still publishes when the clean-up fails, and says so in the log', async () => {
    isao().post(at('/webhooks/subscribe')).reply(201, { subscription_id: 'sub_9' });
    isao().get(at('/webhooks')).reply(403, { message: 'no read' });
    const { context, staticData, lines } = hookContext();

    expect(await hooks.create.call(context)).toBe(true);

    expect(staticData).toEqual({ subscriptionId: 'sub_9' });
    expect(lines.warnings).toEqual([
      expect.stringMatching(
        /^ISAO: could not remove other contact\.created subscriptions for this node's webhook URL \(ISAO refused this request \(403 Forbidden: no read\)\. The API key lacks the `webhooks:read` permission: give the key that permission in your ISAO dashboard, or connect a key that has it\.\); they may send duplicate events until deleted in the ISAO dashboard\.$/,
      ),
    ]);
  });

  it('names the permission subscribing needs', async () => {
    isao().post(at('/webhooks/subscribe')).reply(403);
    const { context } = hookContext();

    const error = await caught(() => hooks.create.call(context));

    expect(error.message).toContain('The API key lacks the `webhooks:write` permission');
  });

  it("never shows the subscription's secret when removing a left-over one fails", async () => {
    isao()
      .post(at('/webhooks/subscribe'))
      .reply(201, { subscription_id: 'sub_9', secret: SUBSCRIPTION_SECRET });
    isao()
      .get(at('/webhooks'))
      .reply(200, [
        { subscription_id: 'sub_old', event_type: 'contact.created', target_url: WEBHOOK_URL },
      ]);
    isao()
      .delete(at('/webhooks/unsubscribe'))
      .reply(500, { message: `no ${SUBSCRIPTION_SECRET}` });
    const { context, lines } = hookContext();

    await hooks.create.call(context);

    expect(lines.warnings[0]).toContain('(500): no [redacted].');
  });

  it("never shows the subscription's secret in the clean-up warning", async () => {
    isao()
      .post(at('/webhooks/subscribe'))
      .reply(201, { subscription_id: 'sub_9', secret: SUBSCRIPTION_SECRET });
    isao()
      .get(at('/webhooks'))
      .reply(500, { message: `leaked ${SUBSCRIPTION_SECRET}` });
    const { context, lines } = hookContext();

    await hooks.create.call(context);

    expect(lines.warnings[0]).toContain('(500): leaked [redacted].');
  });

  it('refuses an event that is not one of the ten', async () => {
    const { context } = hookContext({ parameters: { event: 'contact.deleted' } });

    const error = await caught(() => hooks.create.call(context));

    expect(error.message).toBe(
      `The ISAO Trigger's Event is not one ISAO sends; choose one of: ${EVENT_NAMES.join(', ')}.`,
    );
  });

  it('fails when n8n gives no webhook URL', async () => {
    const { context } = hookContext();
    context.getNodeWebhookUrl = () => undefined;

    const error = await caught(() => hooks.create.call(context));

    expect(error.message).toBe('n8n gave no webhook URL for this node.');
  });
});

describe('unpublishing: delete', () => {
  it.each([200, 404, 410])(
    'unsubscribes and forgets the subscription (ISAO answering %i)',
    async (status) => {
      const call = isao()
        .delete(at('/webhooks/unsubscribe'), { subscription_id: 'sub_mine' })
        .reply(status, status === 200 ? { success: true } : { message: 'gone' });
      const { context, staticData } = hookContext({
        staticData: { subscriptionId: 'sub_mine', secret: 's' },
      });

      expect(await hooks.delete.call(context)).toBe(true);

      expect(call.isDone()).toBe(true);
      expect(staticData).toEqual({});
    },
  );

  it("names the permission unsubscribing needs, never showing the subscription's secret", async () => {
    isao()
      .delete(at('/webhooks/unsubscribe'))
      .reply(403, { message: `not for ${SUBSCRIPTION_SECRET}` });
    const { context } = hookContext({
      staticData: { subscriptionId: 'sub_mine', secret: SUBSCRIPTION_SECRET },
    });

    const error = await caught(() => hooks.delete.call(context));

    expect(error.message).toBe(
      'ISAO refused this request (403 Forbidden: not for [redacted]). The API key lacks the `webhooks:write` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.',
    );
  });

  it('calls nothing for a node without a subscription', async () => {
    const { context } = hookContext();

    expect(await hooks.delete.call(context)).toBe(true);
  });

  it('fails on a server error and keeps the subscription to try again', async () => {
    isao().delete(at('/webhooks/unsubscribe')).reply(500, { message: 'db down' });
    const { context, staticData } = hookContext({ staticData: { subscriptionId: 'sub_mine' } });

    const error = await caught(() => hooks.delete.call(context));

    expect(error.message).toBe(
      "The ISAO API had a problem (500): db down. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
    );
    expect(staticData).toEqual({ subscriptionId: 'sub_mine' });
  });
});
