/**
 * The hook engine. A trigger file declares what differs (key, event, entity, wording, filters);
 * subscribing, unsubscribing, unwrapping webhook bodies and listing recent records live here.
 */
import { defineTrigger } from 'zapier-platform-core';
import type { Bundle, PlainOutputField, ZObject } from 'zapier-platform-core';
import { callApi, isRecord, unwrapData } from './api';
import { firstDeliveries, replayProblem, subscriptionOf, verifySignature } from './delivery';
import { EVENT_OUTPUT_FIELDS, type Entity, type RawRecord } from './entities';
import { blankFilter, filtersFrom, matchesFilters, type TriggerFilter } from './filters';
import { quote, reasonOf, text } from './inputs';
import {
  customFieldKeys,
  EVENT_KEY,
  fingerprint,
  toZapRecord,
  type EventMeta,
  type ZapRecord,
} from './records';

export const EVENTS = [
  'contact.created',
  'contact.updated',
  'deal.created',
  'deal.updated',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
  'appointment.created',
  'appointment.updated',
  'appointment.deleted',
] as const;
export type IsaoEvent = (typeof EVENTS)[number];

/** Topic-style appointment webhooks (seed 000) and the ISAO events they are. */
export const TOPICS: Readonly<Record<string, IsaoEvent>> = {
  appointment_create: 'appointment.created',
  appointment_update: 'appointment.updated',
  appointment_destroy: 'appointment.deleted',
};

export const DEFAULT_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 100;

/** What a trigger file declares. */
export interface HookTriggerSpec<K extends string> {
  key: K;
  event: IsaoEvent;
  entity: Entity;
  noun: string;
  label: string;
  description: string;
  /** Event-specific touches to the entity's sample (a won deal has status "won"). */
  sample?: RawRecord;
  /** Optional filters (filters.ts): sent to ISAO on subscribe, applied to every record. */
  filters?: readonly TriggerFilter[];
}

/** A webhook body as ISAO (or a topic-style sender) delivered it. */
export interface UnwrappedEvent {
  /** Why the body is not a usable event for any trigger (a malformed envelope), if it is not. */
  malformed?: string;
  /** The event it names, or undefined for a bare record. */
  event: string | undefined;
  /** The record it carries; undefined when an envelope carries none. */
  entity: RawRecord | undefined;
  meta: Partial<EventMeta>;
}

/** Only the metadata that is known. */
const defined = (meta: Record<string, string | undefined>): Partial<EventMeta> =>
  Object.fromEntries(Object.entries(meta).filter((entry) => entry[1] !== undefined));

/** An ISAO event name (`contact.created`, `deal.stage_changed`). */
const EVENT_NAME = /^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$/;
const ENVELOPE_KEYS = ['event', 'timestamp', 'data', 'metadata'];

/** The record without the named keys; undefined when nothing is left. */
const without = (record: RawRecord, keys: readonly string[]): RawRecord | undefined => {
  const rest = Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
  return Object.keys(rest).length > 0 ? rest : undefined;
};

/**
 * Reads the three shapes ISAO events come in: the ISAO envelope `{event, timestamp, data,
 * metadata}` (seed 001), the topic envelope `{data: {event: {topic, occuredAt, payload}}}`
 * (seed 000), and a bare record. An envelope without a `data` object carries the rest of its body
 * as the record; `entity` is undefined when it carries none (the caller decides, once it knows the
 * event is one it wants).
 */
export const unwrapEvent = (body: RawRecord): UnwrappedEvent => {
  const { event } = body;
  if (event !== undefined && typeof event !== 'string' && ('data' in body || 'metadata' in body)) {
    // an envelope whose event is not a name (`{"event": 42, "data": {…}}`): no trigger's event,
    // and not a record either
    return {
      malformed: `an envelope whose "event" is not an event name (${quote(event, 40)})`,
      event: undefined,
      entity: undefined,
      meta: defined({ id: isRecord(body.metadata) ? text(body.metadata.eventId) : undefined }),
    };
  }
  if (
    typeof event === 'string' &&
    ('data' in body || 'metadata' in body || EVENT_NAME.test(event))
  ) {
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    // no `data` key at all: the rest of the body is the record
    const entity = isRecord(body.data)
      ? body.data
      : 'data' in body
        ? undefined
        : without(body, ENVELOPE_KEYS);
    return {
      event,
      entity,
      meta: defined({
        id: text(metadata.eventId),
        occurred_at: text(body.timestamp),
        source: text(metadata.source),
        company_id: text(metadata.companyId),
      }),
    };
  }
  const topicEvent = isRecord(body.data) && isRecord(body.data.event) ? body.data.event : undefined;
  if (topicEvent && typeof topicEvent.topic === 'string') {
    const payload = topicEvent.payload;
    const entity =
      isRecord(payload) && isRecord(payload.appointment) ? payload.appointment : payload;
    return {
      event: TOPICS[topicEvent.topic] ?? topicEvent.topic,
      entity: isRecord(entity) ? entity : undefined,
      meta: defined({
        id: text(topicEvent.id) ?? text(topicEvent.eventId),
        occurred_at: text(topicEvent.occuredAt) ?? text(topicEvent.occurredAt),
        source: text(topicEvent.source) ?? text(topicEvent.appId),
        company_id: text(topicEvent.businessId),
      }),
    };
  }
  return { event: undefined, entity: body, meta: {} };
};

