/**
 * The end-to-end run's checks, one per step after the set-up, each against the running n8n, the
 * ISAO sandbox and the proxy in front of it (e2e.ts runs them in order): deliveries (signed, the
 * same event again, tampered), a test listen while the workflow is published, the credential's
 * Test, the ISAO node's Create Contact, republishing after an unpublish whose answer was lost,
 * and unpublishing.
 */
import type { Sandbox } from '../../sandbox/server';
import { signWebhook } from '../../sandbox/signing';
import type { Envelope } from '../../sandbox/webhooks';
import { startKeyCatchers } from './catchers';
import type { N8nInstall } from './install';
import type { IsaoProxy } from './isao-proxy';
import { addContact, deliver, differences, subscriptionsFor, zapierRecords } from './isao';
import { waitFor, type N8n } from './n8n';
import {
  executionsOf,
  field,
  finishedExecutions,
  listenForTestEvent,
  nodeOutput,
  nodeStaticData,
  publish,
  runsCarrying,
  testCredential,
  unpublish,
} from './rest';
import { check, say } from './steps';
import {
  CREATE_PATH,
  CREATE_WORKFLOW_ID,
  CREDENTIAL,
  CREDENTIAL_TYPE,
  TRIGGER_WORKFLOW_ID,
} from './workflows';

export const EVENT = 'contact.created';
export const TRIGGER = 'ISAO Trigger';
/** How long an answered delivery gets to show up (or not) as an execution. */
const SETTLE_MS = 3_000;

