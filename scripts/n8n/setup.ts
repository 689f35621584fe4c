/**
 * Setting up the end-to-end run: the pinned n8n (installed once into .cache/), the package built
 * and packed from n8n/ (or ISAO_N8N_PACKAGE as built) and installed the way n8n installs a
 * community package, and the credential and workflows imported with n8n's own commands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureN8n, N8N_VERSION, NODE_VERSION, run, type N8nInstall } from './install';
import type { N8n } from './n8n';
import { check, say } from './steps';
import {
  createContactWorkflow,
  credentialFile,
  PACKAGE,
  triggerWorkflow,
  type CredentialData,
} from './workflows';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(ROOT, '.cache', `n8n-${N8N_VERSION}`);

/** The pinned n8n, installed unless the cache is complete. */
export const installN8n = async (): Promise<N8nInstall> => {
  const { install, cached } = await ensureN8n(CACHE, say);
  say(
    cached
      ? `   ✓ n8n ${N8N_VERSION} on Node ${NODE_VERSION} already in ${path.relative(ROOT, CACHE)}`
      : `   ✓ installed n8n ${N8N_VERSION} on Node ${NODE_VERSION} into ${path.relative(ROOT, CACHE)}`,
  );
  return install;
};

/** Builds n8n/ (or takes ISAO_N8N_PACKAGE as built) and packs it; returns the tarball's path. */
export const buildAndPack = async (into: string): Promise<string> => {
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
export const installPackage = async (n8n: N8n, tarball: string): Promise<void> => {
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

/**
 * Imports the "ISAO API" credential (`data`) and both workflows with n8n's own commands (each
 * boots n8n's database layer: two runs, not three); returns the trigger workflow's facts.
 */
export const importAll = async (n8n: N8n, data: CredentialData, home: string, event: string) => {
  const trigger = triggerWorkflow(event);
  const credentials = path.join(home, 'credentials.json');
  const workflows = path.join(home, 'workflows');
  fs.mkdirSync(workflows);
  fs.writeFileSync(credentials, JSON.stringify(credentialFile(data)));
  fs.writeFileSync(path.join(workflows, 'trigger.json'), JSON.stringify(trigger.workflow));
  fs.writeFileSync(path.join(workflows, 'create.json'), JSON.stringify(createContactWorkflow()));
  await n8n.cli(['import:credentials', `--input=${credentials}`]);
  await n8n.cli(['import:workflow', '--separate', `--input=${workflows}`]);
  return trigger;
};
