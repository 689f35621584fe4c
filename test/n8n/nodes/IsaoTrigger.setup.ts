/**
 * What the ISAO Trigger tests (IsaoTrigger.*.test.ts) share: the node made afresh before each
 * test (this module's `beforeEach`, registered in each test file that imports it), ISAO's
 * envelopes, and a delivery to the node through the mock contexts (test/n8n/contexts.ts).
 */
import { IsaoTrigger } from '../../../n8n/nodes/IsaoTrigger/IsaoTrigger.node';
import { webhookContext } from '../contexts';

// made in each test, so the mutation run sees which test reads which part of the node
export let trigger: IsaoTrigger;
export let hooks: IsaoTrigger['webhookMethods']['default'];
beforeEach(() => {
  trigger = new IsaoTrigger();
  hooks = trigger.webhookMethods.default;
});

export const SUBSCRIPTION_SECRET = 'whsec_subscription_own_secret';

/** An ISAO envelope for `event` carrying `data`, occurred now unless told. */
export const envelope = (
  event: string,
  data: Record<string, unknown>,
  eventId: string,
  timestamp = new Date().toISOString(),
) => ({ event, timestamp, data, metadata: { eventId, source: 'api', companyId: 'co_1' } });

export const contactEvent = (eventId: string, data: Record<string, unknown> = {}) =>
  envelope(
    'contact.created',
    { id: `c_${eventId}`, name: 'Jane Smith', tags: ['lead'], ...data },
    eventId,
  );

/** A delivery of `payload` (serialised once: those are the bytes signed) to the trigger. */
export const deliver = async (
  payload: unknown,
  options: Parameters<typeof webhookContext>[1] = {},
) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const delivery = webhookContext(body, options);
  const result = await trigger.webhook.call(delivery.context);
  return { ...delivery, result };
};

/** The items a delivery started the workflow with (none: no execution). */
export const itemsOf = (result: Awaited<ReturnType<typeof deliver>>['result']) =>
  result.workflowData?.[0]?.map((item) => item.json) ?? [];

export let eventCounter = 0;
/** An event id no other test of the test file uses (the dedup memory lives as long as the file). */
export const freshId = (): string => {
  eventCounter += 1;
  return `evt_${String(eventCounter)}_${String(Date.now())}`;
};
