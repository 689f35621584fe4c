/**
 * Reading a webhook body (core/webhook.ts): which envelopes are events, and what a body that holds
 * no event says. Which of Zapier's copies of the body is read: test/lib/webhook.test.ts.
 */
import { eventsIn, readWebhook, unwrapEvent } from '../../core/webhook';

describe('envelopes', () => {
  it('a record with an "event" field that is not a text is a bare record', () => {
    const record = { id: 'a1', event: ['contact.created'] };
    expect(unwrapEvent(record)).toEqual({ event: undefined, entity: record, meta: {} });
  });

  it('an envelope whose "event" is not a text is malformed, whatever it reads as', () => {
    // ['contact.created'] reads as "contact.created" wherever it is turned into text
    for (const event of [['contact.created'], 42, { name: 'contact.created' }]) {
      const unwrapped = unwrapEvent({ event, data: { id: 'c1' } });
      expect(unwrapped.malformed).toContain('whose "event" is not an event name');
      expect(unwrapped.entity).toBeUndefined();
    }
  });
});

describe('a body that starts with a byte-order mark', () => {
  const event = { event: 'contact.created', data: { id: 'c1' } };

  it('is read as the JSON after it, as JSON parsers commonly read such text', () => {
    expect(readWebhook(`\uFEFF${JSON.stringify(event)}`)).toEqual({
      events: [event],
      unreadable: [],
    });
    expect(readWebhook(`\uFEFF[${JSON.stringify(event)}]`)).toEqual({
      events: [event],
      unreadable: [],
    });
  });

  it('loses one mark only, at the very start: a second one, or one after a space, is not JSON', () => {
    for (const raw of [`\uFEFF\uFEFF{}`, ` \uFEFF{}`, `{"id":"c1"}\uFEFF`]) {
      expect(readWebhook(raw)).toEqual({
        nothing: expect.stringMatching(/^The webhook from ISAO was not valid JSON/),
      });
    }
  });

  it('a mark alone is an empty body', () => {
    expect(readWebhook('\uFEFF')).toEqual({
      nothing: 'The webhook from ISAO had an empty body: nothing to process.',
    });
  });
});

describe('bodies that hold nothing', () => {
  it('says why, for a blank body, a body that is not JSON and JSON that is not an event', () => {
    expect(readWebhook(' \n')).toEqual({
      nothing: 'The webhook from ISAO had an empty body: nothing to process.',
    });
    expect(readWebhook('<html>')).toEqual({
      nothing: 'The webhook from ISAO was not valid JSON (it starts "<html>").',
    });
    for (const parsed of [[], 7, null, 'text']) {
      expect(eventsIn(parsed)).toEqual({
        nothing:
          'The webhook from ISAO was JSON but not an event object (or a list of them): nothing to process.',
      });
    }
  });

  it('a batch keeps its objects and names each item that is not one', () => {
    expect(readWebhook('[{"id":"c1"}, 7]')).toEqual({
      events: [{ id: 'c1' }],
      unreadable: ['Item 2 of the ISAO webhook is not an event object ("7")'],
    });
  });
});
