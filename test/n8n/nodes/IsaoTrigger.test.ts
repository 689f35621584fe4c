/**
 * ISAO Trigger through its node class, with the mock contexts (test/n8n/contexts.ts): the
 * description n8n shows, the subscription lifecycle against nock, and deliveries (signatures,
 * batches, topic aliases, filters, de-duplication of ISAO's retries).
 */
import { NodeApiError } from 'n8n-workflow';
import { caught } from '../../helpers';
import { IsaoTrigger } from '../../../n8n/nodes/IsaoTrigger/IsaoTrigger.node';
import { DEDUP_TTL_SECONDS } from '../../../core/signatures';
import { EVENT_NAMES, EVENTS } from '../../../core/events';
import { NOT_A_LIST } from '../../../core/subscriptions';
import {
  API_KEY,
  at,
  credentialData,
  hookContext,
  isao,
  signed,
  SIGNING_SECRET,
  WEBHOOK_URL,
  webhookContext,
} from '../contexts';

// made in each test, so the mutation run sees which test reads which part of the node
let trigger: IsaoTrigger;
let hooks: IsaoTrigger['webhookMethods']['default'];
beforeEach(() => {
  trigger = new IsaoTrigger();
  hooks = trigger.webhookMethods.default;
});

const SUBSCRIPTION_SECRET = 'whsec_subscription_own_secret';

/** An ISAO envelope for `event` carrying `data`, occurred now unless told. */
const envelope = (
  event: string,
  data: Record<string, unknown>,
  eventId: string,
  timestamp = new Date().toISOString(),
) => ({ event, timestamp, data, metadata: { eventId, source: 'api', companyId: 'co_1' } });

const contactEvent = (eventId: string, data: Record<string, unknown> = {}) =>
  envelope(
    'contact.created',
    { id: `c_${eventId}`, name: 'Jane Smith', tags: ['lead'], ...data },
    eventId,
  );

/** A delivery of `payload` (serialised once: those are the bytes signed) to the trigger. */
const deliver = async (payload: unknown, options: Parameters<typeof webhookContext>[1] = {}) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const delivery = webhookContext(body, options);
  const result = await trigger.webhook.call(delivery.context);
  return { ...delivery, result };
};

/** The items a delivery started the workflow with (none: no execution). */
const itemsOf = (result: Awaited<ReturnType<typeof deliver>>['result']) =>
  result.workflowData?.[0]?.map((item) => item.json) ?? [];

let eventCounter = 0;
/** An event id no other test of this file uses (the dedup memory lives as long as the file). */
const freshId = (): string => {
  eventCounter += 1;
  return `evt_${String(eventCounter)}_${String(Date.now())}`;
};

