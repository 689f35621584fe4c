/**
 * The Zapier app's triggers (src/, the core's delivery pipeline through Zapier's perform) give,
 * for every conformance vector the receiver accepts, exactly the records the vector expects of
 * each event: @isao/webhooks and the Zapier app deliver the same records from the same bytes.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { EVENTS, isIsaoEvent } from '../../core/events';
import { triggers } from '../../src/triggers';
import { cacheStub, fullBundle, stubZ } from '../helpers';
import { nodeHeaders, VECTORS } from './helpers';

const TRIGGERS: Record<
  string,
  { operation: { perform: (z: ZObject, bundle: Bundle) => unknown } }
> = triggers;

const accepted = VECTORS.flatMap((vector) => {
  const { expected } = vector;
  if (!expected.ok || expected.events.length === 0 || vector.body.text === undefined) return [];
  return [[vector.name, { vector, expected, text: vector.body.text }] as const];
});

describe('the Zapier triggers and the conformance vectors', () => {
  it('cover every event of the table among the accepted vectors', () => {
    const names = new Set(
      accepted.flatMap(([, { expected }]) => expected.events.map((event) => event.name)),
    );
    expect([...names].sort()).toEqual(Object.keys(EVENTS).sort());
  });

  it.each(accepted)('%s: the same records', async (_name, { vector, expected, text }) => {
    jest.spyOn(Date, 'now').mockReturnValue(vector.now);
    const names = [...new Set(expected.events.map((event) => event.name))];
    for (const name of names) {
      if (!isIsaoEvent(name)) throw new Error(`not an event: ${name}`);
      const { z } = stubZ(cacheStub().cache);
      const bundle = fullBundle({
        authData: {
          api_key: 'isao_test_key',
          webhook_secret: vector.secrets[expected.signedWith] ?? '',
        },
        rawRequest: {
          content: text,
          headers: nodeHeaders(vector),
          method: 'POST',
          querystring: '',
        },
        cleanedRequest: JSON.parse(text),
      });
      const records = await TRIGGERS[EVENTS[name].trigger]?.operation.perform(z, bundle);
      expect({ name, records }).toEqual({
        name,
        records: expected.events
          .filter((event) => event.name === name)
          .map((event) => event.record),
      });
    }
  });
});
