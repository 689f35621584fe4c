/**
 * `npm run e2e:n8n`: the n8n package in a real n8n, offline. Installs the pinned n8n on Node 24
 * (once, into .cache/), builds and packs n8n/ and installs the tarball as a community package
 * (setup.ts), then against the ISAO sandbox, which n8n's credential reaches through a proxy that
 * can lose an answer (isao-proxy.ts), runs the checks of checks.ts: an "ISAO API" credential and
 * an ISAO Trigger workflow are imported and published (ISAO lists a subscription for n8n's
 * webhook URL) → a signed contact.created runs one execution carrying the record the Zapier
 * trigger makes of it, the same event again runs none, a tampered copy gets 401 and runs none →
 * a test listen while published: ISAO sends one event to both URLs, and both the manual run and
 * the published workflow run it → the credential's Test never sends the key to a Base URL the
 * nodes refuse, nor after a redirect → a Webhook → ISAO Create Contact workflow adds a contact to
 * ISAO → an unpublish whose answer is lost, then republishing while ISAO lists the kept id as
 * inactive, subscribes afresh and events arrive → unpublishing removes the subscription.
 * n8n, the proxy and the sandbox are stopped whatever happens. Exits 0 when every step did what it
 * should, 1 naming the step that did not. ISAO_N8N_PACKAGE=<folder> packs that folder as it is
 * instead of building n8n/ (a build made elsewhere, e.g. a release candidate).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import {
  createContact,
  credentialTests,
  EVENT,
  republishAfterLostAnswer,
  signedDeliveries,
  testListenWhilePublished,
  unpublishRemoves,
  type Run,
} from './checks';
import { N8N_VERSION, NODE_VERSION } from './install';
import { startIsaoProxy, type IsaoProxy } from './isao-proxy';
import { addContact, subscriptionsFor } from './isao';
import { createN8n, waitFor, type N8n } from './n8n';
import { field, publish } from './rest';
import { buildAndPack, importAll, installN8n, installPackage } from './setup';
import { check, say, stepRunner } from './steps';
import { PACKAGE, TRIGGER_WORKFLOW_ID } from './workflows';

const SECRET = 'whsec_isao_n8n_e2e';

/** An error's text, without a stack. */
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Waits until n8n has written the package's node types (it does so in the background). */
const nodesLoaded = (n8n: N8n) =>
  waitFor(`${PACKAGE}'s nodes in n8n's /types/nodes.json`, 30_000, async () => {
    const types = await n8n.request('GET', '/types/nodes.json');
    const names = (Array.isArray(types.body) ? types.body : []).map((t) => field(t, 'name'));
    return names.includes(`${PACKAGE}.isaoTrigger`) && names.includes(`${PACKAGE}.isao`)
      ? true
      : undefined;
  });

