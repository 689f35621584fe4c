/**
 * The instant triggers: one webhook and one trigger module per event of the table. Attach
 * subscribes the Make hook URL and keeps the subscription's id, detach removes it; the
 * communication reads each delivery (reading.ts).
 */
import { createHash } from 'node:crypto';
import { outputFieldsFor, sampleFor } from '../core/delivery';
import type { OutputField } from '../core/entities';
import type { EventFacts } from '../core/events';
import { SIGNATURE_HEADER } from '../core/signatures';
import { subscribeCall, unsubscribeCall } from '../core/subscriptions';
import { CONNECTION_ID, request, type ModuleDef, type WebhookDef } from './component';
import { REFUSED, responseFor } from './errors';
import { at, interfaceOf, mapTree } from './fields';
import { firstOf, fn, iml, imlText, type JsonObject } from './iml';
import { communicationOf } from './reading';

/**
 * What Make adds to the Zapier trigger's fields, at the top of every bundle: the event id a
 * data store can remember (instant triggers have no de-duplication of their own) and the
 * signature ISAO sent, passed through (a Make webhook never sees the raw body, so it cannot be
 * checked there: docs/make.md).
 */
export const MAKE_TRIGGER_FIELDS: OutputField[] = [
  { key: 'eventId', label: 'Event ID (for skipping retried events)', type: 'string' },
  {
    key: 'signature',
    label: `Signature (${SIGNATURE_HEADER} header, not verified)`,
    type: 'string',
  },
];

/** A trigger's fields: the Zapier trigger's (core/delivery.ts), then Make's own. */
export const triggerFieldsFor = (facts: EventFacts): OutputField[] => [
  ...outputFieldsFor(facts),
  ...MAKE_TRIGGER_FIELDS,
];

/** `new_contact` → `NewContact`. */
const pascal = (key: string): string =>
  key.replace(/(?:^|_)([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

export const webhookId = (facts: EventFacts): string =>
  pascal(facts.trigger).replace(/^./, (c) => c.toLowerCase());
export const triggerId = (facts: EventFacts): string => `watch${pascal(facts.trigger)}`;

/** The trigger's sample: the Zapier trigger's sample record (core), shaped as the bundle is. */
const triggerSample = (facts: EventFacts): JsonObject => {
  const record = sampleFor(facts);
  const signature = createHash('sha256').update(JSON.stringify(record)).digest('base64');
  const whole = { ...record, eventId: record.isao_event.id, signature };
  return mapTree(triggerFieldsFor(facts), (path) => at(whole, path));
};

/** What attach saves for detach: the subscription's id, from ISAO's answer (wrapped in `data` or not). */
const SUBSCRIPTION_ID = 'subscriptionId';
const ANSWERED_ID = firstOf(['body.data.subscription_id', 'body.subscription_id'], 'emptystring');

/**
 * Attach: subscribe the Make hook URL, and keep the subscription id that
 * detach needs. An answer without the id is refused (as the core's `subscribed` refuses it):
 * nothing could remove that subscription later; `{success: false}` in the core's words.
 */
const attachOf = (facts: EventFacts): JsonObject => {
  const subscribe = subscribeCall(facts.event, iml('webhook.url'), undefined);
  const noId = `ISAO accepted the ${facts.event} subscription but did not return a subscription_id, so Make could not unsubscribe later. Create the webhook again.`;
  return {
    ...request(subscribe),
    response: responseFor(subscribe, {
      valid: {
        condition: iml(`body.success != false && ${ANSWERED_ID} != emptystring`),
        type: 'DataError',
        message: iml(fn('if', 'body.success == false', REFUSED, imlText(noId))),
      },
      data: { [SUBSCRIPTION_ID]: iml(ANSWERED_ID) },
    }),
  };
};

/** One event's webhook: attach, detach, and the reading of each delivery. */
export const webhookFor = (facts: EventFacts): WebhookDef => {
  const unsubscribe = unsubscribeCall(iml(`webhook.${SUBSCRIPTION_ID}`));
  return {
    id: webhookId(facts),
    label: facts.label,
    webhookType: 'web',
    connection: CONNECTION_ID,
    codes: {
      communication: communicationOf(facts, triggerFieldsFor(facts)),
      params: [],
      attach: attachOf(facts),
      detach: { ...request(unsubscribe), response: responseFor(unsubscribe) },
    },
  };
};

export const triggerFor = (facts: EventFacts): ModuleDef => ({
  id: triggerId(facts),
  label: `Watch ${facts.label}`,
  description: facts.description,
  moduleType: 'instant_trigger',
  connection: CONNECTION_ID,
  webhook: webhookId(facts),
  codes: {
    staticParams: [],
    interface: interfaceOf(triggerFieldsFor(facts)),
    samples: triggerSample(facts),
  },
});
