/**
 * One real n8n for the bench, set up as `npm run e2e:n8n` sets up its own (scripts/n8n/n8n.ts:
 * its own user folder, everything on free 127.0.0.1 ports): the packed n8n/ installed as a
 * community package, the ISAO sandbox for the trigger's subscribe, an "ISAO API" credential and
 * n8n's Crypto credential holding the same signing secret, and four workflows published in the
 * running n8n: the ISAO Trigger, n8n's Webhook node alone, the user's flow, and its variant for
 * batches (workflows.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRecord } from '../../core/inputs';
import type { N8nInstall } from '../../scripts/n8n/install';
import { run } from '../../scripts/n8n/install';
import { createN8n, waitFor, type N8n } from '../../scripts/n8n/n8n';
import { credentialFile, PACKAGE, triggerWorkflow } from '../../scripts/n8n/workflows';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { ROOT } from '../children';
import { EVENT, SECRET } from './deliveries';
import { cryptoCredential, userFlow, webhookAlone } from './workflows';

/** isao: the ISAO Trigger; webhook: n8n's Webhook node alone; flow: the user's flow. */
export type TargetId = 'isao' | 'webhook' | 'flow' | 'flowBatch';

export interface Target {
  id: TargetId;
  label: string;
  workflowId: string;
  url: string;
}

export interface Live {
  n8n: N8n;
  install: N8nInstall;
  /** n8n's sqlite database (its executions). */
  database: string;
  targets: Record<TargetId, Target>;
  /** Stops n8n and the sandbox; removes the temporary folder unless `keep`. */
  close: (keep: boolean) => Promise<void>;
  /** The temporary folder: n8n's user folder and log. */
  home: string;
}

/** `npm pack` of n8n/ (built by `npm run bench:n8n` first) into `into`; the tarball's path. */
const pack = async (into: string): Promise<string> => {
  const output = await run('npm', ['pack', '--pack-destination', into, '--loglevel=error'], {
    cwd: path.join(ROOT, 'n8n'),
  });
  const file = path.join(into, output.trim().split('\n').pop() ?? '');
  if (!fs.existsSync(file)) throw new Error(`npm pack made no tarball: ${output.trim()}`);
  return file;
};

/** The tarball into n8n's community packages folder, as n8n installs one (npm, offline). */
const installPackage = async (n8n: N8n, tarball: string): Promise<void> => {
  fs.mkdirSync(n8n.nodesDir, { recursive: true });
  fs.writeFileSync(path.join(n8n.nodesDir, 'package.json'), '{"name":"nodes","private":true}\n');
  const flags = ['--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'];
  await run(
    'npm',
    ['install', tarball, ...flags, '--no-package-lock', '--offline', '--loglevel=error'],
    { cwd: n8n.nodesDir },
  );
};

/** Publishes a workflow in the running n8n, as the editor's Publish does. */
const publish = async (n8n: N8n, id: string): Promise<void> => {
  const current = await n8n.rest('GET', `/workflows/${id}`);
  const data = isRecord(current.body) ? current.body.data : undefined;
  const versionId = isRecord(data) ? data.versionId : undefined;
  const res = await n8n.rest('POST', `/workflows/${id}/activate`, { versionId });
  if (res.status !== 200) {
    throw new Error(`publishing ${id}: HTTP ${String(res.status)} ${JSON.stringify(res.body)}`);
  }
};

/** Whether the sandbox lists a subscription for `url`. */
const subscribed = async (sandbox: Sandbox, url: string): Promise<boolean> => {
  const { body } = await sandbox.call('GET', '/webhooks');
  const data = isRecord(body) ? body.data : undefined;
  return Array.isArray(data) && data.some((s) => isRecord(s) && s.target_url === url);
};

export const startLive = async (
  install: N8nInstall,
  say: (line: string) => void,
): Promise<Live> => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-n8n-bench-'));
  let sandbox: Sandbox | undefined;
  let n8n: N8n | undefined;
  const close = async (keep: boolean) => {
    await Promise.all([n8n?.stop(), sandbox?.close()]);
    if (!keep) fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    const started = await createN8n({ install, home });
    n8n = started;
    await installPackage(started, await pack(home));
    say(`   ✓ packed n8n/ and installed it into n8n's community packages`);
    sandbox = await startSandbox({ signingSecret: SECRET, rateLimit: false });
    const isaoSandbox = sandbox;

    const trigger = triggerWorkflow(EVENT);
    const peers = { webhook: webhookAlone(), flow: userFlow(false), flowBatch: userFlow(true) };
    const credentials = path.join(home, 'credentials.json');
    const workflows = path.join(home, 'workflows');
    fs.mkdirSync(workflows);
    const data = { apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl, signingSecret: SECRET };
    fs.writeFileSync(
      credentials,
      JSON.stringify([...credentialFile(data), cryptoCredential(SECRET)]),
    );
    fs.writeFileSync(path.join(workflows, 'isao.json'), JSON.stringify(trigger.workflow));
    for (const [name, peer] of Object.entries(peers)) {
      fs.writeFileSync(path.join(workflows, `${name}.json`), JSON.stringify(peer.workflow));
    }
    await started.cli(['import:credentials', `--input=${credentials}`]);
    await started.cli(['import:workflow', '--separate', `--input=${workflows}`]);
    await started.start();
    await started.login();
    await waitFor(`${PACKAGE}'s trigger in n8n's node types`, 30_000, async () => {
      const types = await started.request('GET', '/types/nodes.json');
      const loaded =
        Array.isArray(types.body) &&
        types.body.some((t) => isRecord(t) && t.name === `${PACKAGE}.isaoTrigger`);
      return loaded ? true : undefined;
    });
    say(`   ✓ n8n ${started.url}: the credentials and four workflows imported`);

    const url = (route: string) => `${started.url}/webhook/${route}`;
    const targets: Record<TargetId, Target> = {
      isao: {
        id: 'isao',
        label: 'ISAO Trigger',
        workflowId: trigger.workflow.id,
        url: url(`${trigger.webhookId}/webhook`),
      },
      webhook: {
        id: 'webhook',
        label: "n8n's Webhook node alone",
        workflowId: peers.webhook.id,
        url: url(peers.webhook.path),
      },
      flow: {
        id: 'flow',
        label: "the user's flow",
        workflowId: peers.flow.id,
        url: url(peers.flow.path),
      },
      flowBatch: {
        id: 'flowBatch',
        label: "the user's flow, for batches",
        workflowId: peers.flowBatch.id,
        url: url(peers.flowBatch.path),
      },
    };
    for (const target of Object.values(targets)) await publish(started, target.workflowId);
    await waitFor('the ISAO Trigger subscribed in the sandbox', 20_000, async () =>
      (await subscribed(isaoSandbox, targets.isao.url)) ? true : undefined,
    );
    say('   ✓ published all four; the ISAO Trigger subscribed in the ISAO sandbox');
    return {
      n8n: started,
      install,
      database: path.join(path.dirname(started.nodesDir), 'database.sqlite'),
      targets,
      close,
      home,
    };
  } catch (error) {
    const tail = n8n ? `\nn8n's log, last lines:\n${n8n.logTail(20)}` : '';
    await close(true);
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail}`);
  }
};
