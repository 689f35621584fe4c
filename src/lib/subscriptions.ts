/**
 * The subscription lifecycle of a REST-hook trigger: subscribing (performSubscribe) and
 * unsubscribing (performUnsubscribe) one ISAO event for one Zap, and removing the subscriptions a
 * retried subscribe or a lost unsubscribe left behind for the same event and hook URL, best
 * effort and within a time budget. hooks.ts builds the trigger around these.
 */
import type {
  Bundle,
  WebhookTriggerPerformSubscribe,
  WebhookTriggerPerformUnsubscribe,
  ZObject,
} from 'zapier-platform-core';
import { callApi, secretsOf } from './api';
import {
  blankFilterMessage,
  createdAt,
  listedFor,
  NOT_A_LIST,
  LIST_CALL,
  removableBeside,
  subscribeCall,
  subscribed,
  unsubscribeCall,
  type Listed,
} from '../../core/subscriptions';
import { subscriptionOf } from './delivery';
import type { RawRecord } from '../../core/entities';
import type { EventFacts, IsaoEvent } from '../../core/events';
import { filtersFrom } from '../../core/filters';
import { isRecord, reasonOf, shown, text } from '../../core/inputs';

/**
 * Each clean-up call (the list, one removal) gives up after this: the clean-up runs inside
 * subscribe, and a subscribe held past Zapier's time limit is retried, creating the very orphan
 * the clean-up removes.
 */
export const CLEANUP_CALL_TIMEOUT_MS = 5_000;
/** The whole clean-up's time: removals not started by then are skipped, and logged. */
export const CLEANUP_BUDGET_MS = 10_000;

/**
 * The subscriptions ISAO lists (`GET /webhooks`, `webhooks:read`) for `event` and exactly this
 * hook URL: only those, so another Zap's (another URL) or another event's are never touched.
 * The list may come bare or in an envelope (`unwrapList`); only its first page is read.
 * Throws what callApi throws, or an error when the answer is not a list.
 */
const subscriptionsFor = async (
  z: ZObject,
  bundle: Bundle,
  event: IsaoEvent,
  targetUrl: string,
  timeout?: number,
): Promise<Listed[]> => {
  const { data } = await callApi(z, bundle, { ...LIST_CALL, timeout });
  const listed = listedFor(data, event, targetUrl);
  if (!listed) throw new z.errors.Error(NOT_A_LIST, 'invalid_response', 502);
  return listed;
};

/** Removes one ISAO subscription; `gone` when ISAO had already forgotten it (404, 410). */
const removeSubscription = async (
  z: ZObject,
  bundle: Bundle,
  id: string,
  timeout?: number,
): Promise<{ gone: boolean; data: unknown }> => {
  const { status, data } = await callApi(z, bundle, { ...unsubscribeCall(id), timeout });
  return { gone: status === 404 || status === 410, data };
};

/**
 * The clean-up's clock, started now: each call's timeout, CLEANUP_CALL_TIMEOUT_MS or what is
 * left of CLEANUP_BUDGET_MS when less; zero or below once the budget is spent.
 */
const cleanupClock = (): (() => number) => {
  const deadline = Date.now() + CLEANUP_BUDGET_MS;
  return () => Math.min(CLEANUP_CALL_TIMEOUT_MS, deadline - Date.now());
};

const LEFT_OVER =
  'Any left over may send this Zap duplicate events until deleted in the ISAO dashboard.';

/**
 * Best effort, for the Zap's other subscriptions: lists them and removes, one by one, those
 * `older` allows given their creation time and the Zap's own (`own.createdAt`, else the list's
 * entry for `own.id`). One whose age is unknown, or the Zap's own when its age is unknown, could
 * be the Zap's live subscription: it is left in place, with one log line. A failure to list or to
 * remove is logged, naming what failed, and never thrown: the Zap's own subscription is already
 * in place (subscribe) or already removed (unsubscribe). Every call has a short timeout and the
 * whole clean-up one budget, so it never holds the operation near Zapier's time limit.
 * Returns the ids removed (ISAO's 404 or 410 counts as removed).
 */
