/**
 * What the trigger tests share: the trigger table (adding a trigger: one line in TRIGGERS), the
 * records and envelopes ISAO sends, running a trigger's operation through the real core runtime,
 * and ISAO's `GET /webhooks` and `DELETE /webhooks/unsubscribe` answers.
 */
import type { Bundle, Trigger, ZObject } from 'zapier-platform-core';
import App from '../../src';
import { triggers } from '../../src/triggers';
import type { EntityKind } from '../../core/entities';
import {
  api,
  apiPath,
  appTester,
  authData,
  API_KEY,
  fullBundle,
  type BundleParts,
} from '../helpers';

export const TRIGGERS: [key: string, event: string, kind: EntityKind, filters: string[]][] = [
  ['new_contact', 'contact.created', 'contact', ['tags']],
  ['contact_updated', 'contact.updated', 'contact', ['tags']],
  ['new_deal', 'deal.created', 'deal', ['stage']],
  ['deal_updated', 'deal.updated', 'deal', ['stage']],
  ['deal_stage_changed', 'deal.stage_changed', 'deal', ['stage']],
  ['deal_won', 'deal.won', 'deal', []],
  ['deal_lost', 'deal.lost', 'deal', []],
  ['appointment_created', 'appointment.created', 'appointment', ['staff', 'location']],
  ['appointment_updated', 'appointment.updated', 'appointment', ['staff', 'location']],
  ['appointment_deleted', 'appointment.deleted', 'appointment', ['staff', 'location']],
];

/** A trigger's static output fields (appointments add a function for custom field labels). */
export const staticOutputs = (trigger: Trigger) =>
  (trigger.operation.outputFields ?? []).filter(
    (f): f is { key: string; primary?: boolean } => typeof f === 'object',
  );

export type Op = 'perform' | 'performList' | 'performSubscribe' | 'performUnsubscribe';
export type Out = Record<string, unknown>;
export type Key = keyof typeof triggers;
export const TRIGGER_DEFS: Record<string, Trigger | undefined> = App.triggers;
/** A trigger's operation, reached through its own types (hookTrigger's operations are typed). */
export const operationOf = (
  key: string,
  op: Op,
): ((z: ZObject, bundle: Bundle) => Promise<unknown>) => {
  const trigger = triggers[key as Key];
  return async (z, bundle) => trigger.operation[op](z, bundle);
};
export const run = (key: string, op: Op, bundle: BundleParts = {}) =>
  appTester(operationOf(key, op), fullBundle({ authData, ...bundle }));
export const runList = async (key: string, op: Op, bundle: BundleParts = {}) =>
  (await run(key, op, bundle)) as Out[];

export const RECORDS: Record<EntityKind, Out> = {
  contact: {
    id: 'contact_9',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    tags: ['vip'],
    createdAt: '2024-11-08T09:30:00.000Z',
    updatedAt: '2024-11-09T09:30:00.000Z',
  },
  deal: {
    id: 'deal_9',
    title: 'Big deal',
    value: 5000,
    stage: 'Won',
    status: 'won',
    createdAt: '2024-11-01T09:30:00.000Z',
    updatedAt: '2024-11-09T09:30:00.000Z',
  },
  appointment: {
    id: 'appt_9',
    startDateTime: '2024-11-12T13:00:00.000Z',
    client: { firstName: 'Jon', lastName: 'Snow' },
    fields: [
      { label: 'Comments', value: 'Bring X-rays' },
      { label: 'Préférence horaire?', value: 'AM' },
    ],
    createdAt: '2024-11-08T09:30:00.000Z',
    updatedAt: '2024-11-10T09:30:00.000Z',
  },
};

export const envelope = (event: string, data: Out, eventId = 'event_12345') => ({
  event,
  timestamp: '2024-11-08T10:30:00.000Z',
  data,
  metadata: { companyId: 'cmb72clgt0003145mvfrg8iyh', eventId, source: 'api' },
});

export const HOOK = 'https://hooks.zapier.com/hooks/standard/1/abc';
export const EARLIER = '2024-11-08T10:29:00.000Z';
export const NOW = '2024-11-08T10:30:00.000Z';

/** One item of ISAO's `GET /webhooks` answer, as its guide documents it. */
export const listed = (
  subscriptionId: string,
  event: string,
  created = EARLIER,
  targetUrl = HOOK,
) => ({
  id: `hook_${subscriptionId}`,
  subscription_id: subscriptionId,
  event_type: event,
  target_url: targetUrl,
  is_active: true,
  created_at: created,
});

/** ISAO's `GET /webhooks` (with the key), answering these items (subscriptions, as documented). */
export const listWebhooks = (...items: unknown[]) =>
  api()
    .get(apiPath('/webhooks'))
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .reply(200, { success: true, data: items });

/** ISAO's `DELETE /webhooks/unsubscribe` of one subscription, answering `status`. */
export const unsubscribes = (subscriptionId: string, status = 200) =>
  api()
    .delete(apiPath('/webhooks/unsubscribe'), { subscription_id: subscriptionId })
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .reply(
      status,
      status === 200
        ? { success: true, message: 'Webhook unsubscribed successfully' }
        : { success: false, message: `Subscription ${subscriptionId} could not be removed` },
    );
