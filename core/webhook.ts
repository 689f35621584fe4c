/**
 * Reading a webhook body: the bytes a platform received, parsed once, as a list of items, each
 * unwrapped from whichever envelope it came in. Knows nothing of triggers: which items a trigger
 * keeps is the platform adapter's business.
 */
import { isRecord, quote, text } from './inputs';
import type { RawRecord } from './entities';
import { eventNamed } from './events';
import type { EventMeta } from './records';

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

/** The metadata an envelope may carry, in the order records list it. */
const META_KEYS = ['id', 'occurred_at', 'source', 'company_id'] as const;

/** Only the metadata that is known (a loop: this runs for every event of every delivery). */
const defined = (
  meta: Partial<Record<(typeof META_KEYS)[number], string | undefined>>,
): Partial<EventMeta> => {
  const known: Partial<EventMeta> = {};
  for (const key of META_KEYS) {
    const value = meta[key];
    if (value !== undefined) known[key] = value;
  }
  return known;
};

/** An ISAO event name (`contact.created`, `deal.stage_changed`). */
const EVENT_NAME = /^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$/;
const ENVELOPE_KEYS = ['event', 'timestamp', 'data', 'metadata'];

/** The record without the named keys; undefined when nothing is left. */
export const without = (record: RawRecord, keys: readonly string[]): RawRecord | undefined => {
  const rest = Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
  return Object.keys(rest).length > 0 ? rest : undefined;
};

/**
 * Reads the three shapes ISAO events come in: the ISAO envelope `{event, timestamp, data,
 * metadata}`, the topic envelope `{data: {event: {topic, occuredAt, payload}}}`
 * and a bare record. An envelope without a `data` object carries the rest of its body
 * as the record; `entity` is undefined when it carries none (the caller decides, once it knows the
 * event is one it wants).
 */
export const unwrapEvent = (body: RawRecord): UnwrappedEvent => {
  const { event } = body;
  const enveloped = 'data' in body || 'metadata' in body;
  if (event !== undefined && enveloped && (typeof event !== 'string' || !EVENT_NAME.test(event))) {
    // an envelope whose event is not a name (`{"event": 42, "data": {…}}`): no trigger's event,
    // and not a record either
    return {
      malformed: `an envelope whose "event" is not an event name (${quote(event, 40)})`,
      event: undefined,
      entity: undefined,
      meta: defined({ id: isRecord(body.metadata) ? text(body.metadata.eventId) : undefined }),
    };
  }
  // an event name (an envelope with any other "event" was refused above): the ISAO envelope,
  // or, without data and metadata, a flat one whose other keys are the record
  if (typeof event === 'string' && EVENT_NAME.test(event)) {
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
      event: eventNamed(topicEvent.topic) ?? topicEvent.topic,
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

/** A webhook's items: the event objects, and why each other item cannot be one. */
export interface WebhookItems {
  events: RawRecord[];
  /** One reason per array item that is not an object (`null`, `7`, `"text"`). */
  unreadable: string[];
}

/** A body that holds nothing to process, and why: each platform drops it without an error. */
export interface NothingToProcess {
  nothing: string;
}

export type WebhookRead = WebhookItems | NothingToProcess;

/**
 * One event or a JSON array of them. An array item that is not an object cannot be an event for
 * any trigger: it is reported, and the others still count. A body that is neither an object nor
 * a non-empty array holds nothing.
 */
export const eventsIn = (parsed: unknown): WebhookRead => {
  if (!isRecord(parsed) && !(Array.isArray(parsed) && parsed.length > 0)) {
    return {
      nothing:
        'The webhook from ISAO was JSON but not an event object (or a list of them): nothing to process.',
    };
  }
  const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  return {
    events: items.filter(isRecord),
    unreadable: items.flatMap((item, i) =>
      isRecord(item)
        ? []
        : [`Item ${String(i + 1)} of the ISAO webhook is not an event object (${quote(item, 40)})`],
    ),
  };
};

export const EMPTY_BODY = 'The webhook from ISAO had an empty body: nothing to process.';

export const TOO_DEEP_TO_READ =
  'The webhook from ISAO nests too deeply to be read as JSON: nothing to process.';

/** A byte-order mark: some senders put one before UTF-8 text; JSON.parse refuses it. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * The events in a raw body (the text of the exact bytes whose signature was checked), parsed as
 * JSON. One byte-order mark at the very start is not part of the JSON: it is dropped, as JSON
 * parsers commonly read such text (n8n's body parser does), so a signed event is not lost for it.
 * A JSON reader that recurses (node's does not) overflows its stack on a body nested thousands
 * deep: that body holds nothing to process too, and says so.
 */
export const readWebhook = (raw: string): WebhookRead => {
  if (!raw.trim()) return { nothing: EMPTY_BODY };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.startsWith(BYTE_ORDER_MARK) ? raw.slice(1) : raw);
  } catch (error) {
    if (error instanceof RangeError) return { nothing: TOO_DEEP_TO_READ };
    return {
      nothing: `The webhook from ISAO was not valid JSON (it starts ${quote(raw.trim(), 40)}).`,
    };
  }
  return eventsIn(parsed);
};
