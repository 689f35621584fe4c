/** ISAO Trigger through its node class: ISAO's retries, each event delivered once. */
import { DEDUP_TTL_SECONDS } from '../../../core/signatures';
import { credentialData, signed, SIGNING_SECRET, webhookContext } from '../contexts';
import { trigger, contactEvent, deliver, itemsOf, freshId } from './IsaoTrigger.setup';

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
