/**
 * The hook engine: builds a complete REST-hook trigger from its row in the event table
 * (events.ts). Each operation is a named function of those facts: turning a webhook into records
 * (perform) and listing recent records for the editor (performList) are here; subscribing and
 * unsubscribing are subscriptions.ts's job, and reading the webhook body itself webhook.ts's.
 */
import { defineTrigger } from 'zapier-platform-core';
import type {
  Bundle,
  PlainOutputField,
  WebhookTriggerPerform,
  WebhookTriggerPerformList,
  ZObject,
} from 'zapier-platform-core';
import { callApi, unwrapData, unwrapList } from './api';
import { subscribeFor, unsubscribeFor } from './subscriptions';
import { firstDeliveries, verifySignature } from './delivery';
import { replayProblem } from '../../core/signatures';
import { EVENT_OUTPUT_FIELDS, type RawRecord } from '../../core/entities';
import { EVENTS, sampleOf, type EventFacts, type IsaoEvent } from '../../core/events';
import { filtersFrom, matchesFilters } from '../../core/filters';
import { isRecord, quote, reasonOf, text } from '../../core/inputs';
import {
  customFieldKeys,
  EVENT_KEY,
  fingerprint,
  idOf,
  toZapRecord,
  type EventMeta,
  type ZapRecord,
} from '../../core/records';
import { unwrapEvent } from '../../core/webhook';
import { webhookEvents } from './webhook';

export const DEFAULT_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 100;

/** One webhook item or listed record, as one trigger sees it. */
type Classified =
  | { kind: 'other' }
  | { kind: 'unusable'; reason: string }
  | { kind: 'event'; raw: RawRecord; meta: Partial<EventMeta>; key: string };
type Found = Extract<Classified, { kind: 'event' }>;

/** What one webhook item or listed record is to the trigger of `event`. */
const classify = (event: IsaoEvent, item: RawRecord): Classified => {
  const { malformed, event: named, entity: raw, meta } = unwrapEvent(item);
  const id = meta.id ? ` ${quote(meta.id, 60)}` : '';
  if (malformed) return { kind: 'unusable', reason: `The ISAO webhook item${id} is ${malformed}` };
  if (named !== undefined && named !== event) return { kind: 'other' };
  if (!raw) return { kind: 'unusable', reason: `The ISAO ${event} event${id} carried no record` };
  return { kind: 'event', raw, meta, key: meta.id ?? fingerprint(item) };
};

const toRecord = (facts: EventFacts, found: Found): ZapRecord =>
  toZapRecord(facts.entity, found.raw, { ...found.meta, type: facts.event }, found.key);

/** Keeps the first record of each primary key (`id` + event key): Zapier requires them unique. */
const uniqueRecords = (records: readonly ZapRecord[]): ZapRecord[] => {
  const seen = new Set<string>();
  return records.filter((record) => {
    const primary = JSON.stringify([record.id, record[EVENT_KEY]]);
    if (seen.has(primary)) return false;
    seen.add(primary);
    return true;
  });
};

/** The page performList asks for: Zapier's `meta.limit` when a positive whole number, capped. */
export const listLimit = (bundle: Bundle): number => {
  const meta: unknown = bundle.meta; // absent outside Zapier (invoke, tests)
  const asked = isRecord(meta) ? meta.limit : undefined; // -1 or absent: no limit asked
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything but a number
  return typeof asked === 'number' && Number.isInteger(asked) && asked > 0
    ? Math.min(asked, MAX_LIST_LIMIT)
    : DEFAULT_LIST_LIMIT;
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
const asRecords = (body: unknown): RawRecord[] => {
  const list = unwrapList(body);
  if (list) return list.filter(isRecord);
  const data = unwrapData(body);
  return isRecord(data) ? [data] : [];
};

/**
 * perform: a webhook's records. Every item is read and checked first; only then are the events
 * de-duplicated, so nothing is marked delivered that this call does not return. An item this
 * trigger cannot use (malformed, no record, a signed replay) is skipped with a log line naming
 * its event: its neighbours still reach the Zap, and when the sender retries the same batch the
 * delivered ones are recognised as duplicates. Only a webhook with nothing usable at all halts.
 */
const performFor =
  (facts: EventFacts): WebhookTriggerPerform<Record<string, unknown>, ZapRecord> =>
  async (z, bundle) => {
    const signed = verifySignature(z, bundle);
    const wanted = filtersFrom(facts.filters, bundle.inputData);
    const { events, unreadable } = webhookEvents(z, bundle);
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
        ? replayProblem(found.meta.occurred_at ?? null, found.meta.id ?? null, Date.now())
        : undefined;
      if (replay === undefined) usable.push(found);
      else skipped.push(replay);
    }
    const [firstSkipped] = skipped;
    if (usable.length === 0 && firstSkipped !== undefined) {
      const more = skipped.length > 1 ? ` (and ${String(skipped.length - 1)} more)` : '';
      throw new z.errors.HaltedError(`${firstSkipped}${more}.`);
    }
    for (const reason of skipped) z.console.log(`ISAO: skipped an item of the webhook. ${reason}.`);
    const records = uniqueRecords(
      usable
        .filter((found) => matchesFilters(found.raw, wanted))
        .map((found) => toRecord(facts, found)),
    );
    // one cache call per event id: two records carried by one event are both new, or both seen
    const ids = [...new Set(records.flatMap((r) => (r.isao_event.id ? [r.isao_event.id] : [])))];
    const first = await firstDeliveries(z, bundle, ids);
    const fresh = new Set(ids.filter((_id, i) => first[i]));
    return records.filter((r) => r.isao_event.id === null || fresh.has(r.isao_event.id));
  };

