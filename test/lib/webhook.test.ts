/**
 * Reading a webhook body (webhook.ts): which of Zapier's two copies of the body is read (its parse,
 * `cleanedRequest`, or the bytes, `rawRequest.content`); what is read, test/core/webhook.test.ts.
 */
import { webhookEvents } from '../../src/lib/webhook';
import { caught, errorText, fullBundle, stubZ } from '../helpers';

const { z } = stubZ();
/** A webhook whose bytes are `raw` and whose parse by Zapier is `cleanedRequest`. */
const read = (raw: string, cleanedRequest: unknown) =>
  webhookEvents(
    z,
    fullBundle({
      rawRequest: { method: 'POST', querystring: '', content: raw, headers: {} },
      cleanedRequest,
    }),
  );

describe('which copy of the body is read', () => {
  const raw = JSON.stringify({ event: 'contact.created', data: { id: 'c1', name: 'Ada' } });
  // Zapier's parse of these bytes; it differs from them here only so the tests can tell which
  // of the two was read
  const parsed = { event: 'contact.created', data: { id: 'c1', name: 'Ada (parsed)' } };

  it("reuses Zapier's parse of an object or a list, not parsing the bytes again", () => {
    expect(read(raw, parsed)).toEqual({ events: [parsed], unreadable: [] });
    expect(read(`[${raw}]`, [parsed]).events).toEqual([parsed]);
  });

  it('leaves out the querystring Zapier adds to its parse', () => {
    const bare = '{"id":"c1","name":"Ada"}';
    const withQuery = { id: 'c1', name: 'Ada', querystring: { zap: '1' } };
    expect(read(bare, withQuery).events).toEqual([{ id: 'c1', name: 'Ada' }]);
  });

  it('reads the bytes when the body has a querystring key of its own', () => {
    const own = '{"id":"c1","querystring":"?page=2"}';
    const parse = { id: 'c1', querystring: { zapier: 'added' } };
    expect(read(own, parse).events).toEqual([{ id: 'c1', querystring: '?page=2' }]);
  });

  it("reads the bytes when Zapier's parse is empty, only its querystring, or the request echo", () => {
    const event = JSON.parse(raw) as unknown;
    expect(read(raw, []).events).toEqual([event]);
    expect(read(raw, { querystring: { zap: '1' } }).events).toEqual([event]);
    const echo = { method: 'POST', headers: {}, content: raw, querystring: {} };
    expect(read(raw, echo).events).toEqual([event]);
  });

  it("a record with some of the echo's keys (content, headers) is still a record", () => {
    const note = '{"id":"c1","content":"Call back"}';
    const parse = { id: 'c1', content: 'Call back (parsed)' };
    expect(read(note, parse).events).toEqual([parse]);
  });

  it('a blank body is empty, not invalid JSON', async () => {
    const error = await caught(() => Promise.resolve().then(() => read(' \n', {})));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe('The webhook from ISAO had an empty body: nothing to process.');
  });
});
