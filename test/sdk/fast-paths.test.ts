/**
 * The package's fast paths give what the slow ones gave: each item read with the core's
 * `eventItem` and `toRecord` is the record `deliveryOf` makes; node's UTF-8 check and decoder
 * (the node path) take and refuse what TextDecoder's strict decoding does (the web path); the
 * signature header found by its name's length first is the one found by lower-casing every
 * name; a single secret is read as a list of one; one chunk is the body itself, not a copy.
 */
import { createHmac } from 'node:crypto';
import { deliveryOf } from '../../core/delivery';
import type { RawRecord } from '../../core/entities';
import { EVENTS, isIsaoEvent } from '../../core/events';
import { unwrapEvent } from '../../core/webhook';
import { concatBytes } from '../../sdk/src/bytes';
import { verify } from '../../sdk/src/verify';
import { verify as verifyWeb } from '../../sdk/src/verify-web';

const SECRET = 'whsec_fast';
const NOW = Date.parse('2024-11-08T12:00:00.000Z');
const HEADER = 'x-isao-hmac-sha256';
const sign = (body: string | Uint8Array) =>
  createHmac('sha256', SECRET).update(body).digest('base64');

/** Both paths' result on the same bytes, which must be the same. */
const both = async (body: Uint8Array) => {
  const options = { secrets: SECRET, now: NOW };
  const node = verify(body, { [HEADER]: sign(body) }, options);
  expect(await verifyWeb(body, { [HEADER]: sign(body) }, options)).toEqual(node);
  return node;
};

describe('each item of a verified body', () => {
  const items: RawRecord[] = [
    { event: 'deal.won', timestamp: '2024-11-08T11:00:00.000Z', data: { id: 'd1', title: 'T' } },
    { event: 'contact.created', metadata: { eventId: 'evt_c' }, data: { email: 'a@b.c' } },
    { event: 'contact.updated', id: 'c9', name: 'Flat' },
    {
      data: {
        event: {
          topic: 'appointment_create',
          id: 'evt_t',
          payload: { appointment: { id: 'a1', fields: [{ label: 'Room', value: '4' }] } },
        },
      },
    },
    { event: 'deal.lost', data: { title: 'no id, no event id' } },
  ];

  it('has the record deliveryOf makes of it', async () => {
    const body = new TextEncoder().encode(JSON.stringify(items));
    const result = await both(body);
    if (!result.ok) throw new Error(result.message);
    const records = items.flatMap((item) => {
      const { event } = unwrapEvent(item);
      if (!isIsaoEvent(event)) return [];
      const one = { events: [item], unreadable: [] };
      return deliveryOf(EVENTS[event], one, { signed: false, now: NOW, filters: undefined })
        .records;
    });
    expect(records).toHaveLength(items.length);
    expect(result.events.map((event) => event.record)).toEqual(records);
    // the same keys in the same order, not only the same values
    expect(result.events.map((event) => JSON.stringify(event.record))).toEqual(
      records.map((record) => JSON.stringify(record)),
    );
    expect(result.events.map((event) => event.data)).toEqual(
      items.map((item) => unwrapEvent(item).entity),
    );
  });
});

describe('the body’s text on the node path', () => {
  /** A JSON text holding these bytes: not an event, once its bytes are read as text. */
  const json = (inner: number[]) => Uint8Array.from([0x22, ...inner, 0x22]);

  it('is what TextDecoder reads, and refused where it refuses', async () => {
    const cases: [number[], boolean][] = [
      [[0x61], true],
      [[0xc3, 0xa9], true], // é
      [[0xe2, 0x80, 0xa8], true], // U+2028
      [[0xf0, 0x9f, 0x98, 0x80], true], // 😀
      [[0xef, 0xbf, 0xbd], true], // U+FFFD as sent
      [[0xef, 0xbb, 0xbf], true], // a byte order mark inside the text
      [[0xc0, 0xaf], false], // overlong
      [[0xe0, 0x80, 0xaf], false], // overlong
      [[0xed, 0xa0, 0x80], false], // a surrogate half
      [[0xf4, 0x90, 0x80, 0x80], false], // past U+10FFFF
      [[0xe2, 0x80], false], // cut short
      [[0x80], false], // a lone continuation byte
      [[0xff], false],
    ];
    for (const [inner, valid] of cases) {
      const result = await both(json(inner));
      expect([inner, result.ok ? 'ok' : result.problem]).toEqual([
        inner,
        valid ? 'not-event' : 'encoding',
      ]);
    }
  });

  it('is read from a view into a larger buffer, its own bytes only', async () => {
    const body = new TextEncoder().encode('{"event":"deal.won","data":{"id":"d1","title":"é"}}');
    const larger = new Uint8Array(body.length + 20).fill(0xff);
    larger.set(body, 10);
    const result = await both(larger.subarray(10, 10 + body.length));
    expect(result.ok && result.events[0]?.data.title).toBe('é');
  });
});

describe('the signature header', () => {
  it('is found in any letter case, and read as sent twice when two names give it', () => {
    // a JSON text, not an event: refused as such once the signature is found and matches
    const body = new TextEncoder().encode('"x"');
    const signature = sign(body);
    for (const name of ['X-ISAO-HMAC-SHA256', 'X-Isao-Hmac-Sha256', HEADER]) {
      expect(verify(body, { [name]: signature }, { secrets: SECRET, now: NOW })).toMatchObject({
        problem: 'not-event',
      });
    }
    expect(
      verify(
        body,
        { 'X-Isao-Hmac-Sha256': signature, [HEADER]: signature },
        { secrets: SECRET, now: NOW },
      ),
    ).toMatchObject({ problem: 'malformed' });
    // names of another length are other headers, even when close
    expect(
      verify(
        body,
        { 'x-isao-hmac-sha256 ': signature, 'x-isao-hmac-sha25': signature },
        { secrets: SECRET, now: NOW },
      ),
    ).toMatchObject({ problem: 'missing' });
  });

  it('has a name no character lengthens or shortens into when lower-cased', () => {
    // what the length check relies on: a character whose lower case is ASCII keeps its length
    const changed: string[] = [];
    for (let code = 0x80; code <= 0x10ffff; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      const lower = char.toLowerCase();
      // eslint-disable-next-line no-control-regex -- ASCII is exactly what it looks for
      if (/^[\x00-\x7f]+$/.test(lower) && lower.length !== char.length) changed.push(char);
    }
    expect(changed).toEqual([]);
  });
});

describe('the secrets', () => {
  it('are one trimmed secret when given as text, and refused when it is blank', () => {
    const body = '{"event":"deal.won","data":{"id":"d1"}}';
    const result = verify(body, { [HEADER]: sign(body) }, { secrets: `  ${SECRET}\n`, now: NOW });
    expect(result.ok && result.signedWith).toBe(0);
    expect(() => verify(body, {}, { secrets: ' \n ' })).toThrow(/`secrets` must be/);
  });
});

describe('the bytes of a body read in chunks', () => {
  it('are the one chunk itself, or a copy of them all', () => {
    const one = Uint8Array.from([1, 2, 3]);
    expect(concatBytes([one])).toBe(one);
    const joined = concatBytes([one, Uint8Array.from([4])]);
    expect(joined).toEqual(Uint8Array.from([1, 2, 3, 4]));
    expect(joined.buffer).not.toBe(one.buffer);
    expect(concatBytes([])).toEqual(new Uint8Array());
  });
});
