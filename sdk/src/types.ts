/**
 * The typed shape of what a verified delivery holds: one event per ISAO event of the body, typed
 * by its name from the table the core's events come from (events.generated.ts).
 */
import type { IsaoEvent } from '../../core/events';
import type { RawRecord } from '../../core/entities';
import type { IsaoEventTypes } from './events.generated';
import type { Refused } from './problems';

export type { IsaoEvent };

/** One ISAO event of a delivery, its `data` typed by its name. */
export interface IsaoWebhookEvent<E extends IsaoEvent = IsaoEvent> {
  /** The event's name (`deal.won`); a topic alias is read as the event it means. */
  name: E;
  /** ISAO's `metadata.eventId`, the same on every retry; null when the event has none. */
  id: string | null;
  /** The event's `timestamp` as sent, if any. */
  occurredAt: string | null;
  /** ISAO's `data` exactly as sent: the documented fields are typed, any other is `unknown`. */
  data: IsaoEventTypes[E]['data'];
  /**
   * The core's record of it, the same fields as the Zapier and n8n records: every documented
   * field present (null where ISAO sent none), an `id` (the event id when the data had none),
   * `isao_event` and `isao_event_key`; appointments add `custom_fields`.
   */
  record: IsaoEventTypes[E]['record'];
}

/** The event of each name of `E` (the form a generic `E` keeps correlated: it builds events). */
export type EventFor<E extends IsaoEvent> = { [K in E]: IsaoWebhookEvent<K> }[E];

/** Any ISAO event: checking `name` narrows `data` and `record`. */
export type AnyIsaoEvent = EventFor<IsaoEvent>;

/** The events of the names `E`, as a union that checking `name` narrows. */
export type EventOf<E extends IsaoEvent> = Extract<AnyIsaoEvent, { name: E }>;

/** An item naming no event of the table (another event, or a bare record): not typed. */
export interface UnknownEvent {
  /** The name it gave, or null for a bare record. */
  name: string | null;
  id: string | null;
  occurredAt: string | null;
  data: RawRecord | null;
}

/** A delivery whose signature matched one of the secrets. */
export interface Verified {
  ok: true;
  /** The ISAO events, in the body's order; an item repeated within the body counts once. */
  events: AnyIsaoEvent[];
  /** Items naming no event of the table. */
  unknown: UnknownEvent[];
  /** Why each other item was left out (malformed, no record, not an object, older than the window). */
  skipped: string[];
  /** Which secret matched (its position in `secrets`): tells when the old one of a rotation is still in use. */
  signedWith: number;
}

export type VerifyResult = Verified | Refused;

export interface VerifyOptions {
  /** The webhook's signing secret, or several during a rotation (any one may match). */
  secrets: string | readonly string[];
  /** The time to judge replays at, in epoch milliseconds (default: now). */
  now?: number;
  /**
   * The replay window in seconds (default 7200, ISAO's retry window, as the core): a signed
   * event whose `timestamp` is older is refused. A timestamp in the future, or one that cannot
   * be read, is accepted (the de-duplication still drops its retries).
   */
  tolerance?: number;
}