/** One event or a JSON array of them, each an object. */
const asEvents = (z: ZObject, parsed: unknown): RawRecord[] => {
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0 || !items.every(isRecord)) {
    throw new z.errors.HaltedError(
      'The webhook from ISAO was JSON but not an event object (or a list of them): nothing to process.',
    );
  }
  return items;
};

/**
 * The webhook's events. The raw body is read whenever Zapier passes it: exactly the bytes whose
 * signature was checked, and free of what Zapier adds to `cleanedRequest` (the URL's query
 * parameters as `querystring`; for a body it could not parse, the request itself as `{method,
 * querystring, headers, content}`). `cleanedRequest`, minus those, is the fallback.
 */
export const webhookEvents = (z: ZObject, bundle: Bundle): RawRecord[] => {
  const raw = bundle.rawRequest?.content;
  if (typeof raw === 'string' && raw.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new z.errors.HaltedError(
        `The webhook from ISAO was not valid JSON (it starts ${quote(raw.trim(), 40)}).`,
      );
    }
    return asEvents(z, parsed);
  }
  const cleaned: unknown = bundle.cleanedRequest;
  if (Array.isArray(cleaned) && cleaned.length > 0) return asEvents(z, cleaned);
  if (isRecord(cleaned) && !['method', 'headers', 'content'].every((key) => key in cleaned)) {
    const body = without(cleaned, ['querystring']);
    if (body) return [body];
  }
  throw new z.errors.HaltedError('The webhook from ISAO had an empty body: nothing to process.');
};

/** The time a listed record's event happened, as far as the record tells. */
const listedAt = (event: IsaoEvent, record: RawRecord): string | undefined =>
  event.endsWith('.created')
    ? text(record.createdAt)
    : (text(record.updatedAt) ?? text(record.createdAt));

