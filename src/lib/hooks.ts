/**
 * The hook engine. A trigger file declares what differs (key, event, entity, wording, filters);
 * subscribing, unsubscribing, unwrapping webhook bodies and listing recent records live here.
 */
import { defineTrigger } from 'zapier-platform-core';
import type { Bundle, PlainInputField, ZObject } from 'zapier-platform-core';
import { callApi, isRecord, unwrapData } from './api';
import { firstDelivery, rejectReplay, verifySignature } from './delivery';
import type { Entity, RawRecord } from './entities';
import { listOf } from './inputs';
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
  entity: RawRecord;
  meta: Partial<EventMeta>;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : undefined;

/** Only the metadata that is known. */
const defined = (meta: Record<string, string | undefined>): Partial<EventMeta> =>
  Object.fromEntries(Object.entries(meta).filter((entry) => entry[1] !== undefined));

/**
 * Reads the three shapes ISAO events come in: the ISAO envelope `{event, timestamp, data,
 * metadata}` (seed 001), the topic envelope `{data: {event: {topic, occuredAt, payload}}}`
 * (seed 000), and a bare record. Throws when an envelope carries no record.
 */
export const unwrapEvent = (z: ZObject, body: RawRecord): UnwrappedEvent => {
  if (typeof body.event === 'string' && 'data' in body) {
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    if (!isRecord(body.data)) {
      throw new z.errors.HaltedError(`The ISAO ${body.event} event carried no record in "data".`);
    }
    return {
      event: body.event,
      entity: body.data,
      meta: defined({
        id: str(metadata.eventId),
        occurred_at: str(body.timestamp),
        source: str(metadata.source),
        company_id: str(metadata.companyId),
      }),
    };
  }
  const topicEvent = isRecord(body.data) && isRecord(body.data.event) ? body.data.event : undefined;
  if (topicEvent && typeof topicEvent.topic === 'string') {
    const payload = topicEvent.payload;
    const entity =
      isRecord(payload) && isRecord(payload.appointment) ? payload.appointment : payload;
    if (!isRecord(entity)) {
      throw new z.errors.HaltedError(`The ${topicEvent.topic} webhook carried no payload.`);
    }
    return {
      event: TOPICS[topicEvent.topic] ?? topicEvent.topic,
      entity,
      meta: defined({
        id: str(topicEvent.id) ?? str(topicEvent.eventId),
        occurred_at: str(topicEvent.occuredAt) ?? str(topicEvent.occurredAt),
        source: str(topicEvent.source) ?? str(topicEvent.appId),
        company_id: str(topicEvent.businessId),
      }),
    };
  }
  return { event: undefined, entity: body, meta: {} };
};

/**
 * The webhook body: Zapier's parsed `cleanedRequest`, else the raw content parsed here. A signed
 * body is always read from the raw content: exactly the bytes whose signature was checked.
 */
export const webhookBody = (z: ZObject, bundle: Bundle, signed = false): RawRecord => {
  const cleaned: unknown = bundle.cleanedRequest;
  if (!signed && isRecord(cleaned) && Object.keys(cleaned).length > 0) return cleaned;
  const raw = bundle.rawRequest?.content ?? '';
  if (!raw.trim()) {
    throw new z.errors.HaltedError('The webhook from ISAO had an empty body: nothing to process.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new z.errors.HaltedError(
      `The webhook from ISAO was not valid JSON (it starts "${raw.slice(0, 40)}").`,
    );
  }
  if (!isRecord(parsed)) {
    throw new z.errors.HaltedError('The webhook from ISAO was JSON but not an object.');
  }
  return parsed;
};

/** The time a listed record's event happened, as far as the record tells. */
const listedAt = (event: IsaoEvent, record: RawRecord): string | undefined =>
  event.endsWith('.created')
    ? str(record.createdAt)
    : (str(record.updatedAt) ?? str(record.createdAt));

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

  const perform = async (z: ZObject, bundle: Bundle): Promise<ZapRecord[]> => {
    const signed = verifySignature(z, bundle);
    const { event: named, entity: raw, meta } = unwrapEvent(z, webhookBody(z, bundle, signed));
    if (named !== undefined && named !== event) return [];
    if (signed) rejectReplay(z, meta.occurred_at ?? null);
    if (!(await firstDelivery(z, bundle, meta.id ?? null))) return [];
    return [record(raw, meta)];
  };

  const performList = async (z: ZObject, bundle: Bundle): Promise<ZapRecord[]> => {
    const path = `/triggers/${event}`;
    const recent = await callApi(z, {
      path: `${path}/recent`,
      params: { limit: listLimit(bundle) },
    });
    let items = asRecords(recent.data);
    if (items.length === 0) items = asRecords((await callApi(z, { path: `${path}/sample` })).data);
    return items.map((item) => {
      const { event: named, entity: raw, meta } = unwrapEvent(z, item);
      return named === undefined
        ? record(raw, defined({ occurred_at: listedAt(event, raw) }))
        : record(raw, meta);
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
    if (!isRecord(subscription) || str(subscription.subscription_id) === undefined) {
      throw new z.errors.Error(
        `ISAO accepted the ${event} subscription but did not return a subscription_id, so Zapier could not unsubscribe later. Try turning the Zap on again.`,
        'invalid_response',
        502,
      );
    }
    return subscription;
  };

  const performUnsubscribe = async (z: ZObject, bundle: Bundle): Promise<RawRecord> => {
    const subscribeData: unknown = bundle.subscribeData;
    const id = isRecord(subscribeData) ? str(subscribeData.subscription_id) : undefined;
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