/**
 * performList: the editor's test records, only real ones from `/recent`, shaped as perform shapes
 * them and filtered as perform filters them; none gives [] and the editor shows the static sample.
 */
const performListFor =
  (facts: EventFacts): WebhookTriggerPerformList<Record<string, unknown>, ZapRecord> =>
  async (z, bundle) => {
    const limit = listLimit(bundle);
    const wanted = filtersFrom(facts.filters, bundle.inputData);
    // filters apply here, after the API's page: ask for the largest page so matches are found
    const { data } = await callApi(z, bundle, {
      path: `/triggers/${facts.event}/recent`,
      params: { limit: wanted ? MAX_LIST_LIMIT : limit },
      permission: 'webhooks:read',
    });
    // a listed record without its own id is skipped: the editor never shows a made-up record
    const records = asRecords(data).flatMap((item) => {
      const found = classify(facts.event, item);
      if (found.kind !== 'event' || idOf(facts.entity, found.raw) === undefined) return [];
      if (!matchesFilters(found.raw, wanted)) return [];
      const meta = { occurred_at: listedAt(facts.event, found.raw), ...found.meta };
      return [toRecord(facts, { ...found, meta })];
    });
    return uniqueRecords(records).slice(0, limit);
  };

/**
 * Editor only: labels for an appointment's custom fields (`custom_fields__<key>`), read from one
 * recent record of the trigger's event. Any failure falls back to the static fields alone.
 */
const customFieldOutputs =
  (event: IsaoEvent) =>
  async (z: ZObject, bundle: Bundle): Promise<PlainOutputField[]> => {
    try {
      const { data } = await callApi(z, bundle, {
        path: `/triggers/${event}/recent`,
        params: { limit: 1 },
        permission: 'webhooks:read',
      });
      const [first] = asRecords(data);
      const raw = first ? (unwrapEvent(first).entity ?? first) : undefined;
      return customFieldKeys(raw?.fields).map(({ key, label }): PlainOutputField => ({
        key: `custom_fields__${key}`,
        label: label ?? key,
        type: 'string',
      }));
    } catch (error) {
      z.console.log(
        `ISAO: could not read custom field labels for ${event} (${reasonOf(error)}); showing the standard fields only.`,
      );
      return [];
    }
  };

/** The static sample: the event's sample record as perform delivers it. */
const sampleFor = (facts: EventFacts): ZapRecord =>
  toRecord(facts, {
    kind: 'event',
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
const outputFieldsFor = (facts: EventFacts): PlainOutputField[] => [
  ...facts.entity.outputFields.map((field) =>
    field.key === 'id' ? { ...field, primary: true } : field,
  ),
  ...EVENT_OUTPUT_FIELDS,
];

/** The complete REST-hook trigger for an event, typed so callers reach its operations directly. */
export const hookTrigger = (event: IsaoEvent) => {
  const facts = EVENTS[event];
  const outputFields = outputFieldsFor(facts);
  const operation = {
    type: 'hook' as const,
    ...(facts.filters.length > 0 ? { inputFields: facts.filters.map((f) => f.input) } : {}),
    performSubscribe: subscribeFor(facts),
    performUnsubscribe: unsubscribeFor(facts),
    perform: performFor(facts),
    performList: performListFor(facts),
    sample: sampleFor(facts),
    outputFields:
      facts.entity.kind === 'appointment'
        ? [...outputFields, customFieldOutputs(event)]
        : outputFields,
  };
  const trigger = defineTrigger({
    key: facts.trigger,
    noun: facts.noun,
    display: { label: facts.label, description: facts.description },
    operation,
  });
  return { ...trigger, operation };
};