const asRecords = (body: unknown): RawRecord[] => {
  const data = unwrapData(body);
  if (Array.isArray(data)) return data.filter(isRecord);
  return isRecord(data) ? [data] : [];
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

/** One webhook item or listed record, as one trigger sees it. */
type Classified =
  | { kind: 'other' }
  | { kind: 'unusable'; reason: string }
  | { kind: 'event'; raw: RawRecord; meta: Partial<EventMeta>; key: string };

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

/**
 * Editor only: labels for an appointment's custom fields (`custom_fields__<key>`), read from one
 * recent record of the trigger's event. Any failure falls back to the static fields alone.
 */
const customFieldOutputs =
  (event: IsaoEvent) =>
  async (z: ZObject): Promise<PlainOutputField[]> => {
    try {
      const { data } = await callApi(z, {
        path: `/triggers/${event}/recent`,
        params: { limit: 1 },
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

/** Builds a complete REST-hook trigger from its declaration. */
export const hookTrigger = <K extends string>(spec: HookTriggerSpec<K>) => {
  const { event, entity } = spec;
  const filters = spec.filters ?? [];

  /** What one webhook item or listed record is to this trigger. */
  const classify = (item: RawRecord): Classified => {
    const { malformed, event: named, entity: raw, meta } = unwrapEvent(item);
    const id = meta.id ? ` ${quote(meta.id, 60)}` : '';
    if (malformed)
      return { kind: 'unusable', reason: `The ISAO webhook item${id} is ${malformed}` };
    if (named !== undefined && named !== event) return { kind: 'other' };
    if (!raw) return { kind: 'unusable', reason: `The ISAO ${event} event${id} carried no record` };
    return { kind: 'event', raw, meta, key: meta.id ?? fingerprint(item) };
  };

  const record = (found: { raw: RawRecord; meta: Partial<EventMeta>; key: string }) =>
    toZapRecord(entity, found.raw, { ...found.meta, type: event }, found.key);

  /**
   * A webhook's records. Every item is read and checked first; only then are the events
   * de-duplicated, so nothing is marked delivered that this call does not return. An item this
   * trigger cannot use (malformed, no record, a signed replay) is skipped with a log line naming
   * its event: its neighbours still reach the Zap, and when the sender retries the same batch the
   * delivered ones are recognised as duplicates. Only a webhook with nothing usable at all halts.
   */
  const perform = async (z: ZObject, bundle: Bundle): Promise<ZapRecord[]> => {
    const signed = verifySignature(z, bundle);
    const wanted = filtersFrom(filters, bundle.inputData);
    const usable: Extract<Classified, { kind: 'event' }>[] = [];
    const skipped: string[] = [];
    for (const item of webhookEvents(z, bundle)) {
      const found = classify(item);
      if (found.kind === 'other') continue;
      if (found.kind === 'unusable') {
        skipped.push(found.reason);
        continue;
      }
      const replay = signed ? replayProblem(found.meta.occurred_at ?? null) : undefined;
      if (replay) skipped.push(replay);
      else usable.push(found);
    }
    const [firstSkipped] = skipped;
    if (usable.length === 0 && firstSkipped !== undefined) {
      const more = skipped.length > 1 ? ` (and ${String(skipped.length - 1)} more)` : '';
      throw new z.errors.HaltedError(`${firstSkipped}${more}.`);
    }
    for (const reason of skipped) z.console.log(`ISAO: skipped an item of the webhook. ${reason}.`);
    const records = uniqueRecords(
      usable.filter((found) => matchesFilters(found.raw, wanted)).map(record),
    );
    const first = await firstDeliveries(
      z,
      bundle,
      records.map((r) => r.isao_event.id),
    );
    return records.filter((_record, i) => first[i]);
  };

  /**
   * The editor's test records: only real ones from `/recent`, shaped as perform shapes them and
   * filtered as perform filters them; none gives [] and the editor shows the static sample.
   */
  const performList = async (z: ZObject, bundle: Bundle): Promise<ZapRecord[]> => {
    const limit = listLimit(bundle);
    const wanted = filtersFrom(filters, bundle.inputData);
    const { data } = await callApi(z, {
      path: `/triggers/${event}/recent`,
      params: { limit },
    });
    const records = asRecords(data).flatMap((item) => {
      const found = classify(item);
      if (found.kind !== 'event' || !matchesFilters(found.raw, wanted)) return [];
      const meta = { occurred_at: listedAt(event, found.raw), ...found.meta };
      return [record({ ...found, meta })];
    });
    return uniqueRecords(records).slice(0, limit);
  };

  const performSubscribe = async (z: ZObject, bundle: Bundle): Promise<RawRecord> => {
    const blank = blankFilter(filters, bundle.inputData);
    if (blank) {
      throw new z.errors.Error(
        `The ${blank.input.label ?? blank.key} filter holds only blank values (spaces, commas or invisible characters). Enter at least one value, or clear the field to trigger on every ${spec.noun.toLowerCase()}.`,
        'invalid_filter',
        400,
      );
    }
    const set = filtersFrom(filters, bundle.inputData);
    const { data } = await callApi(z, {
      method: 'POST',
      path: '/webhooks/subscribe',
      body: { event, target_url: bundle.targetUrl, ...(set ? { filters: set } : {}) },
    });
    const subscription = unwrapData(data);
    if (!isRecord(subscription) || text(subscription.subscription_id) === undefined) {
      throw new z.errors.Error(
        `ISAO accepted the ${event} subscription but did not return a subscription_id, so Zapier could not unsubscribe later. Try turning the Zap on again.`,
        'invalid_response',
        502,
      );
    }
    return subscription;
  };

  const performUnsubscribe = async (z: ZObject, bundle: Bundle): Promise<RawRecord> => {
    const id = subscriptionOf(bundle).subscriptionId;
    if (id === undefined) {
      throw new z.errors.Error(
        `This Zap has no ISAO subscription id for ${event} (subscribeData is missing), so there is nothing to unsubscribe. If ISAO still sends events, delete the webhook in the ISAO dashboard.`,
        'missing_subscription',
        400,
      );
    }
    const { status, data } = await callApi(z, {
      method: 'DELETE',
      path: '/webhooks/unsubscribe',
      body: { subscription_id: id },
      acceptStatuses: [404, 410],
    });
    const gone = status === 404 || status === 410;
    return { ...(isRecord(data) ? data : {}), subscription_id: id, already_removed: gone };
  };

  const sample = record({
    raw: { ...entity.sample, ...spec.sample },
    meta: {
      id: 'evt_sample_0001',
      occurred_at: '2024-11-08T10:30:00.000Z',
      source: 'api',
      company_id: 'cmb72clgt0003145mvfrg8iyh',
    },
    key: 'evt_sample_0001',
  });

  const outputFields: PlainOutputField[] = [
    ...entity.outputFields.map((field) =>
      field.key === 'id' ? { ...field, primary: true } : field,
    ),
    ...EVENT_OUTPUT_FIELDS,
  ];

  return defineTrigger({
    key: spec.key,
    noun: spec.noun,
    display: { label: spec.label, description: spec.description },
    operation: {
      type: 'hook',
      ...(filters.length > 0 ? { inputFields: filters.map((filter) => filter.input) } : {}),
      performSubscribe,
      performUnsubscribe,
      perform,
      performList,
      sample,
      outputFields:
        entity.kind === 'appointment' ? [...outputFields, customFieldOutputs(event)] : outputFields,
    },
  });
};
