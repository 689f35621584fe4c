/**
 * How a Make webhook reads a request from ISAO: the IML of its communication, as close to the
 * core's reading (core/webhook.ts `eventsIn` and `unwrapEvent`, core/delivery.ts `deliveryOf`,
 * core/records.ts `toEventRecord`) as IML allows. A JSON array is split into one bundle per item
 * with Make's `iterate` (developers.make.com/custom-apps-documentation/app-components/webhooks);
 * an item is the trigger's when it is an ISAO envelope of its event (with `data`, or flat with the
 * record's own id), a topic envelope whose topic is the event or one of its aliases, or a bare
 * record with its own id; each field is read from the record the envelope carries, the event's
 * metadata from the envelope. What IML cannot do as the core does is in docs/make.md.
 */
import type { OutputField } from '../core/entities';
import type { EventFacts } from '../core/events';
import { ID_KEYS } from '../core/records';
import { SIGNATURE_HEADER } from '../core/signatures';
import { mapTree } from './fields';
import { firstOf, fn, iml, imlKey, imlText, type JsonObject } from './iml';

/** Each item of a JSON array, or the one object: `add` makes a list of the body, `flatten` opens an array. */
const ITEMS = fn('flatten', fn('add', 'emptyarray', 'body'));

/** The topic envelope's event: `{data: {event: {topic, id, occuredAt, payload}}}`. */
const TOPIC = 'item.data.event';

const isEnvelope = (facts: EventFacts) => `item.event == ${imlText(facts.event)}`;

const isTopic = (facts: EventFacts) =>
  [facts.event, ...facts.aliases].map((name) => `${TOPIC}.topic == ${imlText(name)}`).join(' || ');

/** A key of a record: a path's key, or `get` on what a function gives (IML reads no key of a call). */
const keyOf = (record: string, key: string) =>
  // Stryker disable next-line Regex: a record read is a path or a call, and a call ends with ')'
  /^[\w.]+$/.test(record) ? `${record}.${imlKey(key)}` : fn('get', record, imlText(key));

/** The record's own id (its kind's id keys, in the core's order), else `fallback`. */
const idOf = (facts: EventFacts, record: string, fallback: string) =>
  firstOf(
    ID_KEYS[facts.entity.kind].map((key) => keyOf(record, key)),
    fallback,
  );

const hasId = (facts: EventFacts, record: string) =>
  `${idOf(facts, record, 'emptystring')} != emptystring`;

/** Which items the trigger keeps: its event's, each carrying a record. */
export const conditionOf = (facts: EventFacts): string =>
  [
    `(${isEnvelope(facts)} && (!!item.data || ${hasId(facts, 'item')}))`,
    `((${isTopic(facts)}) && !!${TOPIC}.payload)`,
    `(!item.event && !${TOPIC}.topic && ${hasId(facts, 'item')})`,
  ].join(' || ');

/** The record an item carries: `data` (or the flat envelope), the topic's payload, or the item. */
const recordOf = (facts: EventFacts): string =>
  fn(
    'if',
    isEnvelope(facts),
    fn('ifempty', 'item.data', 'item'),
    firstOf([`${TOPIC}.payload.appointment`, `${TOPIC}.payload`], 'item'),
  );

/** Where each envelope keeps the event's metadata: the ISAO envelope's, then the topic's. */
const META: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  id: ['item.metadata.eventId', [`${TOPIC}.id`, `${TOPIC}.eventId`]],
  occurred_at: ['item.timestamp', [`${TOPIC}.occuredAt`, `${TOPIC}.occurredAt`]],
  source: ['item.metadata.source', [`${TOPIC}.source`, `${TOPIC}.appId`]],
  company_id: ['item.metadata.companyId', [`${TOPIC}.businessId`]],
};

const metaOf = (facts: EventFacts, key: string): string => {
  const where = META[key];
  if (!where) throw new Error(`no event metadata ${key}`);
  const [envelope, topic] = where;
  // Stryker disable next-line StringLiteral: no list of places in META is empty
  return fn('if', isEnvelope(facts), envelope, firstOf(topic.slice(0, -1), topic.at(-1) ?? ''));
};

/** How each field of a bundle is read, by its path. */
export const sourceOf = (facts: EventFacts, path: readonly string[]): string => {
  const eventId = metaOf(facts, 'id');
  const [top, inner] = path;
  if (top === 'isao_event' && inner === 'type') return facts.event;
  if (top === 'isao_event' && inner !== undefined) return iml(metaOf(facts, inner));
  if (top === 'isao_event_key' || top === 'eventId') return iml(eventId);
  if (top === 'signature') return iml(`headers.${imlKey(SIGNATURE_HEADER.toLowerCase())}`);
  if (top === 'id' && inner === undefined) return iml(idOf(facts, recordOf(facts), eventId));
  return iml(keyOf(recordOf(facts), path.join('.')));
};

/** The webhook's communication: one bundle per item the trigger keeps, shaped as its interface. */
export const communicationOf = (facts: EventFacts, fields: readonly OutputField[]): JsonObject => ({
  iterate: { container: iml(ITEMS), condition: iml(conditionOf(facts)) },
  output: mapTree(fields, (path) => sourceOf(facts, path)),
});
