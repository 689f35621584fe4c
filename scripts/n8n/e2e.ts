/**
 * `npm run e2e:n8n`: the n8n package in a real n8n, offline. Installs the pinned n8n on Node 24
 * (once, into .cache/), builds and packs n8n/ and installs the tarball as a community package,
 * then against the ISAO sandbox: an "ISAO API" credential and an ISAO Trigger workflow are
 * imported and published (ISAO lists a subscription for n8n's webhook URL) → a signed
 * contact.created runs one execution carrying the record the Zapier trigger makes of it → the same
 * event again runs none → a tampered copy gets 401 and runs none → a Webhook → ISAO Create Contact
 * workflow adds a contact to ISAO → unpublishing removes the subscription.
 * n8n and the sandbox are stopped whatever happens. Exits 0 when every step did what it should,
 * 1 naming the step that did not. ISAO_N8N_PACKAGE=<folder> packs that folder as it is instead of
 * building n8n/ (a build made elsewhere, e.g. a release candidate).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRecord } from '../../core/inputs';
import { hookBundle, zapierHeaders } from '../../sandbox/hook-bundle';
import { startLocalZapier } from '../../sandbox/local-zapier';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { signWebhook } from '../../sandbox/signing';
import { SIGNATURE_HEADER, type Envelope } from '../../sandbox/webhooks';
import { ensureN8n, N8N_VERSION, NODE_VERSION, run, type N8nInstall } from './install';
import { createN8n, waitFor, type N8n } from './n8n';
import { check, say, stepRunner } from './steps';
import {
  CREATE_PATH,
  CREATE_WORKFLOW_ID,
  credentialFile,
  createContactWorkflow,
  PACKAGE,
  TRIGGER_WORKFLOW_ID,
  triggerWorkflow,
} from './workflows';

type Json = Record<string, unknown>;

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(ROOT, '.cache', `n8n-${N8N_VERSION}`);
const APP = path.join(ROOT, 'index.js');
const SECRET = 'whsec_isao_n8n_e2e';
const EVENT = 'contact.created';
/** How long an answered delivery gets to show up (or not) as an execution. */
const SETTLE_MS = 3_000;

/** A field of a JSON object; undefined for anything else. */
const field = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);

/** An error's text, without a stack. */
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The pinned n8n, installed unless the cache is complete. */
const installN8n = async (): Promise<N8nInstall> => {
  const { install, cached } = await ensureN8n(CACHE, say);
  say(
    cached
      ? `   ✓ n8n ${N8N_VERSION} on Node ${NODE_VERSION} already in ${path.relative(ROOT, CACHE)}`
      : `   ✓ installed n8n ${N8N_VERSION} on Node ${NODE_VERSION} into ${path.relative(ROOT, CACHE)}`,
  );
  return install;
};

/** Builds n8n/ (or takes ISAO_N8N_PACKAGE as built) and packs it; returns the tarball's path. */
const buildAndPack = async (into: string): Promise<string> => {
  const given = process.env.ISAO_N8N_PACKAGE;
  const dir = given ? path.resolve(given) : path.join(ROOT, 'n8n');
  if (given) say(`     ISAO_N8N_PACKAGE: packing ${dir} as it is`);
  else {
    check(fs.existsSync(path.join(dir, 'package.json')), `no n8n package at ${dir}`);
    await run('npm', ['run', 'n8n:build', '--silent'], { cwd: ROOT });
    say('   ✓ npm run n8n:build');
  }
  const output = await run('npm', ['pack', '--pack-destination', into, '--loglevel=error'], {
    cwd: dir,
  });
  const file = path.join(into, output.trim().split('\n').pop() ?? '');
  check(fs.existsSync(file), `npm pack made no tarball (it said: ${output.trim()})`);
  say(`   ✓ packed ${path.basename(file)} (${(fs.statSync(file).size / 1024).toFixed(1)} kB)`);
  return file;
};

/**
 * Installs the tarball the way n8n installs a community package: with npm, into the user
 * folder's `.n8n/nodes`, whose `node_modules/n8n-nodes-*` n8n loads at start. No registry is
 * needed: the package has no dependencies, and n8n-workflow (a peer) is n8n's own.
 */
const installPackage = async (n8n: N8n, tarball: string): Promise<void> => {
  fs.mkdirSync(n8n.nodesDir, { recursive: true });
  fs.writeFileSync(
    path.join(n8n.nodesDir, 'package.json'),
    '{"name":"installed-nodes","private":true}\n',
  );
  await run(
    'npm',
    [
      'install',
      tarball,
      '--legacy-peer-deps',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--offline',
      '--loglevel=error',
    ],
    { cwd: n8n.nodesDir },
  );
  const installed = path.join(n8n.nodesDir, 'node_modules', PACKAGE, 'package.json');
  check(fs.existsSync(installed), `npm did not install ${PACKAGE} into ${n8n.nodesDir}`);
  say(`   ✓ installed into ${n8n.nodesDir}/node_modules/${PACKAGE} (a community package)`);
};

