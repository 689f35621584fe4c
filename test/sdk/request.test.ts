/**
 * What verify reads from a request (sdk/src/request.ts) and how it words each refusal: the
 * signature header's value from each shape of headers, and the body's text.
 */
import { createHmac } from 'node:crypto';
import { signatureWords } from '../../sdk/src/problems';
import { verify } from '../../sdk/src/verify';
import * as web from '../../sdk/src/verify-web';

const SECRET = 'whsec_request';
const HEADER = 'x-isao-hmac-sha256';
const sign = (body: string | Uint8Array) =>
  createHmac('sha256', SECRET).update(body).digest('base64');
const options = { secrets: SECRET, now: Date.parse('2024-11-08T12:00:00.000Z') };

/** Both paths' result, which must be the same. */
const both = async (raw: string | Uint8Array, headers: unknown) => {
  // @ts-expect-error: what a JavaScript caller or a framework may pass, whatever the types say
  const node = verify(raw, headers, options);
  // @ts-expect-error: the same
  expect(await web.verify(raw, headers, options)).toEqual(node);
  return node;
};

describe('the signature header', () => {
  it('is absent when a get() gives no text, or a header holds undefined or null', async () => {
    for (const headers of [
      { get: () => 42 },
      { get: () => null },
      { [HEADER]: undefined },
      { [HEADER]: null },
    ]) {
      expect(await both('{}', headers)).toEqual({
        ok: false,
        status: 401,
        problem: 'missing',
        message: signatureWords.missing,
      });
    }
  });

  it('is read from its own name only, not from another of the same length', async () => {
    const body = '{"event":"deal.won","data":{"id":"d1"}}';
    const result = await both(body, {
      'x-isao-hmac-sha512': 'another header',
      'X-Isao-Hmac-Sha256': sign(body),
      'content-type': 'application/json',
    });
    expect(result).toMatchObject({ ok: true, signedWith: 0 });
  });

  it('names what a header holds that is not text', async () => {
    expect(await both('{}', { [HEADER]: ['abc', 42] })).toMatchObject({
      status: 400,
      problem: 'header',
      message:
        'The X-Isao-Hmac-Sha256 header must be text, but the headers given hold "["abc",42]": pass the request\'s headers as received.',
    });
  });

  it('says a header was sent twice only when it holds several values', async () => {
    expect(await both('{}', { [HEADER]: 'not a signature' })).toMatchObject({
      problem: 'malformed',
      message: signatureWords.malformed,
    });
    expect(await both('{}', { [HEADER]: ['abc', 'def'] })).toMatchObject({
      problem: 'malformed',
      message: `${signatureWords.malformed} It holds several values: the header was sent more than once.`,
    });
  });
});

describe('the body', () => {
  const refusal = async (raw: string | Uint8Array) => {
    const result = await both(raw, { [HEADER]: sign(raw) });
    return result.ok ? 'ok' : [result.problem, result.message];
  };

  it('is refused with the reason when it is not UTF-8 JSON text', async () => {
    expect(await refusal(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toEqual([
      'bom',
      'The webhook body starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: ISAO sends none, so something on the way added it.',
    ]);
    // a first byte of a byte order mark, not the whole mark: not JSON, but no mark either
    expect((await refusal('\uFFFD{}'))[0]).toBe('json');
    // two of the mark's three bytes in place (EF BC BF, E3 BB BF, EF BB 80, 22 C2 BF): no mark
    for (const text of ['\uFF3F', '\u3EFF', '\uFEC0', '"\u00BF"']) {
      expect((await refusal(text))[0]).toBe(text.startsWith('"') ? 'not-event' : 'json');
    }
    expect(await refusal(Uint8Array.from([0x7b, 0xff, 0x7d]))).toEqual([
      'encoding',
      'The webhook body is not valid UTF-8: ISAO sends JSON in UTF-8, so something on the way re-encoded it (read the body as bytes, not as text in another charset).',
    ]);
    expect(await refusal('  \n nope')).toEqual([
      'json',
      'The webhook body is not JSON (it starts "nope").',
    ]);
  });

  it('given as text, is read as that text', () => {
    // a lone surrogate is text JavaScript holds, which its UTF-8 bytes cannot (they hold U+FFFD)
    const body = JSON.stringify({
      event: 'deal.won',
      timestamp: '2024-11-08T11:59:00.000Z',
      data: { id: 'deal_1', title: '\uD800' },
    }).replace('"title":"\\ud800"', '"title":"\uD800"');
    const result = verify(body, { [HEADER]: sign(body) }, options);
    expect(result.ok && result.events[0]?.data.title).toBe('\uD800');
  });
});
