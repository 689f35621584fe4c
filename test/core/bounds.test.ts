/**
 * How deep and how large a value from outside the core walks (core/bounds.ts), and every walk
 * that keeps to it: quoting a value, flattening a list field, reading a body, classifying an item
 * and a listed record. Through the platforms: test/lib/bounds.test.ts (Zapier) and
 * test/n8n/nodes/IsaoTrigger.bounds.test.ts (n8n).
 */
import { boundedJson, boundsProblem, MAX_DEPTH, MAX_SIZE } from '../../core/bounds';
import { deliveryOf, listedRecords } from '../../core/delivery';
import { EVENTS } from '../../core/events';
import { onlyBlanks, quote, readList } from '../../core/inputs';
import { readWebhook, TOO_DEEP_TO_READ } from '../../core/webhook';

/** A list nested `depth` levels (the outermost counts), holding `inner` at the bottom. */
const lists = (depth: number, inner: unknown = 'a'): unknown =>
  JSON.parse('['.repeat(depth) + JSON.stringify(inner) + ']'.repeat(depth));
/** `{"a":{"a":…inner…}}`, `depth` levels. */
const objects = (depth: number, inner: unknown = 1): unknown =>
  JSON.parse('{"a":'.repeat(depth) + JSON.stringify(inner) + '}'.repeat(depth));

const DEEP = `nested more than ${String(MAX_DEPTH)} levels deep`;
const LARGE = 'larger than 1,000,000 characters';

describe('boundsProblem', () => {
  it('allows 32 levels of lists or objects, and names a 33rd', () => {
    expect(MAX_DEPTH).toBe(32);
    expect(boundsProblem(lists(32))).toBeUndefined();
    expect(boundsProblem(objects(32, { b: 'text' }))).toBe(DEEP);
    expect(boundsProblem(objects(32, 'text'))).toBeUndefined();
    expect(boundsProblem(lists(33))).toBe('nested more than 32 levels deep');
    expect(boundsProblem(lists(32, []))).toBe(DEEP);
    expect(boundsProblem(objects(33))).toBe(DEEP);
  });

  it('reads 20,000 levels without overflowing the stack', () => {
    expect(boundsProblem(lists(20_000))).toBe(DEEP);
    expect(boundsProblem([{ id: 'c1' }, objects(20_000)])).toBe(DEEP);
  });

  it('counts one per value and the characters of texts and keys, up to 1,000,000', () => {
    expect(MAX_SIZE).toBe(1_000_000);
    // the text itself: 1 + its characters
    expect(boundsProblem('x'.repeat(MAX_SIZE - 1))).toBeUndefined();
    expect(boundsProblem('x'.repeat(MAX_SIZE))).toBe(LARGE);
    // a list: 1, then 1 per item
    expect(boundsProblem(new Array(MAX_SIZE - 1).fill(0))).toBeUndefined();
    expect(boundsProblem(new Array(MAX_SIZE).fill(0))).toBe(LARGE);
    // an object: 1, then per value 1 and its key's characters, then the value's own
    const key = 'k'.repeat(10);
    expect(boundsProblem({ [key]: 'x'.repeat(MAX_SIZE - 12) })).toBeUndefined();
    expect(boundsProblem({ [key]: 'x'.repeat(MAX_SIZE - 11) })).toBe(LARGE);
    expect(boundsProblem([['x'.repeat(MAX_SIZE - 3)]])).toBeUndefined();
    expect(boundsProblem([['x'.repeat(MAX_SIZE - 2)]])).toBe(LARGE);
  });

  it('is within the bounds for what ISAO sends', () => {
    expect(boundsProblem(EVENTS['appointment.created'].entity.sample)).toBeUndefined();
    expect(boundsProblem(null)).toBeUndefined();
  });
});

describe('quoting a value nested past the bounds', () => {
  it('writes 32 levels and marks the rest cut, never overflowing the stack', () => {
    expect(boundedJson(lists(33))).toBe(`${'['.repeat(32)}"…"${']'.repeat(32)}`);
    expect(boundedJson(lists(32))).toBe(JSON.stringify(lists(32)));
    expect(boundedJson({ a: [1, { b: undefined }], c: 'x' })).toBe('{"a":[1,{}],"c":"x"}');
    expect(boundedJson(undefined)).toBeUndefined();
    expect(quote(lists(20_000))).toBe(`"${'['.repeat(32)}"…"${']'.repeat(32)}"`);
    expect(quote(objects(20_000), 40)).toBe(`"${'{"a":'.repeat(7)}{"a"…"`);
  });

  it('writes an object met twice in one value at each place', () => {
    const shared = { id: 'c1' };
    expect(boundedJson([shared, { again: shared }])).toBe('[{"id":"c1"},{"again":{"id":"c1"}}]');
  });
});

describe('a list field nested past the bounds', () => {
  it('is flattened to 32 levels; a list nested deeper is not text, and named as such', () => {
    expect(readList(lists(32, 'vip'))).toEqual({ values: ['vip'], notText: [] });
    const deep = lists(20_000, 'vip');
    const { values, notText } = readList(['lead', deep]);
    expect(values).toEqual(['lead']);
    expect(notText).toHaveLength(1);
    expect(quote(notText[0], 10)).toBe('"[[[[[[[[[…"');
    // blanks beside what is not text, as beside an object: read without overflowing the stack
    expect(onlyBlanks(['  ', deep])).toBe(onlyBlanks(['  ', { a: 1 }]));
    expect(onlyBlanks(lists(32, '  '))).toBe(true);
  });
});

describe('a body nested past what a JSON reader follows', () => {
  it('holds nothing to process, saying so', () => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(readWebhook('[[[]]]')).toEqual({ nothing: TOO_DEEP_TO_READ });
    expect(TOO_DEEP_TO_READ).toBe(
      'The webhook from ISAO nests too deeply to be read as JSON: nothing to process.',
    );
  });
});

describe('items past the bounds', () => {
  const facts = EVENTS['contact.created'];
  const envelope = (eventId: string, data: unknown, event = 'contact.created') => ({
    event,
    data,
    metadata: { eventId },
  });

  it('are skipped with the reason, and their neighbours delivered', () => {
    const delivery = deliveryOf(
      facts,
      {
        events: [
          envelope('e1', { id: 'c1' }),
          envelope('e2', { id: 'c2', x: objects(20_000) }),
          envelope('e3', { id: 'c3', notes: 'x'.repeat(MAX_SIZE) }),
          envelope('e4', { id: 'd4', x: objects(20_000) }, 'deal.won'),
          { id: 'c5', x: objects(40) },
        ],
        unreadable: [],
      },
      { signed: false, now: 0, filters: undefined },
    );
    expect(delivery.records.map((record) => record.id)).toEqual(['c1']);
    expect(delivery.skipped).toEqual([
      `The ISAO contact.created event "e2" is ${DEEP}`,
      `The ISAO contact.created event "e3" is ${LARGE}`,
      `The ISAO contact.created event is ${DEEP}`,
    ]);
  });

  it('are left out of the listed records', () => {
    const listed = listedRecords(
      facts,
      [{ id: 'c1', x: objects(40) }, { id: 'c2' }, envelope('e3', { id: 'c3', x: lists(40) })],
      undefined,
      10,
    );
    expect(listed.map((record) => record.id)).toEqual(['c2']);
  });
});