/** The executions n8n stored for a workflow, newest first. */
const executionsOf = async (n8n: N8n, workflowId: string): Promise<Json[]> => {
  const filter = encodeURIComponent(JSON.stringify({ workflowId }));
  const res = await n8n.rest('GET', `/executions?filter=${filter}&limit=100`);
  const results = field(field(res.body, 'data'), 'results');
  check(
    res.status === 200 && Array.isArray(results),
    `GET /rest/executions: HTTP ${String(res.status)}`,
  );
  return results.filter(isRecord);
};

/** Waits until the workflow has `count` finished executions; returns them, newest first. */
const finishedExecutions = (n8n: N8n, workflowId: string, count: number): Promise<Json[]> =>
  waitFor(`${String(count)} finished execution(s) of ${workflowId}`, 20_000, async () => {
    const all = await executionsOf(n8n, workflowId);
    const finished = all.filter((e) => !['new', 'running', 'waiting'].includes(String(e.status)));
    return finished.length >= count ? finished : undefined;
  });

/** The items a node output in an execution (n8n stores run data in its `flatted` form). */
const nodeOutput = async (
  n8n: N8n,
  install: N8nInstall,
  executionId: unknown,
  node: string,
): Promise<Json[]> => {
  const res = await n8n.rest('GET', `/executions/${String(executionId)}`);
  const data = field(field(res.body, 'data'), 'data');
  check(typeof data === 'string', `execution ${String(executionId)} has no stored data`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own copy, in the cache
  const flatted = require(path.join(install.modules, 'flatted')) as {
    parse: (text: string) => unknown;
  };
  const runData = field(field(flatted.parse(data), 'resultData'), 'runData');
  const runs = field(runData, node);
  const main = field(Array.isArray(runs) ? field(runs[0], 'data') : undefined, 'main');
  const items: unknown = Array.isArray(main) ? main[0] : undefined;
  check(Array.isArray(items), `execution ${String(executionId)}: no output from ${node}`);
  return items.map((item) => field(item, 'json')).filter(isRecord);
};

/** Publishes a workflow in the running n8n, as the editor's Publish does. */
const publish = async (n8n: N8n, id: string): Promise<void> => {
  const current = await n8n.rest('GET', `/workflows/${id}`);
  const versionId = field(field(current.body, 'data'), 'versionId');
  check(typeof versionId === 'string', `GET /rest/workflows/${id}: no versionId`);
  const res = await n8n.rest('POST', `/workflows/${id}/activate`, { versionId });
  check(
    res.status === 200,
    `publishing ${id}: HTTP ${String(res.status)} ${JSON.stringify(res.body).slice(0, 400)}`,
  );
};

/** The sandbox's subscriptions (GET /webhooks) targeting `url`. */
const subscriptionsFor = async (sandbox: Sandbox, url: string): Promise<Json[]> => {
  const { body } = await sandbox.call('GET', '/webhooks');
  const data = field(body, 'data');
  return (Array.isArray(data) ? data : []).filter(isRecord).filter((s) => s.target_url === url);
};

/** POSTs exact bytes to n8n as ISAO's webhook delivery does (sandbox/webhooks.ts headers). */
const deliver = async (url: string, raw: Buffer, event: Envelope, signature: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'ISAO-Webhooks/sandbox',
      'X-Isao-Event': event.event,
      'X-Isao-Event-Id': event.metadata.eventId,
      'X-Isao-Delivery-Attempt': '1',
      [SIGNATURE_HEADER]: signature,
    },
    body: raw,
  });
  return { status: res.status, body: await res.text() };
};

/** What the Zapier app's New Contact trigger makes of the same delivery (perform, via core). */
const zapierRecords = async (sandbox: Sandbox, raw: Buffer, signature: string): Promise<Json[]> => {
  const zapier = await startLocalZapier(APP, { ISAO_API_URL: sandbox.baseUrl });
  try {
    const records = await zapier.run('triggers.new_contact.operation.perform', {
      authData: { api_key: sandbox.apiKey, webhook_secret: SECRET },
      subscribeData: {},
      ...hookBundle(
        raw.toString('utf8'),
        zapierHeaders({ 'content-type': 'application/json', 'x-isao-hmac-sha256': signature }),
      ),
    });
    check(Array.isArray(records), 'the Zapier trigger returned no list');
    return records.filter(isRecord);
  } finally {
    await zapier.close();
  }
};

