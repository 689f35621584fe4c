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

/** A subscription as `GET /webhooks` lists it, with its event and hook URL as ISAO gives them. */
export interface ListedWebhook extends ListedSubscription {
  event: string | undefined;
  targetUrl: string | undefined;
}

/**
 * Every subscription a `GET /webhooks` answer lists (each with a subscription_id; an item without
 * one could not be removed). The list may come bare or in an envelope (`unwrapList`); undefined
 * when the answer is no list.
 */
export const listedWebhooks = (data: unknown): ListedWebhook[] | undefined => {
  const items = unwrapList(data);
  if (!items) return undefined;
  return items.filter(isRecord).flatMap((item) => {
    const id = text(item.subscription_id);
    return id === undefined
      ? []
      : [
          {
            id,
            event: typeof item.event_type === 'string' ? item.event_type : undefined,
            targetUrl: typeof item.target_url === 'string' ? item.target_url : undefined,
            createdAt: createdAt(item),
            active: item.is_active === true,
          },
        ];
  });
};

/**
 * The subscriptions a `GET /webhooks` answer lists for `event` and exactly this hook URL, active
 * or not: only those, so another workflow's (another URL) or another event's are never touched.
 * Undefined when the answer is no list.
 */
export const listedFor = (
  data: unknown,
  event: IsaoEvent,
  targetUrl: string,
): ListedSubscription[] | undefined =>
  listedWebhooks(data)
    ?.filter((item) => item.event === event && item.targetUrl === targetUrl)
    .map(({ id, createdAt, active }) => ({ id, createdAt, active }));

/**
 * Which of the other subscriptions listed for one event and hook URL may be removed beside `own`:
 * those `older` allows given their creation time and own's (`own.createdAt`, else the list's entry
 * for `own.id`). One whose age is unknown, or all when own's is unknown, could be the live one:
 * they are `unknown`, never removable (NaN compares false).
 */
export const removableBeside = <L extends Listed>(
  listed: readonly L[],
  own: Listed,
  older: (other: number, own: number) => boolean,
): { ownCreated: number; others: L[]; removable: L[]; unknown: L[] } => {
  const ownCreated = Number.isNaN(own.createdAt)
    ? (listed.find((other) => other.id === own.id)?.createdAt ?? NaN)
    : own.createdAt;
  const others = listed.filter((other) => other.id !== own.id);
  return {
    ownCreated,
    others,
    removable: others.filter((other) => older(other.createdAt, ownCreated)),
    unknown: others.filter((other) => Number.isNaN(other.createdAt) || Number.isNaN(ownCreated)),
  };
};

/**
 * The one subscription to keep of those listed for one event and hook URL: the newest active one
 * (an unknown age counts as the oldest; of equals, the last listed). Undefined when none is
 * active: ISAO delivers nothing through an inactive one.
 */
export const newestActive = <L extends ListedSubscription>(listed: readonly L[]): L | undefined => {
  const age = (item: L): number => (Number.isNaN(item.createdAt) ? -Infinity : item.createdAt);
  return listed
    .filter((item) => item.active)
    .reduce<L | undefined>(
      (best, item) => (best === undefined || age(item) >= age(best) ? item : best),
      undefined,
    );
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
