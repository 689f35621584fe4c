/**
 * From a webhook's items to a trigger's records, the same on every platform: which items are the
 * trigger's event, which are unusable (and why), which pass its filters, and the one record shape
 * they take; the records listed for an editor's test; the static sample and output fields. What
 * a platform adds (its signature header reading, its de-duplication, its way to drop or log) is
 * its adapter's.
 */
import { unwrapData, unwrapList } from './api';
import { boundsProblem } from './bounds';
import { EVENT_OUTPUT_FIELDS, type OutputField, type RawRecord } from './entities';
import { sampleOf, type EventFacts, type IsaoEvent } from './events';
import { matchesFilters, type FilterValues } from './filters';
import { isRecord, quote, text } from './inputs';
import {
  EVENT_KEY,
  fingerprint,
  idOf,
  toEventRecord,
  type EventMeta,
  type EventRecord,
} from './records';
import { replayProblem } from './signatures';
import { unwrapEvent, type UnwrappedEvent, type WebhookItems } from './webhook';

/** One webhook item or listed record, as one trigger sees it. */
type Classified = { kind: 'other' } | Unusable | Found;
type Unusable = { kind: 'unusable'; reason: string };
type Found = { kind: 'event'; raw: RawRecord; meta: Partial<EventMeta>; key: string };

/** ` "evt_1"`, the event's id as a message names it; '' for an event without one. */
const idLabel = (meta: Partial<EventMeta>): string => (meta.id ? ` ${quote(meta.id, 60)}` : '');

/**
 * An item read as an event of `event`, once unwrapped (an item naming another event is the
 * caller's to leave out, as `classify` does): its record's parts, or why it is unusable.
 * Unwrapping read only the item's top levels; an item past the bounds (core/bounds.ts) is
 * unusable before anything walks the whole of it (its digest, its record's shape, the
 * platform's output).
 */
export const eventItem = (
  event: IsaoEvent,
  item: RawRecord,
  { malformed, entity: raw, meta }: UnwrappedEvent,
): Unusable | Found => {
  if (malformed) {
    return { kind: 'unusable', reason: `The ISAO webhook item${idLabel(meta)} is ${malformed}` };
  }
  const past = boundsProblem(item);
  if (past)
    return { kind: 'unusable', reason: `The ISAO ${event} event${idLabel(meta)} is ${past}` };
  if (!raw) {
    return {
      kind: 'unusable',
      reason: `The ISAO ${event} event${idLabel(meta)} carried no record`,
    };
  }
  return { kind: 'event', raw, meta, key: meta.id ?? fingerprint(item) };
};

/** What one webhook item or listed record is to the trigger of `event` (see eventItem). */
const classify = (event: IsaoEvent, item: RawRecord): Classified => {
  const unwrapped = unwrapEvent(item);
  const { malformed, event: named } = unwrapped;
  if (!malformed && named !== undefined && named !== event) return { kind: 'other' };
  return eventItem(event, item, unwrapped);
};

/** What a record is made of: the raw record, its event's metadata and its event key. */
type Parts = Omit<Found, 'kind'>;

/** The record of an item `eventItem` found usable. */
export const toRecord = (facts: EventFacts, found: Parts): EventRecord =>
  toEventRecord(facts.entity, found.raw, { ...found.meta, type: facts.event }, found.key);

/** Keeps the first record of each primary key (`id` + event key): Zapier requires them unique. */
const uniqueRecords = (records: readonly EventRecord[]): EventRecord[] => {
  const seen = new Set<string>();
  return records.filter((record) => {
    const primary = JSON.stringify([record.id, record[EVENT_KEY]]);
    if (seen.has(primary)) return false;
    seen.add(primary);
    return true;
  });
};

/** What a webhook delivers to one trigger. */
export interface Delivery {
  /** The trigger's records, filtered, each primary key once, in the webhook's order. */
  records: EventRecord[];
  /** Why each other item of the trigger's event (or no event) was skipped. */
  skipped: string[];
  /** Set when nothing was usable and something was skipped: the whole webhook is dropped. */
  halt?: string;
}

/**
 * A webhook's records for the trigger of `facts`. Every item is read and checked: one of another
 * event is ignored; one this trigger cannot use (malformed, no record, a signed replay) is
 * skipped with a reason naming its event, and its neighbours still count. `signed`: the webhook's
 * signature was checked, so an event older than the replay window is refused (at `now`).
 */