/** The keys whose values differ between two records, for a failure message. */
const differences = (a: Json, b: Json): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );

/**
 * Imports the "ISAO API" credential (the sandbox's key, URL and secret) and both workflows with
 * n8n's own commands (each boots n8n's database layer: two runs, not three); returns the trigger
 * workflow's facts.
 */
const importAll = async (n8n: N8n, sandbox: Sandbox, home: string) => {
  const trigger = triggerWorkflow(EVENT);
  const credentials = path.join(home, 'credentials.json');
  const workflows = path.join(home, 'workflows');
  fs.mkdirSync(workflows);
  const data = { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl, signingSecret: SECRET };
  fs.writeFileSync(credentials, JSON.stringify(credentialFile(data)));
  fs.writeFileSync(path.join(workflows, 'trigger.json'), JSON.stringify(trigger.workflow));
  fs.writeFileSync(path.join(workflows, 'create.json'), JSON.stringify(createContactWorkflow()));
  await n8n.cli(['import:credentials', `--input=${credentials}`]);
  await n8n.cli(['import:workflow', '--separate', `--input=${workflows}`]);
  return trigger;
};

const main = async (): Promise<number> => {
  const steps = stepRunner();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-n8n-e2e-'));
  let sandbox: Sandbox | undefined;
  let n8n: N8n | undefined;
  let failed = false;
  // Ctrl-C or a CI timeout: n8n runs in its own process group, so stop it before leaving
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping n8n and the sandbox (kept: ${home})\n`);
    void Promise.all([n8n?.stop(), sandbox?.close()]).finally(() => {
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

    const { webhookUrl, adaEvent } = await steps.step(
      'Start the ISAO sandbox and n8n; import the credential and the workflows; publish the ISAO Trigger',
      async () => {
        const started = await startSandbox({ signingSecret: SECRET });
        sandbox = started;
        say(`   ✓ ISAO sandbox at ${started.baseUrl}`);
        const ada = await started.call('POST', '/contacts', {
          name: 'Ada Lovelace',
          phoneNumber: '+44 20 7946 0958',
          email: 'ada@example.com',
          tags: ['vip'],
        });
        const event = started.events.at(-1);
        check(ada.status === 201 && event?.event === EVENT, `the sandbox made no ${EVENT}`);
        say(
          `   ✓ a contact added in ISAO before anything subscribed: event ${event.metadata.eventId}`,
        );
        const trigger = await importAll(live, started, home);
        say(
          '   ✓ imported the "ISAO API" credential and two workflows (n8n import:credentials, import:workflow)',
        );
        await live.start();
        say(`   ✓ n8n ready at ${live.url}`);
        await live.login();
        // n8n writes its node types file in the background after start
        await waitFor(`${PACKAGE}'s nodes in n8n's /types/nodes.json`, 30_000, async () => {
          const types = await live.request('GET', '/types/nodes.json');
          const names = (Array.isArray(types.body) ? types.body : []).map((t) => field(t, 'name'));
          const loaded =
            names.includes(`${PACKAGE}.isaoTrigger`) && names.includes(`${PACKAGE}.isao`);
          return loaded ? true : undefined;
        });
        say(`   ✓ n8n loaded ${PACKAGE}.isaoTrigger and ${PACKAGE}.isao`);
        await publish(live, TRIGGER_WORKFLOW_ID);
        const url = `${live.url}/webhook/${trigger.webhookId}/webhook`;
        const [sub] = await waitFor(
          'a sandbox subscription for the webhook URL',
          20_000,
          async () => {
            const subs = await subscriptionsFor(started, url);
            return subs.length > 0 ? subs : undefined;
          },
        );
        check(sub?.event_type === EVENT, `the subscription is for ${String(sub?.event_type)}`);
        say(`   ✓ published; ISAO lists ${String(sub.subscription_id)} (${EVENT}) → ${url}`);
        return { webhookUrl: url, adaEvent: event };
      },
    );
    check(sandbox !== undefined, 'the sandbox was not started');
    const isao = sandbox;

    await steps.step(`Signed ${EVENT}, the same event again, a tampered copy`, async () => {
      // the body bytes exactly as the sandbox sends an event (sandbox/webhooks.ts), signed as it signs
      const raw = Buffer.from(JSON.stringify(adaEvent), 'utf8');
      const signature = signWebhook(SECRET, raw);

      const first = await deliver(webhookUrl, raw, adaEvent, signature);
      check(
        first.status === 200,
        `the signed delivery got HTTP ${String(first.status)}: ${first.body}`,
      );
      const runs = await finishedExecutions(live, TRIGGER_WORKFLOW_ID, 1);
      const [latest] = runs;
      check(latest?.status === 'success', `the execution ended ${String(latest?.status)}`);
      const items = await nodeOutput(live, install, latest.id, 'ISAO Trigger');
      const expected = await zapierRecords(isao, raw, signature);
      check(
        items.length === 1 && expected.length === 1,
        `${String(items.length)} items, the Zapier trigger made ${String(expected.length)}`,
      );
      const [item] = items;
      const [record] = expected;
      check(item !== undefined && record !== undefined, 'no item to compare');
      const differ = differences(item, record);
      check(
        differ.length === 0,
        `the n8n item differs from the Zapier record in ${differ.join(', ')}:\n  n8n:    ${JSON.stringify(item)}\n  Zapier: ${JSON.stringify(record)}`,
      );
      say(
        `   ✓ HTTP 200; execution ${String(latest.id)} output one item, the Zapier trigger's record exactly:`,
      );
      say(`     ${JSON.stringify(item)}`);

      const again = await deliver(webhookUrl, raw, adaEvent, signature);
      check(again.status === 200, `the repeated delivery got HTTP ${String(again.status)}`);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const afterRetry = await executionsOf(live, TRIGGER_WORKFLOW_ID);
      check(
        afterRetry.length === 1,
        `the same eventId again started ${String(afterRetry.length - 1)} more execution(s)`,
      );
      say(`   ✓ the same event again: HTTP ${String(again.status)}, no new execution`);

      const tamperedRaw = Buffer.from(raw.toString('utf8').replace('Ada Lovelace', 'Eve Mallory'));
      check(!tamperedRaw.equals(raw), 'could not tamper with the delivery');
      const tampered = await deliver(webhookUrl, tamperedRaw, adaEvent, signature);
      check(
        tampered.status === 401,
        `the tampered copy got HTTP ${String(tampered.status)}, not 401`,
      );
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const afterTamper = await executionsOf(live, TRIGGER_WORKFLOW_ID);
      check(afterTamper.length === 1, 'the tampered copy started an execution');
      say('   ✓ a tampered copy: HTTP 401, no execution');
    });

    await steps.step(
      'Webhook → ISAO (Contact → Create): the contact is added to ISAO',
      async () => {
        await publish(live, CREATE_WORKFLOW_ID);
        const input = JSON.stringify({
          name: 'Grace Hopper',
          phoneNumber: '+1 202 555 0143',
          email: 'grace@example.com',
          tags: 'navy, vip',
        });
        // a 404 (not registered yet) ran nothing, so asking again cannot add a second contact
        const { res, text } = await waitFor('the Webhook node registered', 15_000, async () => {
          const answer = await fetch(`${live.url}/webhook/${CREATE_PATH}`, {
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
        const recent = await isao.call('GET', `/triggers/${EVENT}/recent?limit=10`);
        const records: unknown[] = Array.isArray(recent.body) ? recent.body : [];
        const listed = records.find((c) => field(c, 'id') === id);
        check(
          field(listed, 'name') === 'Grace Hopper',
          `ISAO does not list contact ${id} (Grace Hopper)`,
        );
        say(`   ✓ ISAO has contact ${id}: ${JSON.stringify(listed)}`);
        // ISAO's own signed delivery of the new contact reaches the still-published trigger
        const [latest] = await finishedExecutions(live, TRIGGER_WORKFLOW_ID, 2);
        const [item] = await nodeOutput(live, install, latest?.id, 'ISAO Trigger');
        check(
          item?.id === id,
          `the ISAO Trigger's newest execution carries ${String(item?.id)}, not ${id}`,
        );
        say(
          `   ✓ the sandbox's own signed ${EVENT} for it ran the trigger workflow (execution ${String(latest?.id)})`,
        );
      },
    );

    await steps.step(
      'Unpublish the ISAO Trigger workflow: the subscription is removed',
      async () => {
        const res = await live.rest('POST', `/workflows/${TRIGGER_WORKFLOW_ID}/deactivate`, {});
        check(res.status === 200, `unpublishing: HTTP ${String(res.status)}`);
        await waitFor('the subscription removed', 20_000, async () =>
          (await subscriptionsFor(isao, webhookUrl)).length === 0 ? true : undefined,
        );
        say('   ✓ unpublished; ISAO lists no subscription for the webhook URL');
      },
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
    await Promise.all([n8n?.stop(), sandbox?.close()]);
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
