/**
 * ISAO's subscriptions, as every platform keeps them: what subscribing sends
 * (`POST /webhooks/subscribe`), what its answer must hold, which listed subscriptions
 * (`GET /webhooks`) belong to one event and hook URL, and a filter the user filled with blanks.
 * Each platform's adapter makes the calls (Zapier: src/lib/subscriptions.ts; n8n: n8n/).
 */
import type { RawRecord } from './entities';
import type { EventFacts, IsaoEvent } from './events';
import { blankFilter, type FilterValues } from './filters';
import { isRecord, text } from './inputs';
import { unwrapData, unwrapList, type IsaoCall } from './api';

/** A subscription `GET /webhooks` lists for one event and hook URL. */
export interface Listed {
  id: string;
  /** When ISAO created it (epoch ms), NaN when it does not say. */
  createdAt: number;
}

/**
 * A subscription as `GET /webhooks` lists it: active only while ISAO says so (`is_active: true`).
 * ISAO keeps listing a subscription it has stopped, under its id, with `is_active: false`.
 */
export interface ListedSubscription extends Listed {
  active: boolean;
}

/** When a subscription (as subscribe answers it, or as the list shows it) was created. */
export const createdAt = (subscription: RawRecord): number =>
  // Stryker disable next-line StringLiteral: Date.parse reads any text that is not a date as NaN
  Date.parse(text(subscription.created_at) ?? '');

/** The body of `POST /webhooks/subscribe`: the event, the hook URL and the filters set. */
export const subscribeBody = (
  event: IsaoEvent,
  targetUrl: string | undefined,
  filters: FilterValues | undefined,
): RawRecord => ({ event, target_url: targetUrl, ...(filters ? { filters } : {}) });

/** `POST /webhooks/subscribe`: one subscription for the event, the hook URL and its filters. */
export const subscribeCall = (
  event: IsaoEvent,
  targetUrl: string | undefined,
  filters: FilterValues | undefined,
): IsaoCall => ({
  method: 'POST',
  path: '/webhooks/subscribe',
  body: subscribeBody(event, targetUrl, filters),
  permission: 'webhooks:write',
});

/** `DELETE /webhooks/unsubscribe`: one subscription; ISAO's 404 or 410 means already removed. */
export const unsubscribeCall = (id: string): IsaoCall => ({
  method: 'DELETE',
  path: '/webhooks/unsubscribe',
  body: { subscription_id: id },
  acceptStatuses: [404, 410],
  permission: 'webhooks:write',
});

/** `GET /webhooks`: the account's subscriptions (`listedFor` reads them). */
export const LIST_CALL: IsaoCall = {
  method: 'GET',
  path: '/webhooks',
  permission: 'webhooks:read',
};

/** Where a subscribe answer may hold the subscription's secret; ISAO may send both. */
export const SUBSCRIPTION_SECRET_KEYS = ['secret', 'signing_secret'] as const;

/**
 * A subscribe answer, unwrapped: the subscription, its id and its own signing secret (if ISAO
 * gave one); undefined when it holds no subscription_id, which nothing could unsubscribe later.
 */
export const subscribed = (
  data: unknown,
): { subscription: RawRecord; id: string; secret?: string } | undefined => {
  const subscription = unwrapData(data);
  if (!isRecord(subscription)) return undefined;
  const id = text(subscription.subscription_id);
  if (id === undefined) return undefined;
  const secret = text(subscription.secret) ?? text(subscription.signing_secret);
  return { subscription, id, ...(secret === undefined ? {} : { secret }) };
};

/**
 * The subscriptions a `GET /webhooks` answer lists for `event` and exactly this hook URL, active
 * or not: only those, so another workflow's (another URL) or another event's are never touched.
 * The list may come bare or in an envelope (`unwrapList`); undefined when the answer is no list.
 */
export const listedFor = (
  data: unknown,
  event: IsaoEvent,
  targetUrl: string,
): ListedSubscription[] | undefined => {
  const items = unwrapList(data);
  if (!items) return undefined;
  return items.filter(isRecord).flatMap((item) => {
    const id = text(item.subscription_id);
    const mine = item.event_type === event && item.target_url === targetUrl;
    return id !== undefined && mine
      ? [{ id, createdAt: createdAt(item), active: item.is_active === true }]
      : [];
  });
};

export const NOT_A_LIST = 'ISAO answered GET /webhooks without a list of subscriptions.';

/** Why the filters cannot be subscribed with: one holds only blanks (undefined when none does). */
export const blankFilterMessage = (
  facts: EventFacts,
  inputData: Record<string, unknown> | undefined,
): string | undefined => {
  const blank = blankFilter(facts.filters, inputData);
  return (
    blank &&
    `The ${blank.input.label} filter holds only blank values (spaces, commas or invisible characters). Enter at least one value, or clear the field to trigger on every ${facts.noun.toLowerCase()}.`
  );
};
