/**
 * The hook engine: builds a complete REST-hook trigger from its row in the event table
 * (core/events.ts). Each operation is a named function of those facts: perform (the signature,
 * the records core/delivery.ts reads from the webhook, Zapier's de-duplication) and performList
 * (the editor's recent records) are here; subscribing and unsubscribing are subscriptions.ts's
 * job, and choosing which copy of the webhook body to read webhook.ts's.
 */
import { defineTrigger } from 'zapier-platform-core';
import type {
  Bundle,
  PlainOutputField,
  WebhookTriggerPerform,
  WebhookTriggerPerformList,
  ZObject,
} from 'zapier-platform-core';
import { callApi } from './api';
import { subscribeFor, unsubscribeFor } from './subscriptions';
import { firstDeliveries, verifySignature } from './delivery';
import { webhookEvents } from './webhook';
import {
  asRecords,
  deliveryOf,
  firstTimeRecords,
  listedRecords,
  outputFieldsFor,
  sampleFor,
} from '../../core/delivery';
import { EVENTS, type EventFacts, type IsaoEvent } from '../../core/events';
import { filtersFrom } from '../../core/filters';
import { isRecord, reasonOf } from '../../core/inputs';
import { customFieldKeys, type EventRecord } from '../../core/records';
import { unwrapEvent } from '../../core/webhook';

export const DEFAULT_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 100;

/** The page performList asks for: Zapier's `meta.limit` when a positive whole number, capped. */
export const listLimit = (bundle: Bundle): number => {
  const meta: unknown = bundle.meta; // absent outside Zapier (invoke, tests)
  const asked = isRecord(meta) ? meta.limit : undefined; // -1 or absent: no limit asked
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything but a number
  return typeof asked === 'number' && Number.isInteger(asked) && asked > 0
    ? Math.min(asked, MAX_LIST_LIMIT)
    : DEFAULT_LIST_LIMIT;
};

/**
 * perform: a webhook's records. Every item is read and checked first; only then are the events
 * de-duplicated, so nothing is marked delivered that this call does not return. An item this
 * trigger cannot use (malformed, no record, a signed replay) is skipped with a log line naming
 * its event: its neighbours still reach the Zap, and when the sender retries the same batch the
 * delivered ones are recognised as duplicates. Only a webhook with nothing usable at all halts.
 */
const performFor =
  (facts: EventFacts): WebhookTriggerPerform<Record<string, unknown>, EventRecord> =>
  async (z, bundle) => {
    const signed = verifySignature(z, bundle);
    const filters = filtersFrom(facts.filters, bundle.inputData);
    const read = webhookEvents(z, bundle);
    const { records, skipped, halt } = deliveryOf(facts, read, {
      signed,
      now: Date.now(),
      filters,
    });
    if (halt !== undefined) throw new z.errors.HaltedError(halt);
    for (const reason of skipped) z.console.log(`ISAO: skipped an item of the webhook. ${reason}.`);
    return firstTimeRecords(records, (ids) => firstDeliveries(z, bundle, ids));
  };

/**
 * performList: the editor's test records, only real ones from `/recent`, shaped as perform shapes
 * them and filtered as perform filters them; none gives [] and the editor shows the static sample.
 */
const performListFor =
  (facts: EventFacts): WebhookTriggerPerformList<Record<string, unknown>, EventRecord> =>
  async (z, bundle) => {
    const limit = listLimit(bundle);
    const wanted = filtersFrom(facts.filters, bundle.inputData);
    // filters apply here, after the API's page: ask for the largest page so matches are found
    const { data } = await callApi(z, bundle, {
      path: `/triggers/${facts.event}/recent`,
      params: { limit: wanted ? MAX_LIST_LIMIT : limit },
      permission: 'webhooks:read',
    });
    return listedRecords(facts, data, wanted, limit);
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