describe('description', () => {
  it('offers the ten events of the event table, labelled and described from it', () => {
    const event = trigger.description.properties.find((p) => p.name === 'event');
    expect(event?.options).toEqual(
      EVENT_NAMES.map((name) => ({
        name: EVENTS[name].label,
        value: name,
        description: EVENTS[name].description,
      })),
    );
    expect(event?.default).toBe('contact.created');
  });

  it("offers each record kind's filters, as lists, for the events that have them", () => {
    const filters = trigger.description.properties
      .filter((p) => p.name !== 'event')
      .map((p) => ({
        name: p.name,
        label: p.displayName,
        multiple: p.typeOptions?.multipleValues,
        events: p.displayOptions?.show?.event,
      }));
    expect(filters).toEqual([
      {
        name: 'tags',
        label: 'Tags',
        multiple: true,
        events: ['contact.created', 'contact.updated'],
      },
      {
        name: 'stage',
        label: 'Stage',
        multiple: true,
        events: ['deal.created', 'deal.updated', 'deal.stage_changed'],
      },
      ...['staff', 'location'].map((name) => ({
        name,
        label: name === 'staff' ? 'Staff' : 'Location',
        multiple: true,
        events: ['appointment.created', 'appointment.updated', 'appointment.deleted'],
      })),
    ]);
    const tags = trigger.description.properties.find((p) => p.name === 'tags');
    expect(tags?.description).toBe(
      'Optional. Only trigger for contacts that have any of these tags (for example `lead`). Add each value as its own entry (a comma is part of the value); the trigger fires when any of them matches (case-insensitive). Leave empty to trigger on every record.',
    );
  });

  it("shows in n8n's editor as the ISAO Trigger, with the event as its subtitle", () => {
    expect(trigger.description).toEqual({
      ...trigger.description,
      displayName: 'ISAO Trigger',
      name: 'isaoTrigger',
      icon: { light: 'file:../../icons/isao.svg', dark: 'file:../../icons/isao.dark.svg' },
      group: ['trigger'],
      version: 1,
      subtitle: '={{$parameter["event"]}}',
      description: 'Starts the workflow when ISAO sends a contact, deal or appointment event',
      defaults: { name: 'ISAO Trigger' },
      inputs: [],
      outputs: ['main'],
      credentials: [{ name: 'isaoApi', required: true, testedBy: 'isaoApiTest' }],
    });
    const event = trigger.description.properties[0];
    expect([event?.displayName, event?.name, event?.type, event?.required]).toEqual([
      'Event',
      'event',
      'options',
      true,
    ]);
    expect(
      trigger.description.properties.slice(1).map((p) => [p.type, p.default, p.placeholder]),
    ).toEqual([
      ['string', [], 'Add Tags'],
      ['string', [], 'Add Stage'],
      ['string', [], 'Add Staff'],
      ['string', [], 'Add Location'],
    ]);
  });

  it('declares one POST webhook answered on receipt, and the ISAO API credential', () => {
    expect(trigger.description.webhooks).toEqual([
      { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
    ]);
    expect(trigger.description.credentials).toEqual([
      { name: 'isaoApi', required: true, testedBy: 'isaoApiTest' },
    ]);
    expect(trigger.description.name).toBe('isaoTrigger');
  });
});

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

describe('deliveries: signatures', () => {
  const payload = () => contactEvent(freshId());

  it("checks the subscription's own secret over the raw body", async () => {
    const body = JSON.stringify(payload());
    const { result, answered } = await deliver(body, {
      staticData: { subscriptionId: 's', secret: SUBSCRIPTION_SECRET },
      headers: signed(body, SUBSCRIPTION_SECRET),
    });

    expect(itemsOf(result)).toHaveLength(1);
    expect(answered).toEqual({});
  });

  it("checks the credential's secret when the subscription has none", async () => {
    const body = JSON.stringify(payload());
    const { result } = await deliver(body, {
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      headers: signed(body),
    });

    expect(itemsOf(result)).toHaveLength(1);
  });

  it.each([
    [
      'missing',
      () => ({}),
      'Rejected an unsigned webhook: a signing secret is set, but the request had no X-Isao-Hmac-Sha256 header.',
    ],
    [
      'made with the credential secret while the subscription has its own',
      (body: string) => signed(body, SIGNING_SECRET),
      'Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret.',
    ],
    [
      'over another body (tampered)',
      (body: string) => signed(body.replace('Jane', 'Joan'), SUBSCRIPTION_SECRET),
      'Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret.',
    ],
    [
      'not a digest',
      () => ({ 'X-Isao-Hmac-Sha256': 'abc' }),
      'Rejected a webhook with a malformed X-Isao-Hmac-Sha256 header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".',
    ],
  ])('answers 401 and starts no execution for a signature %s', async (_name, headers, message) => {
    const body = JSON.stringify(payload());
    const { result, answered, lines } = await deliver(body, {
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      staticData: { subscriptionId: 's', secret: SUBSCRIPTION_SECRET },
      headers: headers(body),
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(answered).toEqual({ status: 401, body: { message } });
    expect(lines.warnings).toEqual([`ISAO: ${message}`]);
  });

  it('checks a body starting with a byte-order mark over its bytes, then reads the JSON after it', async () => {
    const event = payload();
    const body = `\uFEFF${JSON.stringify(event)}`;
    const secret = { credentials: credentialData({ signingSecret: SIGNING_SECRET }) };

    const { result, answered } = await deliver(body, { ...secret, headers: signed(body) });
    const unmarked = await deliver(body, { ...secret, headers: signed(body.slice(1)) });

    expect(itemsOf(result)).toEqual([expect.objectContaining({ id: event.data.id })]);
    expect(answered).toEqual({});
    expect(unmarked.answered.status).toBe(401);
  });

  it('reads an unsigned body starting with a byte-order mark', async () => {
    const event = payload();

    const { result } = await deliver(`\uFEFF${JSON.stringify(event)}`);

    expect(itemsOf(result)).toEqual([expect.objectContaining({ id: event.data.id })]);
  });

  it('refuses a signed event older than the replay window, without an execution', async () => {
    const old = new Date(Date.now() - (DEDUP_TTL_SECONDS + 60) * 1000).toISOString();
    const body = JSON.stringify(envelope('contact.created', { id: 'c1' }, 'evt_replayed', old));

    const { result } = await deliver(body, {
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      headers: signed(body),
    });

    expect(result.workflowData).toBeUndefined();
    expect(result.webhookResponse).toEqual({
      received: true,
      executions: 0,
      reason: expect.stringMatching(
        /^Rejected a replayed webhook: the signed event "evt_replayed" is from/,
      ),
    });
  });

  it('refuses a delivery without raw bytes when a secret is known: nothing could be checked', async () => {
    const payload = contactEvent(freshId());
    const { result, answered } = await deliver('', {
      parsed: payload,
      credentials: credentialData({ signingSecret: SIGNING_SECRET }),
      headers: signed(''),
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(answered).toEqual({
      status: 401,
      body: {
        message:
          'Could not verify the webhook signature: n8n passed no raw request body, so the delivery was refused.',
      },
    });
  });

  it("reads n8n's parse of the body when the request has no raw bytes", async () => {
    const payload = contactEvent(freshId());
    const { result } = await deliver('', { parsed: payload });

    expect(itemsOf(result)).toEqual([expect.objectContaining({ id: payload.data.id })]);
  });

  it('accepts unsigned deliveries when no secret is known', async () => {
    const { result } = await deliver(payload());

    expect(itemsOf(result)).toHaveLength(1);
  });
});

describe('deliveries: reading and shaping', () => {
  it('gives one item per record, in the same record shape as the Zapier trigger', async () => {
    const eventId = freshId();
    const timestamp = '2026-12-02T06:00:00.000Z';
    const { result } = await deliver(
      envelope(
        'contact.created',
        { id: 'c_42', name: 'Jane Smith', tags: ['lead'] },
        eventId,
        timestamp,
      ),
    );

    expect(itemsOf(result)).toEqual([
      {
        id: 'c_42',
        name: 'Jane Smith',
        firstName: null,
        lastName: null,
        email: null,
        phoneNumber: null,
        position: null,
        currentCompany: null,
        industrySector: null,
        city: null,
        country: null,
        tags: ['lead'],
        companyId: null,
        createdAt: null,
        updatedAt: null,
        isao_event: {
          type: 'contact.created',
          id: eventId,
          occurred_at: timestamp,
          source: 'api',
          company_id: 'co_1',
        },
        isao_event_key: eventId,
      },
    ]);
  });

  it("delivers a batch's records of this event, skipping other events and logging unreadable items", async () => {
    const [a, b] = [freshId(), freshId()];
    const { result, lines } = await deliver([
      contactEvent(a),
      envelope('deal.won', { id: 'd1' }, freshId()),
      7,
      contactEvent(b),
    ]);

    expect(itemsOf(result).map((item) => item.id)).toEqual([`c_${a}`, `c_${b}`]);
    expect(lines.warnings).toEqual([
      'ISAO: skipped an item of the webhook. Item 3 of the ISAO webhook is not an event object ("7").',
    ]);
  });

  it('reads a topic envelope under its alias (appointment_create → appointment.created)', async () => {
    const eventId = freshId();
    const { result } = await deliver(
      {
        data: {
          event: {
            id: eventId,
            topic: 'appointment_create',
            occuredAt: '2026-12-02T06:00:00.000Z',
            payload: { appointment: { id: 'ap_1', status: 'confirmed' } },
          },
        },
      },
      { parameters: { event: 'appointment.created' } },
    );

    expect(itemsOf(result)).toEqual([
      expect.objectContaining({
        id: 'ap_1',
        status: 'confirmed',
        isao_event: expect.objectContaining({ type: 'appointment.created', id: eventId }),
      }),
    ]);
  });

  it("applies the node's filters: only matching records, and no execution when none matches", async () => {
    const parameters = { tags: ['VIP', 'partner'] };
    const matching = freshId();
    const both = await deliver(
      [contactEvent(freshId(), { tags: ['lead'] }), contactEvent(matching, { tags: ['vip'] })],
      {
        parameters,
      },
    );
    const none = await deliver(contactEvent(freshId(), { tags: ['lead'] }), { parameters });

    expect(itemsOf(both.result).map((item) => item.id)).toEqual([`c_${matching}`]);
    expect(none.result).toEqual({
      webhookResponse: {
        received: true,
        executions: 0,
        reason: "No contact.created record in it passed the trigger's filters.",
      },
    });
  });

  it.each([
    ['an empty body', '', 'The webhook from ISAO had an empty body: nothing to process.'],
    [
      'a body that is not JSON',
      'oops{',
      'The webhook from ISAO was not valid JSON (it starts "oops{").',
    ],
  ])('answers %s with no execution and the reason', async (_name, body, reason) => {
    const { result, lines } = await deliver(body);

    expect(result).toEqual({ webhookResponse: { received: true, executions: 0, reason } });
    expect(lines.infos).toEqual([`ISAO: no execution for a delivery. ${reason}`]);
  });

  it('answers an event without a record with no execution, naming it', async () => {
    const { result } = await deliver({
      event: 'contact.created',
      data: null,
      metadata: { eventId: 'evt_empty' },
    });

    expect(result.webhookResponse).toEqual({
      received: true,
      executions: 0,
      reason: 'The ISAO contact.created event "evt_empty" carried no record.',
    });
  });
});

describe("deliveries: ISAO's retries", () => {
  it('runs a retried event once: the retry starts no execution', async () => {
    const payload = contactEvent(freshId());

    const first = await deliver(payload);
    const retry = await deliver(payload);

    expect(itemsOf(first.result)).toHaveLength(1);
    expect(retry.result).toEqual({
      webhookResponse: {
        received: true,
        executions: 0,
        reason: 'Every event in it was already delivered to this trigger (an ISAO retry).',
      },
    });
  });

  it('delivers the event again once the window has passed', async () => {
    const payload = contactEvent(freshId());
    await deliver(payload);
    const later = Date.now() + DEDUP_TTL_SECONDS * 1000 + 1;
    jest.spyOn(Date, 'now').mockReturnValue(later);

    const again = await deliver(payload);

    expect(itemsOf(again.result)).toHaveLength(1);
  });

  it('keeps each node and workflow apart: the same event reaches another trigger', async () => {
    const payload = contactEvent(freshId());
    await deliver(payload, { nodeId: 'node-a', workflowId: 'wf-a' });

    const otherNode = await deliver(payload, { nodeId: 'node-b', workflowId: 'wf-a' });
    const otherWorkflow = await deliver(payload, { nodeId: 'node-a', workflowId: 'wf-b' });

    expect(itemsOf(otherNode.result)).toHaveLength(1);
    expect(itemsOf(otherWorkflow.result)).toHaveLength(1);
  });

  describe('a test listen while the workflow is published', () => {
    // n8n keeps a test listen's static data apart: its own subscription, to the /webhook-test/ URL
    const published = { mode: 'webhook', staticData: { subscriptionId: 'sub_published' } };
    const listening = { mode: 'manual', staticData: { subscriptionId: 'sub_test' } };

    it.each([
      ['the published workflow first', published, listening],
      ['the test listen first', listening, published],
    ])(
      'gives one event to both, each through its own subscription (%s)',
      async (_order, first, second) => {
        const payload = contactEvent(freshId());

        const one = await deliver(payload, first);
        const other = await deliver(payload, second);

        expect(itemsOf(one.result)).toHaveLength(1);
        expect(itemsOf(other.result)).toHaveLength(1);
      },
    );

    it('still runs a retry to either once', async () => {
      const payload = contactEvent(freshId());
      await deliver(payload, published);
      await deliver(payload, listening);

      const retries = [await deliver(payload, published), await deliver(payload, listening)];

      expect(retries.map(({ result }) => itemsOf(result).length)).toEqual([0, 0]);
    });

    it('keeps them apart when neither has a stored subscription id', async () => {
      const payload = contactEvent(freshId());

      const one = await deliver(payload, { mode: 'manual' });
      const other = await deliver(payload, { mode: 'webhook' });

      expect([itemsOf(one.result), itemsOf(other.result)].map((i) => i.length)).toEqual([1, 1]);
    });
  });

  it('drops a retry even when n8n handed the first delivery no static data (n8n 2.41.1, right after publishing)', async () => {
    const payload = contactEvent(freshId());

    const first = await deliver(payload, { staticData: {} });
    const retry = await deliver(payload, { staticData: { subscriptionId: 'sub_published' } });

    expect([itemsOf(first.result), itemsOf(retry.result)].map((i) => i.length)).toEqual([1, 0]);
  });

  it('runs a retry once in a workflow n8n gives no id', async () => {
    const payload = contactEvent(freshId());
    const options = { workflowId: undefined, nodeId: 'node-unsaved' };
    const noId = (body: string) => {
      const delivery = webhookContext(body, options);
      delivery.context.getWorkflow = () => ({});
      return trigger.webhook.call(delivery.context);
    };

    const first = await noId(JSON.stringify(payload));
    const retry = await noId(JSON.stringify(payload));

    expect([itemsOf(first), itemsOf(retry)].map((items) => items.length)).toEqual([1, 0]);
  });

  it("delivers a batch's new events and drops those already delivered", async () => {
    const [seen, fresh] = [freshId(), freshId()];
    await deliver(contactEvent(seen));

    const { result } = await deliver([contactEvent(seen), contactEvent(fresh)]);

    expect(itemsOf(result).map((item) => item.id)).toEqual([`c_${fresh}`]);
  });

  it('delivers a record without an event id every time: nothing tells its retries apart', async () => {
    const bare = { id: 'c_bare', name: 'No Envelope' };

    const first = await deliver(bare);
    const second = await deliver(bare);

    expect(itemsOf(first.result)).toHaveLength(1);
    expect(itemsOf(second.result)).toHaveLength(1);
  });

  it('does not remember a refused delivery: its valid retry still runs', async () => {
    const body = JSON.stringify(contactEvent(freshId()));
    const secret = { credentials: credentialData({ signingSecret: SIGNING_SECRET }) };
    await deliver(body, { ...secret, headers: signed(body, 'wrong') });

    const retry = await deliver(body, { ...secret, headers: signed(body) });

    expect(itemsOf(retry.result)).toHaveLength(1);
  });
});
