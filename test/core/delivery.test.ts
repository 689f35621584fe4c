/**
 * From a webhook's items to one trigger's records (core/delivery.ts), as every platform gets
 * them; through Zapier's runtime: test/lib/hooks.test.ts and test/triggers/, through n8n's:
 * test/n8n/nodes/IsaoTrigger.deliveries.test.ts.
 */
import {
  deliveryOf,
  firstTimeRecords,
  listedRecords,
  outputFieldsFor,
  sampleFor,
} from '../../core/delivery';
import { EVENTS } from '../../core/events';

const facts = EVENTS['contact.created'];
const envelope = (eventId: string, data: Record<string, unknown>, event = 'contact.created') => ({
  event,
  timestamp: '2024-11-08T10:30:00.000Z',
  data,
  metadata: { eventId },
});

describe('a delivery', () => {
  it('keeps the trigger event, skips what it cannot use, filters and shapes one record each', () => {
    const delivery = deliveryOf(
      facts,
      {
        events: [
          envelope('e1', { id: 'c1', tags: ['lead'] }),
          envelope('e2', { id: 'c2', tags: ['other'] }),
          envelope('e3', { id: 'd1' }, 'deal.won'),
          { event: 'contact.created', data: null, metadata: { eventId: 'e4' } },
        ],
        unreadable: ['Item 5 of the ISAO webhook is not an event object ("7")'],
      },
      { signed: false, now: Date.parse('2024-11-08T10:31:00.000Z'), filters: { tags: ['lead'] } },
    );
    expect(delivery.records.map((r) => [r.id, r.isao_event.id, r.isao_event_key])).toEqual([
      ['c1', 'e1', 'e1'],
    ]);
    expect(delivery.skipped).toEqual([
      'Item 5 of the ISAO webhook is not an event object ("7")',
      'The ISAO contact.created event "e4" carried no record',
    ]);
    expect(delivery.halt).toBeUndefined();
  });

  it('drops the whole webhook when nothing is usable, naming the first reason and the count', () => {
    const old = envelope('e1', { id: 'c1' });
    const delivery = deliveryOf(
      facts,
      { events: [old, { event: 42, data: {} }], unreadable: [] },
      { signed: true, now: Date.parse('2024-11-09T10:30:00.000Z'), filters: undefined },
    );
    expect(delivery.records).toEqual([]);
    expect(delivery.halt).toMatch(
      /^Rejected a replayed webhook: the signed event "e1" is from .* \(and 1 more\)\.$/,
    );
  });
});

describe('the sample and the output fields', () => {
  it('the sample is the event sample shaped as a delivery, with its event metadata', () => {
    expect(sampleFor(facts)).toMatchObject({
      id: 'contact_123',
      isao_event: { type: 'contact.created', id: 'evt_sample_0001', source: 'api' },
      isao_event_key: 'evt_sample_0001',
    });
  });

  it('marks the record id, and only it, as part of the primary key, with the event key', () => {
    const fields = outputFieldsFor(EVENTS['deal.won']);
    expect(fields.filter((f) => f.primary).map((f) => f.key)).toEqual(['id', 'isao_event_key']);
    expect(fields.find((f) => f.key === 'title')).toEqual({
      key: 'title',
      label: 'Deal Title',
      type: 'string',
    });
  });
});

describe('de-duplication, whatever the platform keeps', () => {
  it('claims each event id once, keeps the records of first deliveries and those without an id', async () => {
    const { records } = deliveryOf(
      facts,
      {
        events: [
          envelope('e1', { id: 'c1' }),
          envelope('seen', { id: 'c2' }),
          envelope('e1', { id: 'c3' }),
          { event: 'contact.created', data: { id: 'c4' } },
        ],
        unreadable: [],
      },
      { signed: false, now: 0, filters: undefined },
    );
    const asked: string[][] = [];
    const kept = await firstTimeRecords(records, (ids) => {
      asked.push(ids);
      return ids.map((id) => id !== 'seen');
    });
    expect(asked).toEqual([['e1', 'seen']]);
    expect(kept.map((r) => r.id)).toEqual(['c1', 'c3', 'c4']);
  });
});

/**
 * A listed record (the editor's test records) is merged from several sources, each later one
 * winning over the earlier: the record's own fields, the declared fields it lacks (null), its own
 * id, its custom fields, then the event's metadata and key; its event's time is the envelope's,
 * else the record's own date. Every pair of these steps is held here: swapping two changes a
 * field below.
 */
describe("a listed record's fields, merged in order", () => {
  const listed = (event: keyof typeof EVENTS, item: Record<string, unknown>) =>
    listedRecords(EVENTS[event], [item], undefined, 10);

  it("takes the envelope's time over the record's own date, which stands in only without one", () => {
    const data = { id: 'c1', updatedAt: '2024-11-09T09:00:00.000Z' };
    const [enveloped] = listed('contact.updated', {
      event: 'contact.updated',
      timestamp: '2024-11-08T10:30:00.000Z',
      data,
    });
    const [bare] = listed('contact.updated', data);
    expect(enveloped?.isao_event.occurred_at).toBe('2024-11-08T10:30:00.000Z');
    expect(bare?.isao_event.occurred_at).toBe('2024-11-09T09:00:00.000Z');
  });

  it('gives the event metadata and key over fields of the same names in the record', () => {
    const [record] = listed('contact.created', {
      event: 'contact.created',
      data: { id: 'c1', isao_event: 'its own', isao_event_key: 'its own key' },
      metadata: { eventId: 'e1' },
    });
    expect(record?.isao_event).toEqual({
      type: 'contact.created',
      id: 'e1',
      occurred_at: null,
      source: null,
      company_id: null,
    });
    expect(record?.isao_event_key).toBe('e1');
  });

  it("gives the record's own id over an empty id field, and the custom fields over its own", () => {
    const [contact] = listed('contact.created', { id: '', contactId: 'c7', name: 'Ada' });
    expect(contact).toMatchObject({ id: 'c7', name: 'Ada', email: null });
    const [appointment] = listed('appointment.created', {
      id: 'a1',
      custom_fields: { phone: 'its own' },
      fields: [{ label: 'Phone', value: '+33 1' }],
    });
    expect(appointment?.custom_fields).toEqual({ phone: '+33 1' });
  });
});
