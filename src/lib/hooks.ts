/**
 * The hook engine: builds a complete REST-hook trigger from its row in the event table
 * (events.ts). Each operation is a named function of those facts: subscribing, unsubscribing,
 * turning a webhook into records (perform) and listing recent records for the editor
 * (performList); reading the webhook body itself is webhook.ts's job.
 */
import { defineTrigger } from 'zapier-platform-core';
import type {
  Bundle,
  PlainOutputField,
  WebhookTriggerPerform,
  WebhookTriggerPerformList,
  WebhookTriggerPerformSubscribe,
  WebhookTriggerPerformUnsubscribe,
  ZObject,
} from 'zapier-platform-core';
import { callApi, secretsOf, unwrapData, unwrapList } from './api';
import { firstDeliveries, replayProblem, subscriptionOf, verifySignature } from './delivery';
import { EVENT_OUTPUT_FIELDS, type RawRecord } from './entities';
import { EVENTS, sampleOf, type EventFacts, type IsaoEvent } from './events';
import { blankFilter, filtersFrom, matchesFilters } from './filters';
import { isRecord, quote, reasonOf, shown, text } from './inputs';
import {
  customFieldKeys,
  EVENT_KEY,
  fingerprint,
  idOf,
  toZapRecord,
  type EventMeta,
  type ZapRecord,
} from './records';
import { unwrapEvent, webhookEvents } from './webhook';

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
        ? replayProblem(found.meta.occurred_at ?? null, found.meta.id ?? null)
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

/** A subscription `GET /webhooks` lists for the Zap's event and hook URL. */
interface Listed {
  id: string;
  /** When ISAO created it (epoch ms), NaN when it does not say. */
  createdAt: number;
}

/**
 * Each clean-up call (the list, one removal) gives up after this: the clean-up runs inside
 * subscribe, and a subscribe held past Zapier's time limit is retried, creating the very orphan
 * the clean-up removes.
 */
export const CLEANUP_CALL_TIMEOUT_MS = 5_000;
/** The whole clean-up's time: removals not started by then are skipped, and logged. */
export const CLEANUP_BUDGET_MS = 10_000;

/** When a subscription (as subscribe answers it, or as the list shows it) was created. */
const createdAt = (subscription: RawRecord): number =>
  // Stryker disable next-line StringLiteral: Date.parse reads any text that is not a date as NaN
  Date.parse(text(subscription.created_at) ?? '');

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
  const { data } = await callApi(z, bundle, {
    path: '/webhooks',
    permission: 'webhooks:read',
    timeout,
  });
  const items = unwrapList(data);
  if (!items) {
    throw new z.errors.Error(
      'ISAO answered GET /webhooks without a list of subscriptions.',
      'invalid_response',
      502,
    );
  }
  return items.filter(isRecord).flatMap((item) => {
    const id = text(item.subscription_id);
    const mine = item.event_type === event && item.target_url === targetUrl;
    return id !== undefined && mine ? [{ id, createdAt: createdAt(item) }] : [];
  });
};

/** Removes one ISAO subscription; `gone` when ISAO had already forgotten it (404, 410). */
const removeSubscription = async (
  z: ZObject,
  bundle: Bundle,
  id: string,
  timeout?: number,
): Promise<{ gone: boolean; data: unknown }> => {
  const { status, data } = await callApi(z, bundle, {
    method: 'DELETE',
    path: '/webhooks/unsubscribe',
    body: { subscription_id: id },
    acceptStatuses: [404, 410],
    permission: 'webhooks:write',
    timeout,
  });
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
  const ownCreated = Number.isNaN(own.createdAt)
    ? (listed.find((other) => other.id === own.id)?.createdAt ?? NaN)
    : own.createdAt;
  const others = listed.filter((other) => other.id !== own.id);
  // NaN compares false: an unknown age on either side is never removable
  const removable = others.filter((other) => older(other.createdAt, ownCreated));
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
  const unknown = others.filter(
    (other) => Number.isNaN(other.createdAt) || Number.isNaN(ownCreated),
  );
  if (unknown.length > 0) {
    const whose = Number.isNaN(ownCreated) ? "this Zap's own subscription was" : 'they were';
    z.console.log(
      `ISAO: left ${String(unknown.length)} other ${event} subscription(s) for this Zap's hook URL in place (${named(unknown.map((other) => other.id))}): ISAO did not say when ${whose} created, so any of them could be this Zap's live one. ${LEFT_OVER}`,
    );
  }
  return removed;
};

/** performSubscribe: one ISAO subscription for the event, with the trigger's filters. */
const subscribeFor =
  (facts: EventFacts): WebhookTriggerPerformSubscribe<Record<string, unknown>, RawRecord> =>
  async (z, bundle) => {
    const blank = blankFilter(facts.filters, bundle.inputData);
    if (blank) {
      throw new z.errors.Error(
        `The ${blank.input.label ?? blank.key} filter holds only blank values (spaces, commas or invisible characters). Enter at least one value, or clear the field to trigger on every ${facts.noun.toLowerCase()}.`,
        'invalid_filter',
        400,
      );
    }
    const filters = filtersFrom(facts.filters, bundle.inputData);
    const { data } = await callApi(z, bundle, {
      method: 'POST',
      path: '/webhooks/subscribe',
      body: { event: facts.event, target_url: bundle.targetUrl, ...(filters ? { filters } : {}) },
      permission: 'webhooks:write',
    });
    const subscription = unwrapData(data);
    const id = isRecord(subscription) ? text(subscription.subscription_id) : undefined;
    if (!isRecord(subscription) || id === undefined) {
      throw new z.errors.Error(
        `ISAO accepted the ${facts.event} subscription but did not return a subscription_id, so Zapier could not unsubscribe later. Try turning the Zap on again.`,
        'invalid_response',
        502,
      );
    }
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
const unsubscribeFor =
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
