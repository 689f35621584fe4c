/**
 * ISAO Trigger deliveries past the core's bounds (core/bounds.ts: how deep and how large an item
 * may be), through the node class with the mock contexts: nothing throws (a thrown webhook() is an
 * error execution and a 500, which ISAO retries), an item past the bounds is skipped with a
 * reason saying so, and its neighbours start the workflow.
 */
import type { IDataObject } from 'n8n-workflow';
import { IsaoTrigger } from '../../../n8n/nodes/IsaoTrigger/IsaoTrigger.node';
import { webhookContext } from '../contexts';

const brackets = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

const event = (eventId: string, data: string): string =>
  `{"event":"contact.created","data":${data},"metadata":{"eventId":"${eventId}"}}`;
const good = (eventId: string): string => event(eventId, `{"id":"c_${eventId}","name":"Ada"}`);

const deliver = async (body: string) => {
  const delivery = webhookContext(body);
  const result = await new IsaoTrigger().webhook.call(delivery.context);
  return { ...delivery, result };
};

const idsOf = (result: Awaited<ReturnType<typeof deliver>>['result']) =>
  result.workflowData?.[0]?.map((item) => item.json.id) ?? [];

describe('deliveries past the bounds', () => {
  it('answers 39 KB of `[` with no execution and the reason, instead of a 500', async () => {
    const { result, answered } = await deliver(brackets(20_000));
    expect(answered).toEqual({});
    expect(result).toEqual({
      webhookResponse: {
        received: true,
        executions: 0,
        reason: `Item 1 of the ISAO webhook is not an event object ("${'['.repeat(32)}"…"]]]]…").`,
      },
    });
  });

  it('skips an event whose data nests 20,000 deep, and runs the rest of the batch', async () => {
    const { result, lines } = await deliver(
      `[${good('n1')},${event('n2', `{"id":"c2","x":${objects(20_000)}}`)},${good('n3')}]`,
    );
    expect(idsOf(result)).toEqual(['c_n1', 'c_n3']);
    expect(lines.warnings).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO contact.created event "n2" is nested more than 32 levels deep.',
    ]);
  });

  it('skips an item one level past the bound, and one too large, keeping their neighbour', async () => {
    // the envelope, then 32 levels of data: 33 in all
    const deep = event('n4', objects(32));
    const large = event('n5', `{"id":"c5","notes":"${'x'.repeat(1_000_000)}"}`);
    const { result, lines } = await deliver(`[${deep},${large},${good('n6')}]`);
    expect(idsOf(result)).toEqual(['c_n6']);
    expect(lines.warnings).toEqual([
      'ISAO: skipped an item of the webhook. The ISAO contact.created event "n4" is nested more than 32 levels deep.',
      'ISAO: skipped an item of the webhook. The ISAO contact.created event "n5" is larger than 1,000,000 characters.',
    ]);
  });

  it('reads n8n’s parse of a deep body (no raw body, no secret), never re-serialising it', async () => {
    let deep: IDataObject = { a: 1 };
    for (let level = 0; level < 100_000; level += 1) deep = { a: deep };
    const { context } = webhookContext('', {
      parsed: {
        event: 'contact.created',
        data: { id: 'c9', x: deep },
        metadata: { eventId: 'n9' },
      },
    });
    const result = await new IsaoTrigger().webhook.call(context);
    expect(result.webhookResponse).toEqual({
      received: true,
      executions: 0,
      reason: 'The ISAO contact.created event "n9" is nested more than 32 levels deep.',
    });
  });

  it('answers a lone event nested past the bound with no execution, saying so', async () => {
    const { result } = await deliver(event('n7', objects(20_000)));
    expect(result.webhookResponse).toEqual({
      received: true,
      executions: 0,
      reason: 'The ISAO contact.created event "n7" is nested more than 32 levels deep.',
    });
  });
});
