/**
 * The instant triggers: one webhook and one trigger module per event of the table. The webhook's
 * parameters are the filters the Zapier trigger offers (core/filters.ts), sent with the
 * subscription; attach subscribes the Make hook URL and keeps the subscription's id, detach
 * removes it; the communication reads each delivery (reading.ts). Labels and descriptions follow
 * Make's naming guidance (developers.make.com/custom-apps-documentation/best-practices/
 * naming-conventions/modules: sentence case, "Watch new [items]", "Triggers when …").
 */
import { createHash } from 'node:crypto';
import { outputFieldsFor, sampleFor } from '../core/delivery';
import type { OutputField } from '../core/entities';
import type { EventFacts, IsaoEvent } from '../core/events';
import type { TriggerFilter } from '../core/filters';
import { SIGNATURE_HEADER } from '../core/signatures';
import { subscribeCall, unsubscribeCall } from '../core/subscriptions';
import { CONNECTION_ID, request, type ModuleDef, type WebhookDef } from './component';
import { REFUSED, responseFor } from './errors';
import { at, interfaceOf, mapTree } from './fields';
import { firstOf, fn, iml, imlText, textList, type JsonObject, type MakeParam } from './iml';
import { communicationOf } from './reading';

/** Each trigger's label and description, in Make's words. */
const WORDING: Readonly<Record<IsaoEvent, readonly [string, string]>> = {
  'contact.created': ['Watch new contacts', 'Triggers when a new contact is created.'],
  'contact.updated': ['Watch updated contacts', 'Triggers when a contact is updated.'],
  'deal.created': ['Watch new deals', 'Triggers when a new deal is created.'],
  'deal.updated': ['Watch updated deals', 'Triggers when a deal is updated.'],
  'deal.stage_changed': [
    'Watch deal stage changes',
    'Triggers when a deal moves to another stage.',
  ],
  'deal.won': ['Watch won deals', 'Triggers when a deal is marked as won.'],
  'deal.lost': ['Watch lost deals', 'Triggers when a deal is marked as lost.'],
  'appointment.created': ['Watch new appointments', 'Triggers when a new appointment is booked.'],
  'appointment.updated': [
    'Watch updated appointments',
    'Triggers when an appointment is updated or rescheduled.',
  ],
  'appointment.deleted': [
    'Watch canceled or deleted appointments',
    'Triggers when an appointment is canceled or deleted.',
  ],
};

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
  // Stryker disable next-line Regex: a trigger's name never starts with a line break, the one character . skips
  pascal(facts.trigger).replace(/^./, (c) => c.toLowerCase());
export const triggerId = (facts: EventFacts): string => `watch${pascal(facts.trigger)}`;

/** The trigger's sample: the Zapier trigger's sample record (core), shaped as the bundle is. */
const triggerSample = (facts: EventFacts): JsonObject => {
  const record = sampleFor(facts);
  const signature = createHash('sha256').update(JSON.stringify(record)).digest('base64');
  const whole = { ...record, eventId: record.isao_event.id, signature };
  return mapTree(triggerFieldsFor(facts), (path) => at(whole, path));
};

/** The Zapier help's advice on typing values, which Make's one-value-per-item list replaces. */
const ZAPIER_LIST_ADVICE = / One value per line.*$/s;

/** A filter as a webhook parameter: a list of texts, sent with the subscription. */
const filterParam = (facts: EventFacts, { key, input }: TriggerFilter): MakeParam => ({
  name: key,
  label: input.label,
  type: 'array',
  spec: { name: 'value', type: 'text', label: 'Value' },
  required: false,
  help: `${input.helpText.replace(ZAPIER_LIST_ADVICE, '')} Add each value as its own item (a comma is part of the value); the trigger fires when any of them matches (case-insensitive). Leave empty to trigger for every ${facts.noun.toLowerCase()}. To change the filters, create a new webhook.`,
});

/** The filters set, as the core sends them (core/filters.ts `filtersFrom`): each list cleaned, an empty one left out. */
const filtersOf = (facts: EventFacts): JsonObject =>
  Object.fromEntries(
    facts.filters.map(({ key }) => {
      const values = textList(`parameters.${key}`, '\n');
      return [key, iml(fn('if', `${fn('length', values)} > 0`, values, 'undefined'))];
    }),
  );

/** What attach saves for detach: the subscription's id, from ISAO's answer (wrapped in `data` or not). */
const SUBSCRIPTION_ID = 'subscriptionId';
const ANSWERED_ID = firstOf(['body.data.subscription_id', 'body.subscription_id'], 'emptystring');

/**
 * Attach: subscribe the Make hook URL with the filters set, and keep the subscription id that
 * detach needs. An answer without the id is refused (as the core's `subscribed` refuses it):
 * nothing could remove that subscription later; `{success: false}` in the core's words.
 */
const attachOf = (facts: EventFacts): JsonObject => {
  const subscribe = subscribeCall(facts.event, iml('webhook.url'), undefined);
  const filters = facts.filters.length > 0 ? { filters: filtersOf(facts) } : {};
  const noId = `ISAO accepted the ${facts.event} subscription but did not return a subscription_id, so Make could not unsubscribe later. Create the webhook again.`;
  return {
    ...request({ ...subscribe, body: { ...subscribe.body, ...filters } }),
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

/** One event's webhook: its filters, attach, detach, and the reading of each delivery. */
export const webhookFor = (facts: EventFacts): WebhookDef => {
  const unsubscribe = unsubscribeCall(iml(`webhook.${SUBSCRIPTION_ID}`));
  return {
    id: webhookId(facts),
    // Stryker disable next-line Regex: every wording starts with its one "Watch "
    label: WORDING[facts.event][0].replace(/^Watch (.)/, (_m, first: string) =>
      first.toUpperCase(),
    ),
    webhookType: 'web',
    connection: CONNECTION_ID,
    codes: {
      communication: communicationOf(facts, triggerFieldsFor(facts)),
      params: facts.filters.map((filter) => filterParam(facts, filter)),
      attach: attachOf(facts),
      detach: { ...request(unsubscribe), response: responseFor(unsubscribe) },
    },
  };
};

export const triggerFor = (facts: EventFacts): ModuleDef => ({
  id: triggerId(facts),
  label: WORDING[facts.event][0],
  description: WORDING[facts.event][1],
  moduleType: 'instant_trigger',
  connection: CONNECTION_ID,
  webhook: webhookId(facts),
  codes: {
    staticParams: [],
    interface: interfaceOf(triggerFieldsFor(facts)),
    samples: triggerSample(facts),
  },
});
