/**
 * What the core's faster walks must keep (core/bounds.ts, core/records.ts, core/delivery.ts):
 * the bounds walk gives the reason the walk of pairs gave, in the same order when both bounds
 * are crossed; a record set in place keeps the key order a spread gave; an item of another event
 * is still another's unless malformed; a message names an event's id only when there is one.
 */
import { boundsProblem, MAX_DEPTH, MAX_SIZE } from '../../core/bounds';
import { deliveryOf } from '../../core/delivery';
import { appointment, contact } from '../../core/entities';
import { EVENTS } from '../../core/events';
import { idOf, toEventRecord } from '../../core/records';

const DEEP = `nested more than ${String(MAX_DEPTH)} levels deep`;
const LARGE = 'larger than 1,000,000 characters';

/** The walk as it was, with one [value, level] pair per value: the reference. */
const pairsWalk = (value: unknown): string | undefined => {
  const pending: [unknown, number][] = [[value, 1]];
  let size = 1;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, level] = next;
    let children: unknown[] = [];
    if (typeof node === 'string') size += node.length;
    else if (typeof node === 'object' && node !== null) {
      if (level > MAX_DEPTH) return DEEP;
      children = Array.isArray(node) ? node : Object.values(node);
      size += children.length;
      if (!Array.isArray(node)) for (const key of Object.keys(node)) size += key.length;
    }
    if (size > MAX_SIZE) return LARGE;
    for (const child of children) pending.push([child, level + 1]);
  }
  return undefined;
};

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + '0' + ']'.repeat(depth));
const long = 'x'.repeat(MAX_SIZE);

describe('the bounds walk', () => {
  it('gives what the walk of pairs gave, whichever bound it meets first', () => {
    const values: unknown[] = [
      // the last child is visited first: the deep list, then the long text
      [long, nested(40)],
      [nested(40), long],
      // values that add nothing (numbers, null, booleans, undefined) are not visited
      [nested(40), 1, null, true, false, undefined, long],
      [long, 0, null, nested(40), 7],
      { a: long, b: 1, c: { d: nested(40) } },
      { a: nested(40), b: null, c: 'x'.repeat(MAX_SIZE - 20) },
      [1, 2, 3, null, true],
      new Array(MAX_SIZE).fill(null),
      [[null, [false, ['x'.repeat(MAX_SIZE - 8)]]]],
      [[null, [false, ['x'.repeat(MAX_SIZE - 9)]]]],
      nested(MAX_DEPTH),
      nested(MAX_DEPTH + 1),
      42,
      null,
      'text',
      EVENTS['appointment.created'].entity.sample,
    ];
    for (const value of values) expect(boundsProblem(value)).toBe(pairsWalk(value));
    expect(values.map(boundsProblem).slice(0, 6)).toEqual([DEEP, LARGE, LARGE, DEEP, DEEP, LARGE]);
  });
});

describe('a record set in place', () => {
  const meta = { type: 'contact.created', id: 'evt_1', occurred_at: null };

  it('keeps the key order a spread gave: its own keys, the declared ones, then the event', () => {
    const record = toEventRecord(contact, { email: 'a@b.c', id: 'c1', extra: 1 }, meta, 'evt_1');
    const declared = contact.outputFields
      .map((field) => field.key.split('__')[0] ?? '')
      .filter((key, i, all) => !['email', 'id'].includes(key) && all.indexOf(key) === i);
    expect(Object.keys(record)).toEqual([
      'email',
      'id',
      'extra',
      ...declared,
      'isao_event',
      'isao_event_key',
    ]);
    expect(record.id).toBe('c1');
  });

  it('gives an id the record lacks its declared place, and keeps the event keys it carries in theirs', () => {
    const record = toEventRecord(
      contact,
      { isao_event_key: 'sent', isao_event: 'sent', name: 'Ann' },
      meta,
      'evt_1',
    );
    expect(Object.keys(record).slice(0, 3)).toEqual(['isao_event_key', 'isao_event', 'name']);
    expect(Object.keys(record)).toContain('id');
    expect(record).toMatchObject({
      id: 'evt_1',
      isao_event_key: 'evt_1',
      isao_event: { type: 'contact.created', id: 'evt_1' },
    });
    // the declared keys the record lacked follow, the id first (it is declared first)
    expect(Object.keys(record)[3]).toBe('id');
  });

  it('sets an appointment’s custom fields where its own were', () => {
    const record = toEventRecord(
      appointment,
      { custom_fields: 'sent', id: 'a1', fields: [{ label: 'Room', value: '4' }] },
      { type: 'appointment.created' },
      'k',
    );
    expect(Object.keys(record).slice(0, 3)).toEqual(['custom_fields', 'id', 'fields']);
    expect(record.custom_fields).toEqual({ room: '4' });
    expect(record.isao_event).toEqual({
      type: 'appointment.created',
      id: null,
      occurred_at: null,
      source: null,
      company_id: null,
    });
  });

  it('takes the first of the id keys holding an id, a number or non-empty text', () => {
    expect(idOf(contact, { id: '', contactId: 0, contact_id: 'c3' })).toBe(0);
    expect(idOf(contact, { id: null, contactId: '', contact_id: 'c3' })).toBe('c3');
    expect(idOf(contact, { id: 'c1', contactId: 'c2' })).toBe('c1');
    expect(idOf(contact, { id: true, contactId: {} })).toBeUndefined();
  });
});

describe('an item read for a trigger', () => {
  const facts = EVENTS['deal.won'];
  const read = (item: Record<string, unknown>) =>
    deliveryOf(facts, { events: [item], unreadable: [] }, { signed: false, now: 0, filters: {} });

  it('of another event is another’s; a malformed one is unusable, whatever it names', () => {
    expect(read({ event: 'deal.lost', data: { id: 'd1' } })).toEqual({ records: [], skipped: [] });
    expect(read({ event: 42, data: { id: 'd1' }, metadata: { eventId: 'evt_9' } })).toEqual({
      records: [],
      skipped: [
        'The ISAO webhook item "evt_9" is an envelope whose "event" is not an event name ("42")',
      ],
      halt: 'The ISAO webhook item "evt_9" is an envelope whose "event" is not an event name ("42").',
    });
  });

  it('is named by its event id in a reason only when it has one', () => {
    expect(read({ event: 'deal.won', data: null }).skipped).toEqual([
      'The ISAO deal.won event carried no record',
    ]);
    expect(read({ event: 'deal.won', data: null, metadata: { eventId: 'e1' } }).skipped).toEqual([
      'The ISAO deal.won event "e1" carried no record',
    ]);
    expect(read({ event: 'deal.won', data: { id: nested(40) } }).skipped).toEqual([
      `The ISAO deal.won event is ${DEEP}`,
    ]);
    expect(read({ event: 42, data: {} }).skipped).toEqual([
      'The ISAO webhook item is an envelope whose "event" is not an event name ("42")',
    ]);
  });
});