export const deliveryOf = (
  facts: EventFacts,
  { events, unreadable }: WebhookItems,
  { signed, now, filters }: { signed: boolean; now: number; filters: FilterValues | undefined },
): Delivery => {
  const usable: Found[] = [];
  const skipped = [...unreadable];
  for (const item of events) {
    const found = classify(facts.event, item);
    if (found.kind === 'other') continue;
    if (found.kind === 'unusable') {
      skipped.push(found.reason);
      continue;
    }
    const replay = signed
      ? replayProblem(found.meta.occurred_at ?? null, found.meta.id ?? null, now)
      : undefined;
    if (replay === undefined) usable.push(found);
    else skipped.push(replay);
  }
  const records = uniqueRecords(
    usable.filter((found) => matchesFilters(found.raw, filters)).map((f) => toRecord(facts, f)),
  );
  const [firstSkipped] = skipped;
  if (usable.length === 0 && firstSkipped !== undefined) {
    const more = skipped.length > 1 ? ` (and ${String(skipped.length - 1)} more)` : '';
    return { records, skipped, halt: `${firstSkipped}${more}.` };
  }
  return { records, skipped };
};

/**
 * The records whose event the platform's de-duplication had not seen: `claim` is asked once for
 * the delivery's event ids (two records carried by one event are both new, or both seen) and
 * answers, per id, whether this is its first delivery. A record without an event id cannot be
 * recognised again and is always kept.
 */
export const firstTimeRecords = async (
  records: readonly EventRecord[],
  claim: (eventIds: string[]) => readonly boolean[] | Promise<readonly boolean[]>,
): Promise<EventRecord[]> => {
  // Stryker disable next-line ArrayDeclaration: a record without an event id is kept whatever else is claimed
  const ids = [...new Set(records.flatMap((record) => record.isao_event.id ?? []))];
  const first = await claim(ids);
  const fresh = new Set(ids.filter((_id, i) => first[i]));
  return records.filter((record) => {
    const id = record.isao_event.id;
    return id === null || fresh.has(id);
  });
};

/** The time a listed record's event happened, as far as the record tells. */
const listedAt = (event: IsaoEvent, record: RawRecord): string | undefined =>
  event.endsWith('.created')
    ? text(record.createdAt)
    : (text(record.updatedAt) ?? text(record.createdAt));

/**
 * The items of a `/recent` answer: a list, bare or in an envelope (`unwrapList`), or one record.
 * An envelope is never taken for a record: its items are the records.
 */
export const asRecords = (body: unknown): RawRecord[] => {
  const list = unwrapList(body);
  if (list) return list.filter(isRecord);
  const data = unwrapData(body);
  return isRecord(data) ? [data] : [];
};

/**
 * The records a `/recent` answer lists for the trigger of `facts`, shaped and filtered as
 * deliveries are; a listed record without its own id is skipped (never a made-up record).
 */
export const listedRecords = (
  facts: EventFacts,
  data: unknown,
  filters: FilterValues | undefined,
  limit: number,
): EventRecord[] => {
  const records = asRecords(data).flatMap((item) => {
    const found = classify(facts.event, item);
    if (found.kind !== 'event' || idOf(facts.entity, found.raw) === undefined) return [];
    if (!matchesFilters(found.raw, filters)) return [];
    const meta = { occurred_at: listedAt(facts.event, found.raw), ...found.meta };
    return [toRecord(facts, { ...found, meta })];
  });
  return uniqueRecords(records).slice(0, limit);
};

/** The static sample: the event's sample record as perform delivers it. */
export const sampleFor = (facts: EventFacts): EventRecord =>
  toRecord(facts, {
    raw: sampleOf(facts.event),
    meta: {
      id: 'evt_sample_0001',
      occurred_at: '2024-11-08T10:30:00.000Z',
      source: 'api',
      company_id: 'cmb72clgt0003145mvfrg8iyh',
    },
    key: 'evt_sample_0001',
  });

/** The entity's fields (its `id` part of the primary key), then the event's. */
export const outputFieldsFor = (facts: EventFacts): OutputField[] => [
  ...facts.entity.outputFields.map((field) =>
    field.key === 'id' ? { ...field, primary: true } : field,
  ),
  ...EVENT_OUTPUT_FIELDS,
];
