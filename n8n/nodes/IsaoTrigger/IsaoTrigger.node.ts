/**
 * ISAO Trigger: starts a workflow when ISAO sends the chosen event. Publishing the workflow
 * subscribes this node's webhook URL (`create`), unpublishing unsubscribes (`delete`); each
 * delivery is checked (signature over the raw body), read, filtered and shaped by the core
 * exactly as the Zapier triggers do, and ISAO's retries of one event run the workflow once
 * (shared/dedup.ts states how far that holds).
 */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
  IDataObject,
  INodeProperties,
  INodeType,
  INodeTypeDescription,
  IWebhookResponseData,
} from 'n8n-workflow';
import { deliveryOf, firstTimeRecords } from '../../../core/delivery';
import {
  EVENT_NAMES,
  EVENTS,
  isIsaoEvent,
  type EventFacts,
  type IsaoEvent,
} from '../../../core/events';
import { filtersFrom, type FilterKey, type TriggerFilter } from '../../../core/filters';
import { reasonOf, text } from '../../../core/inputs';
import { headerValue, SIGNATURE_HEADER, signatureProblem } from '../../../core/signatures';
import {
  blankFilterMessage,
  listedFor,
  NOT_A_LIST,
  LIST_CALL,
  subscribeCall,
  subscribed,
  unsubscribeCall,
  type ListedSubscription,
} from '../../../core/subscriptions';
import { eventsIn, readWebhook, type WebhookRead } from '../../../core/webhook';
import { DELIVERED } from '../../shared/dedup';
import { apiError, operationError } from '../../shared/errors';
import { asDataObject } from '../../shared/json';
import type { HookContext, RequestContext, WebhookContext } from '../../shared/contexts';
import { credentialsOf, CREDENTIAL, credentialTest, isaoRequest } from '../../shared/request';

/** The Zapier help's advice on typing values, which n8n's one-value-per-entry list replaces. */
const ZAPIER_LIST_ADVICE = / One value per line.*$/s;

/** Every filter some event offers, each once, with the events that offer it. */
const filterProperties = (): INodeProperties[] => {
  const byKey = new Map<FilterKey, { filter: TriggerFilter; events: IsaoEvent[] }>();
  for (const event of EVENT_NAMES) {
    for (const filter of EVENTS[event].filters) {
      const entry = byKey.get(filter.key) ?? { filter, events: [] };
      entry.events.push(event);
      byKey.set(filter.key, entry);
    }
  }
  return [...byKey.values()].map(({ filter, events }) => ({
    displayName: filter.input.label,
    name: filter.key,
    type: 'string',
    typeOptions: { multipleValues: true },
    default: [],
    placeholder: `Add ${filter.input.label}`,
    description: `${filter.input.helpText.replace(ZAPIER_LIST_ADVICE, '')} Add each value as its own entry (a comma is part of the value); the trigger fires when any of them matches (case-insensitive). Leave empty to trigger on every record.`,
    displayOptions: { show: { event: events } },
  }));
};

/** The event the node is set to; an unknown one (a workflow edited by hand) is refused. */
const factsOf = (context: HookContext | WebhookContext): EventFacts => {
  const event: unknown = context.getNodeParameter('event');
  if (!isIsaoEvent(event)) {
    throw operationError(
      context.getNode(),
      `The ISAO Trigger's Event is not one ISAO sends; choose one of: ${EVENT_NAMES.join(', ')}.`,
    );
  }
  return EVENTS[event];
};

/** The node's filter parameters, as the core's filter readers take them. */
const filterInputs = (
  context: HookContext | WebhookContext,
  facts: EventFacts,
): Record<string, unknown> =>
  Object.fromEntries(
    facts.filters.map(({ key }): [string, unknown] => [key, context.getNodeParameter(key, [])]),
  );

/** This node's webhook URL: the subscription's target. */
const targetUrlOf = (context: HookContext): string => {
  const url = context.getNodeWebhookUrl('default');
  if (url === undefined) {
    throw operationError(context.getNode(), 'n8n gave no webhook URL for this node.');
  }
  return url;
};

/** What the node keeps about its subscription, in the workflow's static data for this node. */
interface Subscription {
  id: string | undefined;
  secret: string | undefined;
}

const subscriptionOf = (state: IDataObject): Subscription => ({
  id: text(state.subscriptionId),
  secret: text(state.secret),
});

const forget = (state: IDataObject): void => {
  delete state.subscriptionId;
  delete state.secret;
};

/** A 2xx ISAO answer that is not what the call needs. */
const invalidResponse = (context: RequestContext, message: string): Error =>
  apiError(context.getNode(), { kind: 'error', code: 'invalid_response', status: 502, message });

