/**
 * What verify concludes from a signed body's items (sdk/src/pipeline.ts `conclude`, reading each
 * item in sdk/src/deliveries.ts): the refusal of a body with nothing usable, in its exact words.
 */
import { createHmac } from 'node:crypto';
import { verify } from '../../sdk/src/verify';

const SECRET = 'whsec_pipeline';
const NOW = Date.parse('2024-11-08T12:00:00.000Z');

const verified = (items: unknown[]) => {
  const body = JSON.stringify(items);
  const signature = createHmac('sha256', SECRET).update(body).digest('base64');
  return verify(body, { 'x-isao-hmac-sha256': signature }, { secrets: SECRET, now: NOW });
};

describe('a body with nothing usable', () => {
  it('is refused with the one reason, and no "more" when there is one', () => {
    expect(
      verified([{ event: 'deal.won', timestamp: '2024-11-08T01:00:00.000Z', data: { id: 'd1' } }]),
    ).toEqual({
      ok: false,
      status: 401,
      problem: 'replay',
      message:
        'Nothing in the webhook can be used. The signed event is from "2024-11-08T01:00:00.000Z" (read as 2024-11-08T01:00:00.000Z), older than the replay window of 7200 s: a request captured and sent again, or a clock far off.',
    });
  });

  it('names an event of the table that carried no record, whatever its data is instead', () => {
    for (const data of [undefined, null, 'x', [], 42]) {
      expect(verified([{ event: 'deal.won', data }])).toEqual({
        ok: false,
        status: 400,
        problem: 'unusable',
        message: 'Nothing in the webhook can be used. The ISAO deal.won event carried no record.',
      });
    }
  });

  it('is not refused when it holds an event the table does not know', () => {
    const result = verified([{ event: 'invoice.paid', data: { id: 'i1' } }, 7]);
    expect(result).toMatchObject({
      ok: true,
      events: [],
      unknown: [{ name: 'invoice.paid', data: { id: 'i1' } }],
    });
    expect(result.ok && result.skipped.length).toBe(1);
  });
});