const main = async (): Promise<number> => {
  const steps = stepRunner();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-n8n-e2e-'));
  let sandbox: Sandbox | undefined;
  let proxy: IsaoProxy | undefined;
  let n8n: N8n | undefined;
  let failed = false;
  const stopAll = () => Promise.all([n8n?.stop(), proxy?.close(), sandbox?.close()]);
  // Ctrl-C or a CI timeout: n8n runs in its own process group, so stop it before leaving
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping n8n and the sandbox (kept: ${home})\n`);
    void stopAll().finally(() => {
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    say(`ISAO for n8n, end to end and offline (n8n ${N8N_VERSION}, Node ${NODE_VERSION})`);

    const install = await steps.step(
      `Install n8n ${N8N_VERSION} on Node 24 into .cache/ (once)`,
      installN8n,
    );

    const tarball = await steps.step(
      'Build and pack n8n/, install it as a community package',
      async () => {
        const file = await buildAndPack(home);
        n8n = await createN8n({ install, home });
        await installPackage(n8n, file);
        return file;
      },
    );
    check(n8n !== undefined, 'n8n was not set up');
    const live = n8n;

    const { run, ada } = await steps.step(
      'Start the ISAO sandbox and n8n; import the credential and the workflows; publish the ISAO Trigger',
      async () => {
        const isao = await startSandbox({ signingSecret: SECRET });
        sandbox = isao;
        const front = await startIsaoProxy(isao.baseUrl);
        proxy = front;
        say(
          `   ✓ ISAO sandbox at ${isao.baseUrl}; n8n's credential reaches it at ${front.baseUrl}`,
        );
        const added = await addContact(isao, {
          name: 'Ada Lovelace',
          phoneNumber: '+44 20 7946 0958',
          email: 'ada@example.com',
          tags: ['vip'],
        });
        say(
          `   ✓ a contact added in ISAO before anything subscribed: event ${added.event.metadata.eventId}`,
        );
        const data = { apiKey: isao.apiKey, baseUrl: front.baseUrl, signingSecret: SECRET };
        const trigger = await importAll(live, data, home, EVENT);
        say(
          '   ✓ imported the "ISAO API" credential and two workflows (n8n import:credentials, import:workflow)',
        );
        await live.start();
        say(`   ✓ n8n ready at ${live.url}`);
        await live.login();
        await nodesLoaded(live);
        say(`   ✓ n8n loaded ${PACKAGE}.isaoTrigger and ${PACKAGE}.isao`);
        await publish(live, TRIGGER_WORKFLOW_ID);
        const webhookUrl = `${live.url}/webhook/${trigger.webhookId}/webhook`;
        const [sub] = await waitFor('a subscription for the webhook URL', 20_000, async () => {
          const subs = await subscriptionsFor(isao, webhookUrl);
          return subs.length > 0 ? subs : undefined;
        });
        check(sub?.event_type === EVENT, `the subscription is for ${String(sub?.event_type)}`);
        say(`   ✓ published; ISAO lists ${String(sub.subscription_id)} (${EVENT}) → ${webhookUrl}`);
        const testUrl = `${live.url}/webhook-test/${trigger.webhookId}/webhook`;
        const ready: Run = {
          n8n: live,
          install,
          sandbox: isao,
          proxy: front,
          secret: SECRET,
          webhookUrl,
          testUrl,
        };
        return { run: ready, ada: added.event };
      },
    );

    await steps.step(`Signed ${EVENT}, the same event again, a tampered copy`, () =>
      signedDeliveries(run, ada),
    );
    await steps.step(
      'Listen for a test event while published: the manual run and the published workflow each get the event',
      () => testListenWhilePublished(run),
    );
    await steps.step(
      "The credential's Test: the key goes nowhere the nodes would not send it",
      () => credentialTests(run),
    );
    await steps.step('Webhook → ISAO (Contact → Create): the contact is added to ISAO', () =>
      createContact(run),
    );
    await steps.step(
      "Unpublish, ISAO's answer lost; publish again while ISAO lists the kept id as inactive: subscribed afresh, events arrive",
      () => republishAfterLostAnswer(run),
    );
    await steps.step('Unpublish the ISAO Trigger workflow: the subscription is removed', () =>
      unpublishRemoves(run),
    );

    say(`\nn8n end to end: all steps passed (${path.basename(tarball)}).`);
    say(steps.summary());
    return 0;
  } catch (error) {
    failed = true;
    process.stderr.write(`\nFAILED at step ${steps.current()}: ${reason(error)}\n`);
    if (n8n) process.stderr.write(`n8n's log, last lines:\n${n8n.logTail(20)}\n`);
    process.stderr.write(`kept for a look: ${home} (n8n's user folder and log)\n`);
    say(steps.summary());
    return 1;
  } finally {
    await stopAll();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    if (!failed) fs.rmSync(home, { recursive: true, force: true });
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`\nFAILED: ${reason(error)}\n`);
    process.exitCode = 1;
  },
);