/** The subscriptions ISAO lists for the event and exactly this node's webhook URL. */
const listed = async (
  context: HookContext,
  event: IsaoEvent,
  targetUrl: string,
  secrets: readonly unknown[],
): Promise<ListedSubscription[]> => {
  const { data } = await isaoRequest(context, { ...LIST_CALL, secrets });
  const found = listedFor(data, event, targetUrl);
  if (!found) {
    throw invalidResponse(context, NOT_A_LIST);
  }
  return found;
};

/** Removes one subscription; ISAO's 404 or 410 (already gone) counts as removed. */
const unsubscribe = async (
  context: HookContext,
  id: string,
  secrets: readonly unknown[],
): Promise<void> => {
  await isaoRequest(context, { ...unsubscribeCall(id), secrets });
};

/**
 * checkExists: true only while ISAO lists the subscription this node made (its id in static data)
 * for this webhook URL and event as active. One listed inactive (ISAO stopped it: an unpublish
 * whose answer was lost keeps the id) delivers nothing, so `create` subscribes afresh and removes
 * it. Another subscription for the URL is not adopted: its own secret is unknown here.
 */
const subscriptionExists = async (context: HookContext): Promise<boolean> => {
  const facts = factsOf(context);
  const state = context.getWorkflowStaticData('node');
  const own = subscriptionOf(state);
  const found = await listed(context, facts.event, targetUrlOf(context), [own.secret]);
  // a listed id is never undefined: a node that never subscribed finds none
  if (found.some(({ id, active }) => active && id === own.id)) return true;
  forget(state);
  return false;
};

/**
 * create: subscribes this node's webhook URL to the event with the node's filters, keeps the
 * subscription id and its own secret, then removes (best effort, logged) the other subscriptions
 * ISAO lists for this URL and event: left over by an earlier publish, they would send duplicates.
 */
const subscribe = async (context: HookContext): Promise<boolean> => {
  const facts = factsOf(context);
  const inputs = filterInputs(context, facts);
  const blank = blankFilterMessage(facts, inputs);
  if (blank) throw operationError(context.getNode(), blank);
  const targetUrl = targetUrlOf(context);
  const { data } = await isaoRequest(
    context,
    subscribeCall(facts.event, targetUrl, filtersFrom(facts.filters, inputs)),
  );
  const subscription = subscribed(data);
  if (!subscription) {
    throw invalidResponse(
      context,
      `ISAO accepted the ${facts.event} subscription but did not return a subscription_id, so n8n could not unsubscribe later. Publish the workflow again.`,
    );
  }
  const state = context.getWorkflowStaticData('node');
  forget(state);
  state.subscriptionId = subscription.id;
  if (subscription.secret !== undefined) state.secret = subscription.secret;
  await removeOthers(context, facts.event, targetUrl, subscription);
  return true;
};

/** An error's whole message (the package's own are worded, bounded and redacted already). */
const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : reasonOf(error);

/** The clean-up after subscribing: never fails the publish (the new subscription is in place). */
const removeOthers = async (
  context: HookContext,
  event: IsaoEvent,
  targetUrl: string,
  own: { id: string; secret?: string },
): Promise<void> => {
  try {
    const others = (await listed(context, event, targetUrl, [own.secret])).filter(
      ({ id }) => id !== own.id,
    );
    for (const { id } of others) await unsubscribe(context, id, [own.secret]);
  } catch (error) {
    context.logger.warn(
      `ISAO: could not remove other ${event} subscriptions for this node's webhook URL (${messageOf(error)}); they may send duplicate events until deleted in the ISAO dashboard.`,
    );
  }
};

/** delete: unsubscribes the node's subscription; one ISAO no longer has counts as removed. */
const unsubscribeOwn = async (context: HookContext): Promise<boolean> => {
  const state = context.getWorkflowStaticData('node');
  const own = subscriptionOf(state);
  if (own.id !== undefined) await unsubscribe(context, own.id, [own.secret]);
  forget(state);
  return true;
};

/** The bytes n8n received, exactly: what the signature is over. */
const rawBodyOf = (context: WebhookContext): Uint8Array | undefined =>
  context.getRequestObject().rawBody;

const NO_RAW_BODY =
  'Could not verify the webhook signature: n8n passed no raw request body, so the delivery was refused.';

/** A refused delivery: the status and reason to the sender, and no execution. */
const refuse = (context: WebhookContext, message: string): IWebhookResponseData => {
  context.logger.warn(`ISAO: ${message}`);
  const response = context.getResponseObject();
  response.status(401);
  response.json({ message });
  return { noWebhookResponse: true };
};

/**
 * A delivery that starts no execution, answered 200 so that ISAO does not retry it: the body
 * holds nothing for this trigger, or only what it skips (an unreadable item, a signed replay),
 * or only retries already run. Retrying would bring the same answer; the reason is in the
 * answer and in n8n's log.
 */
