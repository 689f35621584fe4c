/**
 * The hook engine. A trigger file declares what differs (key, event, entity, wording, filters);
 * subscribing, unsubscribing, unwrapping webhook bodies and listing recent records live here.
 */
import { defineTrigger } from 'zapier-platform-core';
import type { Bundle, PlainInputField, ZObject } from 'zapier-platform-core';
import { callApi, isRecord, unwrapData } from './api';
import { firstDelivery, rejectReplay, subscriptionOf, verifySignature } from './delivery';
import type { Entity, RawRecord } from './entities';
import { listOf, text } from './inputs';
import { toZapRecord, type EventMeta, type ZapRecord } from './records';

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
  /** Optional inputs sent to ISAO as `filters[key]` when the user sets them. */
  filters?: readonly PlainInputField[];
}

/** A webhook body as ISAO (or a topic-style sender) delivered it. */
export interface UnwrappedEvent {
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
        `The webhook from ISAO was not valid JSON (it starts "${raw.trim().slice(0, 40)}").`,
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

const listLimit = (bundle: Bundle): number => {
  const meta: unknown = bundle.meta; // absent outside Zapier (invoke, tests)
  const asked = isRecord(meta) ? meta.limit : undefined; // -1 or absent: no limit asked
  return typeof asked === 'number' && asked > 0
    ? Math.min(Math.floor(asked), MAX_LIST_LIMIT)
    : DEFAULT_LIST_LIMIT;
};

/** The non-empty filter inputs, as ISAO's `filters` object (undefined when none is set). */
const filtersFrom = (
  inputs: readonly PlainInputField[],
  inputData: Record<string, unknown>,
): Record<string, string[]> | undefined => {
  const set = inputs.flatMap(({ key }) => {
    const list = listOf(inputData[key]);
    return list.length > 0 ? [[key, list] as const] : [];
  });
  return set.length > 0 ? Object.fromEntries(set) : undefined;
};

/** Builds a complete REST-hook trigger from its declaration. */
export const hookTrigger = <K extends string>(spec: HookTriggerSpec<K>) => {
  const { event, entity } = spec;
  const record = (raw: RawRecord, meta: Partial<EventMeta>): ZapRecord =>
    toZapRecord(entity.kind, raw, { ...meta, type: event });

  /** The event's record, when it is this trigger's event (else undefined). */
  const ours = (z: ZObject, body: RawRecord) => {
    const { event: named, entity: raw, meta } = unwrapEvent(body);
    if (named !== undefined && named !== event) return undefined;
    if (!raw) throw new z.errors.HaltedError(`The ISAO ${event} event carried no record.`);
    return { raw, meta };
  };

  const perform = async (z: ZObject, bundle: Bundle): Promise<ZapRecord[]> => {
    const signed = verifySignature(z, bundle);
    const records: ZapRecord[] = [];
    for (const body of webhookEvents(z, bundle)) {
      const found = ours(z, body);
      if (!found) continue;
      if (signed) rejectReplay(z, found.meta.occurred_at ?? null);
      if (await firstDelivery(z, bundle, found.meta.id ?? null)) {
        records.push(record(found.raw, found.meta));
      }
    }
    return records;
  };

  const performList = async (z: ZObject, bundle: Bundle): Promise<ZapRecord[]> => {
    const path = `/triggers/${event}`;
    const recent = await callApi(z, {
      path: `${path}/recent`,
      params: { limit: listLimit(bundle) },
    });
    let items = asRecords(recent.data);
    if (items.length === 0) items = asRecords((await callApi(z, { path: `${path}/sample` })).data);
    return items.flatMap((item) => {
      const found = ours(z, item);
      if (!found) return [];
      const { raw, meta } = found;
      return [record(raw, { occurred_at: listedAt(event, raw), ...meta })];
    });
  };

  const performSubscribe = async (z: ZObject, bundle: Bundle): Promise<RawRecord> => {
    const filters = filtersFrom(spec.filters ?? [], bundle.inputData);
    const { data } = await callApi(z, {
      method: 'POST',
      path: '/webhooks/subscribe',
      body: { event, target_url: bundle.targetUrl, ...(filters ? { filters } : {}) },
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

  const sample = record(
    { ...entity.sample, ...spec.sample },
    {
      id: 'evt_sample_0001',
      occurred_at: '2024-11-08T10:30:00.000Z',
      source: 'api',
      company_id: 'cmb72clgt0003145mvfrg8iyh',
    },
  );

  return defineTrigger({
    key: spec.key,
    noun: spec.noun,
    display: { label: spec.label, description: spec.description },
    operation: {
      type: 'hook',
      ...(spec.filters ? { inputFields: [...spec.filters] } : {}),
      performSubscribe,
      performUnsubscribe,
      perform,
      performList,
      sample,
      outputFields: entity.outputFields,
    },
  });
};