/** What every check works with. */
export interface Run {
  n8n: N8n;
  install: N8nInstall;
  sandbox: Sandbox;
  /** The ISAO the credential points at: the sandbox, through a proxy that can lose an answer. */
  proxy: IsaoProxy;
  secret: string;
  /** The published trigger's webhook URL, and its test listen's. */
  webhookUrl: string;
  testUrl: string;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** The subscriptions ISAO lists for `url`, once there are some. */
const subscribedFor = (sandbox: Sandbox, url: string, what: string, except?: unknown) =>
  waitFor(what, 20_000, async () => {
    const subs = await subscriptionsFor(sandbox, url);
    return subs.some((s) => s.subscription_id !== except) ? subs : undefined;
  });

/** The one finished execution of `mode` whose ISAO Trigger output carries contact `id`. */
const onlyRun = async (run: Run, mode: string, id: string) => {
  const runs = await runsCarrying(run.n8n, run.install, {
    workflowId: TRIGGER_WORKFLOW_ID,
    node: TRIGGER,
    mode,
    id,
  });
  const [only] = runs;
  check(
    runs.length === 1 && only !== undefined,
    `${String(runs.length)} ${mode} executions carry contact ${id}`,
  );
  return { id: only.execution.id, item: only.item };
};

/** A signed event, the same event again, and a tampered copy, posted to the published trigger. */
export const signedDeliveries = async (run: Run, event: Envelope): Promise<void> => {
  const { n8n, install, sandbox, secret, webhookUrl } = run;
  // the body bytes exactly as the sandbox sends an event (sandbox/webhooks.ts), signed as it signs
  const raw = Buffer.from(JSON.stringify(event), 'utf8');
  const signature = signWebhook(secret, raw);

  const first = await deliver(webhookUrl, raw, event, signature);
  check(
    first.status === 200,
    `the signed delivery got HTTP ${String(first.status)}: ${first.body}`,
  );
  const [latest] = await finishedExecutions(n8n, TRIGGER_WORKFLOW_ID, 1);
  check(latest?.status === 'success', `the execution ended ${String(latest?.status)}`);
  const items = await nodeOutput(n8n, install, latest.id, TRIGGER);
  const expected = await zapierRecords(sandbox, secret, raw, signature);
  const [item] = items;
  const [record] = expected;
  check(
    items.length === 1 && expected.length === 1 && item !== undefined && record !== undefined,
    `${String(items.length)} items, the Zapier trigger made ${String(expected.length)}`,
  );
  const differ = differences(item, record);
  check(
    differ.length === 0,
    `the n8n item differs from the Zapier record in ${differ.join(', ')}:\n  n8n:    ${JSON.stringify(item)}\n  Zapier: ${JSON.stringify(record)}`,
  );
  say(
    `   ✓ HTTP 200; execution ${String(latest.id)} output one item, the Zapier trigger's record exactly:`,
  );
  say(`     ${JSON.stringify(item)}`);

  const again = await deliver(webhookUrl, raw, event, signature);
  check(again.status === 200, `the repeated delivery got HTTP ${String(again.status)}`);
  await settle();
  const afterRetry = await executionsOf(n8n, TRIGGER_WORKFLOW_ID);
  check(
    afterRetry.length === 1,
    `the same eventId again started ${String(afterRetry.length - 1)} more execution(s)`,
  );
  say(`   ✓ the same event again: HTTP ${String(again.status)}, no new execution`);

  const tamperedRaw = Buffer.from(raw.toString('utf8').replace('Ada Lovelace', 'Eve Mallory'));
  check(!tamperedRaw.equals(raw), 'could not tamper with the delivery');
  const tampered = await deliver(webhookUrl, tamperedRaw, event, signature);
  check(tampered.status === 401, `the tampered copy got HTTP ${String(tampered.status)}, not 401`);
  await settle();
  check(
    (await executionsOf(n8n, TRIGGER_WORKFLOW_ID)).length === 1,
    'the tampered copy started an execution',
  );
  say('   ✓ a tampered copy: HTTP 401, no execution');
};

/**
 * "Listen for test event" while the workflow is published: n8n subscribes the test URL too, ISAO
 * sends one event (one eventId) to both subscriptions, and both the manual run and the published
 * workflow run it; the test subscription is removed once the test event arrived.
 */
export const testListenWhilePublished = async (run: Run): Promise<void> => {
  const { n8n, sandbox, webhookUrl, testUrl } = run;
  await listenForTestEvent(n8n, TRIGGER_WORKFLOW_ID, TRIGGER);
  const [test] = await subscribedFor(sandbox, testUrl, 'a subscription for the test URL');
  const published = await subscriptionsFor(sandbox, webhookUrl);
  check(published.length === 1, `ISAO lists ${String(published.length)} published subscriptions`);
  say(
    `   ✓ listening for a test event: ISAO lists ${String(test?.subscription_id)} → ${testUrl} beside ${String(published[0]?.subscription_id)} → ${webhookUrl}`,
  );
  const { id, event } = await addContact(sandbox, {
    name: 'Katherine Johnson',
    phoneNumber: '+1 757 555 0199',
    tags: ['nasa'],
  });
  const { eventId } = event.metadata;
  const ran = async (mode: string) => {
    const only = await onlyRun(run, mode, id);
    check(
      field(only.item.isao_event, 'id') === eventId,
      `the ${mode} execution carries event ${JSON.stringify(only.item.isao_event)}, not ${eventId}`,
    );
    return only.id;
  };
  const manual = await ran('manual');
  const production = await ran('webhook');
  say(
    `   ✓ contact ${id}, event ${eventId}, sent to both: the manual run (execution ${String(manual)}) and the published workflow (execution ${String(production)}) each ran it`,
  );
  await waitFor('the test subscription removed', 20_000, async () =>
    (await subscriptionsFor(sandbox, testUrl)).length === 0 ? true : undefined,
  );
  say('   ✓ the test event arrived: n8n stopped listening and ISAO lists no test subscription');
};

/**
 * The credential's Test, through n8n's own credential tester: OK against the sandbox; refused,
 * before any request, for a plain-http Base URL that is not this machine; and refused, without
 * following, for a Base URL answering each redirect status to another origin. The key never
 * reaches the catcher.
 */
export const credentialTests = async (run: Run): Promise<void> => {
  const { n8n, sandbox, proxy, secret } = run;
  const credential = { ...CREDENTIAL, type: CREDENTIAL_TYPE };
  const data = { apiKey: sandbox.apiKey, signingSecret: secret };
  const catchers = await startKeyCatchers();
  const nothingCaught = () => catchers.caught.length === 0;
  try {
    const ok = await testCredential(n8n, credential, { ...data, baseUrl: proxy.baseUrl });
    check(ok.status === 'OK', `the Test against the sandbox answered ${JSON.stringify(ok)}`);
    say(`   ✓ Base URL ${proxy.baseUrl}: OK (${String(ok.message)})`);
    const plain = await testCredential(n8n, credential, { ...data, baseUrl: catchers.catcherUrl });
    check(
      plain.status === 'Error' && String(plain.message).includes('must use https'),
      `a plain-http Base URL on 127.0.0.2 answered ${JSON.stringify(plain)}`,
    );
    check(nothingCaught(), `the key reached ${JSON.stringify(catchers.caught)}`);
    say(`   ✓ Base URL ${catchers.catcherUrl}: Error, nothing sent (${String(plain.message)})`);
    for (const status of [301, 302, 303, 307, 308]) {
      const before = catchers.redirected();
      const baseUrl = catchers.redirecting(status);
      const moved = await testCredential(n8n, credential, { ...data, baseUrl });
      check(
        moved.status === 'Error' &&
          String(moved.message).includes(`answered ${String(status)} (a redirect)`),
        `a Base URL answering ${String(status)} answered ${JSON.stringify(moved)}`,
      );
      check(catchers.redirected() === before + 1, `the ${String(status)} Base URL got no request`);
      check(
        nothingCaught(),
        `the key followed a ${String(status)}: ${JSON.stringify(catchers.caught)}`,
      );
      say(
        `   ✓ Base URL answering ${String(status)} to ${catchers.catcherUrl}: Error, not followed`,
      );
    }
  } finally {
    await catchers.close();
  }
};

/** Webhook → ISAO (Contact → Create): the contact is in ISAO, and its event runs the trigger. */
export const createContact = async (run: Run): Promise<void> => {
  const { n8n, sandbox } = run;
  await publish(n8n, CREATE_WORKFLOW_ID);
  const input = JSON.stringify({
    name: 'Grace Hopper',
    phoneNumber: '+1 202 555 0143',
    email: 'grace@example.com',
    tags: 'navy, vip\nadmiral',
  });
  // a 404 (not registered yet) ran nothing, so asking again cannot add a second contact
  const { res, text } = await waitFor('the Webhook node registered', 15_000, async () => {
    const answer = await fetch(`${n8n.url}/webhook/${CREATE_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: input,
    });
    const body = await answer.text();
    return answer.status === 404 ? undefined : { res: answer, text: body };
  });
  check(
    res.status === 200,
    `the workflow answered HTTP ${String(res.status)}: ${text.slice(0, 400)}`,
  );
  const contact: unknown = JSON.parse(text);
  const id = field(contact, 'id');
  check(typeof id === 'string', `the ISAO node output no contact id: ${text.slice(0, 400)}`);
  say(`   ✓ the ISAO node output ${JSON.stringify(contact)}`);
  const recent = await sandbox.call('GET', `/triggers/${EVENT}/recent?limit=10`);
  const records: unknown[] = Array.isArray(recent.body) ? recent.body : [];
  const listed = records.find((c) => field(c, 'id') === id);
  check(
    field(listed, 'name') === 'Grace Hopper',
    `ISAO does not list contact ${id} (Grace Hopper)`,
  );
  check(
    JSON.stringify(field(listed, 'tags')) === '["navy","vip","admiral"]',
    `ISAO has the tags ${JSON.stringify(field(listed, 'tags'))}, not one per line and comma`,
  );
  say(`   ✓ ISAO has contact ${id}: ${JSON.stringify(listed)}`);
  // ISAO's own signed delivery of the new contact reaches the still-published trigger
  const ran = await onlyRun(run, 'webhook', id);
  say(
    `   ✓ the sandbox's own signed ${EVENT} for it ran the trigger workflow (execution ${String(ran.id)})`,
  );
};

/**
 * Unpublishing while ISAO's answers to the unsubscribe are lost (n8n keeps the id), then
 * publishing again while ISAO lists that id as inactive: the trigger subscribes afresh, removes
 * the inactive one, and ISAO's next event runs the workflow.
 */
export const republishAfterLostAnswer = async (run: Run): Promise<void> => {
  const { n8n, sandbox, proxy, webhookUrl } = run;
  const [kept] = await subscriptionsFor(sandbox, webhookUrl);
  const keptId = kept?.subscription_id;
  check(typeof keptId === 'string', 'ISAO lists no subscription for the published workflow');
  proxy.loseUnsubscribeAnswers();
  await unpublish(n8n, TRIGGER_WORKFLOW_ID);
  await waitFor('the unsubscribe reaching ISAO', 20_000, () =>
    Promise.resolve(proxy.lost.includes(keptId) ? true : undefined),
  );
  // n8n's own later attempts, meanwhile, are lost as well
  await settle();
  const state = await nodeStaticData(n8n, TRIGGER_WORKFLOW_ID, TRIGGER);
  check(
    field(state, 'subscriptionId') === keptId && proxy.stopped.has(keptId),
    `after the lost answer: static data ${JSON.stringify(state)}, stopped ${JSON.stringify([...proxy.stopped.keys()])}`,
  );
  say(
    `   ✓ unpublished; ISAO stopped ${keptId} but its answer was lost (${String(proxy.lost.length)} attempt(s)): n8n keeps the id, ISAO lists it with is_active false`,
  );
  await publish(n8n, TRIGGER_WORKFLOW_ID);
  const [fresh] = await subscribedFor(sandbox, webhookUrl, 'a fresh subscription', keptId);
  const freshId = fresh?.subscription_id;
  check(freshId !== keptId, `ISAO lists ${String(freshId)}, the kept id`);
  await waitFor('the inactive subscription removed', 20_000, () =>
    Promise.resolve(proxy.stopped.has(keptId) ? undefined : true),
  );
  say(`   ✓ published again: subscribed afresh (${String(freshId)}), and removed ${keptId}`);
  const { id, event } = await addContact(sandbox, {
    name: 'Mary Jackson',
    phoneNumber: '+1 757 555 0123',
  });
  const ran = await onlyRun(run, 'webhook', id);
  say(
    `   ✓ contact ${id} (event ${event.metadata.eventId}) ran the published workflow (execution ${String(ran.id)})`,
  );
};

/** Unpublishing the trigger's workflow removes its subscription. */
export const unpublishRemoves = async (run: Run): Promise<void> => {
  await unpublish(run.n8n, TRIGGER_WORKFLOW_ID);
  await waitFor('the subscription removed', 20_000, async () =>
    (await subscriptionsFor(run.sandbox, run.webhookUrl)).length === 0 ? true : undefined,
  );
  say('   ✓ unpublished; ISAO lists no subscription for the webhook URL');
};