const noExecution = (context: WebhookContext, reason: string): IWebhookResponseData => {
  context.logger.info(`ISAO: no execution for a delivery. ${reason}`);
  return { webhookResponse: { received: true, executions: 0, reason } };
};

/**
 * The delivery's events: read from the raw bytes (the signed text), else from n8n's parse of
 * them as it is, never written out again (a body nested thousands deep would overflow
 * JSON.stringify before the core's bounds could skip it).
 */
const eventsOf = (context: WebhookContext, raw: Uint8Array | undefined): WebhookRead =>
  raw ? readWebhook(Buffer.from(raw).toString('utf8')) : eventsIn(context.getBodyData());

/**
 * The subscription a delivery came through, which is what ISAO retries: the trigger node's
 * (workflow and node ids) for the published workflow's URL, or for a test listen's
 * `/webhook-test/` URL, told apart by n8n's mode (`webhook` or `manual`). A test listen while
 * the workflow is published subscribes the second URL, and ISAO sends each event to both: each
 * delivery runs once, and only its retries are dropped. The subscription id in static data cannot
 * say it: in n8n 2.41.1 a delivery reaching n8n while `create` still runs (ISAO has subscribed,
 * n8n has not saved the id) sees the static data as it was, and its retry sees the id.
 */
const subscriptionScope = (context: WebhookContext): (string | undefined)[] => [
  context.getWorkflow().id,
  context.getNode().id,
  context.getMode(),
];

/** One delivery: see the file's comment. */
const receive = async (context: WebhookContext): Promise<IWebhookResponseData> => {
  const facts = factsOf(context);
  const own = subscriptionOf(context.getWorkflowStaticData('node'));
  const secret =
    own.secret ?? credentialsOf(await context.getCredentials(CREDENTIAL)).signingSecret;
  const raw = rawBodyOf(context);
  if (secret !== undefined) {
    const header = headerValue(context.getHeaderData(), SIGNATURE_HEADER);
    const problem = signatureProblem(secret, raw, header);
    // a signature vouches for the bytes sent: without them, nothing can be checked
    if (problem) return refuse(context, problem.kind === 'unread' ? NO_RAW_BODY : problem.message);
  }
  const read = eventsOf(context, raw);
  if ('nothing' in read) return noExecution(context, read.nothing);
  const filters = filtersFrom(facts.filters, filterInputs(context, facts));
  const delivery = deliveryOf(facts, read, {
    signed: secret !== undefined,
    now: Date.now(),
    filters,
  });
  for (const reason of delivery.skipped) {
    context.logger.warn(`ISAO: skipped an item of the webhook. ${reason}.`);
  }
  if (delivery.halt !== undefined) return noExecution(context, delivery.halt);
  const records = await firstTimeRecords(delivery.records, (ids) =>
    DELIVERED.claim(subscriptionScope(context), ids, Date.now()),
  );
  if (records.length === 0) {
    return noExecution(
      context,
      delivery.records.length > 0
        ? 'Every event in it was already delivered to this trigger (an ISAO retry).'
        : `No ${facts.event} record in it passed the trigger's filters.`,
    );
  }
  return { workflowData: [records.map((record) => ({ json: asDataObject(record) }))] };
};

export class IsaoTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'ISAO Trigger',
    name: 'isaoTrigger',
    icon: { light: 'file:../../icons/isao.svg', dark: 'file:../../icons/isao.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["event"]}}',
    description: 'Starts the workflow when ISAO sends a contact, deal or appointment event',
    defaults: { name: 'ISAO Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    // literals, as n8n's lint reads them: a test holds them equal to CREDENTIAL and CREDENTIAL_TEST
    credentials: [{ name: 'isaoApi', required: true, testedBy: 'isaoApiTest' }],
    webhooks: [
      { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
    ],
    properties: [
      {
        displayName: 'Event',
        name: 'event',
        type: 'options',
        required: true,
        default: 'contact.created',
        options: EVENT_NAMES.map((event) => ({
          name: EVENTS[event].label,
          value: event,
          description: EVENTS[event].description,
        })),
      },
      ...filterProperties(),
    ],
  };

  /** The credential's Test (n8n runs it on Test and on every save): shared/request.ts. */
  methods = { credentialTest };

  webhookMethods = {
    default: {
      async checkExists(this: HookContext): Promise<boolean> {
        return subscriptionExists(this);
      },
      async create(this: HookContext): Promise<boolean> {
        return subscribe(this);
      },
      async delete(this: HookContext): Promise<boolean> {
        return unsubscribeOwn(this);
      },
    },
  };

  async webhook(this: WebhookContext): Promise<IWebhookResponseData> {
    return receive(this);
  }
}
