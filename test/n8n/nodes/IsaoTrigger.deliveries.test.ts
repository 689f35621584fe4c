/** ISAO Trigger through its node class: what a delivery starts the workflow with (batches, topic aliases, filters). */
import { envelope, contactEvent, deliver, itemsOf, freshId } from './IsaoTrigger.setup';

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
