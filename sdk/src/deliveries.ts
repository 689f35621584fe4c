/**
 * From a verified body's items to its events, with the core's reading of each: the envelope
 * (core/webhook.ts `unwrapEvent`), the record (core/delivery.ts `eventItem`, `toRecord`: the same records
 * the Zapier and n8n triggers deliver) and the timestamp (core/signatures.ts `eventTime`). Every
 * event of the table counts here, where a Zapier trigger keeps only its own.
 */
import type { RawRecord } from '../../core/entities';
import { eventItem, toRecord } from '../../core/delivery';
import { EVENTS, isIsaoEvent, type IsaoEvent } from '../../core/events';
import { quote } from '../../core/inputs';
import type { EventMeta, EventRecord } from '../../core/records';
import { eventTime } from '../../core/signatures';
import { unwrapEvent, type WebhookItems } from '../../core/webhook';
import type { IsaoEventTypes } from './events.generated';
import type { AnyIsaoEvent, EventFor, IsaoWebhookEvent, UnknownEvent } from './types';

/** What a body's items hold. */
export interface Reading {
  events: AnyIsaoEvent[];
  unknown: UnknownEvent[];
  skipped: string[];
  /** How many of the skipped items are replays. */
  replays: number;
}

/**
 * The typed event. Its types are ISAO's documented fields (events.generated.ts); what arrives is
 * not checked against them (the data is passed on as sent), hence the one assertion here.
 */
const typedEvent = <E extends IsaoEvent>(
  name: E,
  data: RawRecord,
  record: EventRecord,
  meta: Partial<EventMeta>,
): EventFor<E> => {
  const event: IsaoWebhookEvent<E> = {
    name,
    id: meta.id ?? null,
    occurredAt: meta.occurred_at ?? null,
    data,
    record: record as IsaoEventTypes[E]['record'],
  };
  return event;
};

/** Why a signed event is refused as a replay at `now` (undefined when it is not one). */
const replayOf = (
  meta: Partial<EventMeta>,
  now: number,
  toleranceMs: number,
): string | undefined => {
  const { occurred_at: occurredAt } = meta;
  // Stryker disable next-line ConditionalExpression: eventTime gives NaN for an empty time, which the next line takes as no replay
  if (!occurredAt) return undefined;
  const at = eventTime(occurredAt);
  if (Number.isNaN(at) || now - at <= toleranceMs) return undefined;
  const which = meta.id ? ` ${quote(meta.id, 60)}` : '';
  return `The signed event${which} is from ${quote(occurredAt, 40)} (read as ${new Date(at).toISOString()}), older than the replay window of ${String(toleranceMs / 1000)} s: a request captured and sent again, or a clock far off.`;
};

/** What one item of a body is. */
type ItemReading =
  | { kind: 'skipped'; reason: string; replay: boolean }
  | { kind: 'event'; event: AnyIsaoEvent; key: string }
  | { kind: 'unknown'; unknown: UnknownEvent };

const skipped = (reason: string, replay = false): ItemReading => ({
  kind: 'skipped',
  reason,
  replay,
});

/** One item at `now`: an event of the table, another one, or why it is left out. */
const readItem = (item: RawRecord, now: number, toleranceMs: number): ItemReading => {
  const unwrapped = unwrapEvent(item);
  const { malformed, event: name, entity, meta } = unwrapped;
  if (malformed !== undefined) {
    return skipped(`The webhook item${meta.id ? ` ${quote(meta.id, 60)}` : ''} is ${malformed}.`);
  }
  let known: { name: IsaoEvent; data: RawRecord; record: EventRecord } | undefined;
  if (isIsaoEvent(name)) {
    // the core's reading of an item of the event it names, unwrapped once: its record, as
    // deliveryOf gives it for a webhook of this one item (unsigned, unfiltered), or why none
    const found = eventItem(name, item, unwrapped);
    if (found.kind === 'unusable') return skipped(`${found.reason}.`);
    known = { name, data: found.raw, record: toRecord(EVENTS[name], found) };
  }
  const replay = replayOf(meta, now, toleranceMs);
  if (replay !== undefined) return skipped(replay, true);
  if (known) {
    const { name: event, data, record } = known;
    // an item repeated within one body counts once, as in the core's triggers
    const key = JSON.stringify([event, record.id, record.isao_event_key]);
    // Stryker disable next-line StringLiteral: eventsOf takes an item neither skipped nor unknown as an event, whatever its kind says
    return { kind: 'event', event: typedEvent(event, data, record, meta), key };
  }
  const { id = null, occurred_at: occurredAt = null } = meta;
  return { kind: 'unknown', unknown: { name: name ?? null, id, occurredAt, data: entity ?? null } };
};

/** A body's items read as events at `now`, replays refused past `toleranceMs`. */
export const eventsOf = (
  { events: items, unreadable }: WebhookItems,
  now: number,
  toleranceMs: number,
): Reading => {
  const reading: Reading = { events: [], unknown: [], skipped: [...unreadable], replays: 0 };
  const seen = new Set<string>();
  for (const item of items) {
    const read = readItem(item, now, toleranceMs);
    if (read.kind === 'skipped') {
      reading.skipped.push(read.reason);
      if (read.replay) reading.replays += 1;
    } else if (read.kind === 'unknown') {
      reading.unknown.push(read.unknown);
    } else if (!seen.has(read.key)) {
      seen.add(read.key);
      reading.events.push(read.event);
    }
  }
  return reading;
};