const removeOthers = async (
  z: ZObject,
  bundle: Bundle,
  event: IsaoEvent,
  own: Listed,
  older: (other: number, own: number) => boolean,
): Promise<string[]> => {
  const targetUrl = text(bundle.targetUrl);
  if (targetUrl === undefined) return [];
  const secrets = secretsOf(bundle);
  const named = (ids: readonly string[]): string =>
    ids.map((id) => `"${shown(id, 60, secrets)}"`).join(', ');
  const timeout = cleanupClock();
  let listed: Listed[];
  try {
    listed = await subscriptionsFor(z, bundle, event, targetUrl, timeout());
  } catch (error) {
    z.console.log(
      `ISAO: could not list the webhooks (GET /webhooks, which needs the \`webhooks:read\` permission) to remove other ${event} subscriptions for this Zap's hook URL: ${reasonOf(error)} ${LEFT_OVER}`,
    );
    return [];
  }
  // NaN compares false: an unknown age on either side is never removable
  const { removable, unknown, ownCreated } = removableBeside(listed, own, older);
  const removed: string[] = [];
  const skipped: string[] = [];
  for (const id of removable.map((other) => other.id)) {
    const left = timeout();
    if (left <= 0) {
      skipped.push(id);
      continue;
    }
    try {
      await removeSubscription(z, bundle, id, left);
      removed.push(id);
    } catch (error) {
      z.console.log(
        `ISAO: could not remove the other ${event} subscription ${named([id])} for this Zap's hook URL (DELETE /webhooks/unsubscribe, which needs the \`webhooks:write\` permission): ${reasonOf(error)} It may send this Zap duplicate events until deleted in the ISAO dashboard.`,
      );
    }
  }
  if (removed.length > 0) {
    z.console.log(
      `ISAO: removed ${String(removed.length)} other ${event} subscription(s) for this Zap's hook URL: ${named(removed)}.`,
    );
  }
  if (skipped.length > 0) {
    z.console.log(
      `ISAO: did not remove ${String(skipped.length)} other ${event} subscription(s) for this Zap's hook URL (${named(skipped)}): the clean-up's ${String(CLEANUP_BUDGET_MS / 1000)} s were used up. ${LEFT_OVER}`,
    );
  }
  if (unknown.length > 0) {
    const whose = Number.isNaN(ownCreated) ? "this Zap's own subscription was" : 'they were';
    z.console.log(
      `ISAO: left ${String(unknown.length)} other ${event} subscription(s) for this Zap's hook URL in place (${named(unknown.map((other) => other.id))}): ISAO did not say when ${whose} created, so any of them could be this Zap's live one. ${LEFT_OVER}`,
    );
  }
  return removed;
};

/** performSubscribe: one ISAO subscription for the event, with the trigger's filters. */
export const subscribeFor =
  (facts: EventFacts): WebhookTriggerPerformSubscribe<Record<string, unknown>, RawRecord> =>
  async (z, bundle) => {
    const blank = blankFilterMessage(facts, bundle.inputData);
    if (blank) throw new z.errors.Error(blank, 'invalid_filter', 400);
    const filters = filtersFrom(facts.filters, bundle.inputData);
    const { data } = await callApi(
      z,
      bundle,
      subscribeCall(facts.event, bundle.targetUrl, filters),
    );
    const answer = subscribed(data);
    if (!answer) {
      throw new z.errors.Error(
        `ISAO accepted the ${facts.event} subscription but did not return a subscription_id, so Zapier could not unsubscribe later. Try turning the Zap on again.`,
        'invalid_response',
        502,
      );
    }
    const { subscription, id } = answer;
    // Zapier retries a subscribe whose answer was lost: the earlier call's subscription is an
    // orphan. This one exists already, so removing the others never leaves the Zap without one.
    // Only one known to be strictly older goes: one created at the same time or later may be a
    // concurrent retry's, which removes this one instead (the newest survives; two of the same
    // second both stay, until unsubscribe removes them).
    await removeOthers(
      z,
      bundle,
      facts.event,
      { id, createdAt: createdAt(subscription) },
      (other, own) => other < own,
    );
    return subscription;
  };

/**
 * Unsubscribe when Zapier lost the subscribe answer but knows the hook URL: removes every
 * subscription ISAO lists for the event and that URL. Here the list is the only way to find
 * them, so a failure to list or to remove one fails the call (naming what failed) instead of
 * leaving a live subscription silently behind. Without the Zap's own creation time nothing tells
 * its subscriptions from a later subscribe's under the same URL, which this removes too.
 */
const unsubscribeByTarget = async (
  z: ZObject,
  bundle: Bundle,
  event: IsaoEvent,
): Promise<RawRecord> => {
  const targetUrl = text(bundle.targetUrl);
  if (targetUrl === undefined) {
    throw new z.errors.Error(
      `This Zap has no ISAO subscription id for ${event} (subscribeData is missing), so there is nothing to unsubscribe. If ISAO still sends events, delete the webhook in the ISAO dashboard.`,
      'missing_subscription',
      400,
    );
  }
  const removed: string[] = [];
  for (const { id } of await subscriptionsFor(z, bundle, event, targetUrl)) {
    await removeSubscription(z, bundle, id);
    removed.push(id);
  }
  z.console.log(
    `ISAO: this Zap had no ISAO subscription id for ${event} (subscribeData is missing); removed the ${String(removed.length)} subscription(s) ISAO listed for its hook URL.`,
  );
  return { subscription_id: null, already_removed: removed.length === 0, also_removed: removed };
};

/**
 * performUnsubscribe: removes the Zap's subscription (one ISAO already forgot, 404 or 410, is
 * fine), then the other subscriptions for its event and hook URL created no later than it (best
 * effort). Without subscribeData, the hook URL alone finds what to remove.
 */
export const unsubscribeFor =
  (facts: EventFacts): WebhookTriggerPerformUnsubscribe<Record<string, unknown>, RawRecord> =>
  async (z, bundle) => {
    const id = subscriptionOf(bundle).subscriptionId;
    if (id === undefined) return unsubscribeByTarget(z, bundle, facts.event);
    const { gone, data } = await removeSubscription(z, bundle, id);
    // only those created no later than the Zap's own: a newer one is a later subscribe's under
    // the same hook URL (the Zap edited, or turned off and on), which must keep receiving events
    const own = { id, createdAt: createdAt(bundle.subscribeData ?? {}) };
    const others = await removeOthers(z, bundle, facts.event, own, (other, mine) => other <= mine);
    return {
      ...(isRecord(data) ? data : {}),
      subscription_id: id,
      already_removed: gone,
      also_removed: others,
    };
  };
