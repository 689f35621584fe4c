/**
 * The steps of a deploy (make/deploy-app.ts) as the dry run prints the calls and a deploy prints
 * what it does: the app's, the connection's, a webhook's and a module's create with what Make
 * needs on it, each section's upload, a later run's check and links; and a manifest edited by hand
 * (a type, a description or a crud left out, a type or a reference this deploy cannot deploy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDeploy } from '../../make/deploy';
import { deployApp } from '../../make/deploy-app';
import { printedCalls } from '../../make/deploy-calls';
import { emptyState, loadState } from '../../make/deploy-state';
import { APP_DIR } from '../../make/generate';
import { record } from './app-files';
import { StandinPerTest } from './deploy-harness';

const live = new StandinPerTest();

/** The lines of a dry run of `appDir`, with the map of this test's deploys. */
const dryRun = async (appDir: string = APP_DIR): Promise<string[]> => {
  const lines: string[] = [];
  const code = await runDeploy({
    dryRun: true,
    appDir,
    stateFile: live.mapFile,
    print: (line) => lines.push(line),
  });
  expect(code).toBe(0);
  return lines;
};

/** A copy of the app whose manifest `edit` changed. */
const edited = (edit: (components: Record<string, Record<string, unknown>>) => void): string => {
  const appDir = live.appCopy();
  const file = path.join(appDir, 'makecomapp.json');
  const manifest = record(JSON.parse(fs.readFileSync(file, 'utf8')), 'makecomapp.json');
  const components = record(manifest.components, 'components');
  const byId: Record<string, Record<string, unknown>> = {};
  for (const kind of ['connection', 'webhook', 'module'])
    for (const [id, meta] of Object.entries(record(components[kind], kind)))
      byId[id] = record(meta, id);
  edit(byId);
  fs.writeFileSync(file, JSON.stringify(manifest));
  return appDir;
};

const CONNECTION = '<connection named by Make>';
const HOOK = '<webhook \\"New contacts\\" named by Make>';

test('a first deploy’s calls: each create with what Make needs, then its sections', async () => {
  const lines = await dryRun();
  expect(lines.slice(1, 13)).toEqual([
    '  POST /sdk/apps {"name":"isao","label":"ISAO","description":"ISAO CRM and scheduling: instant triggers for contacts, deals and appointments, and Create a contact.","theme":"#1f4e79","language":"en","audience":"global"}',
    '  PUT /sdk/apps/isao/1/base',
    '  PUT /sdk/apps/isao/1/groups',
    '  PUT /sdk/apps/isao/1/readme',
    '  POST /sdk/apps/isao/connections {"type":"basic","label":"ISAO"}',
    `  PUT /sdk/apps/connections/${CONNECTION}/api`,
    `  PUT /sdk/apps/connections/${CONNECTION}/parameters`,
    `  POST /sdk/apps/isao/webhooks {"label":"New contacts","connection":"${CONNECTION}","type":"web"}`,
    ...['api', 'parameters', 'attach', 'detach'].map(
      (section) => `  PUT /sdk/apps/webhooks/<webhook "New contacts" named by Make>/${section}`,
    ),
  ]);
  const trigger = lines.indexOf(
    `  POST /sdk/apps/isao/1/modules {"label":"Watch new contacts","description":"Triggers when a new contact is created.","connection":"${CONNECTION}","webhook":"${HOOK}","name":"watchNewContact","typeId":10,"moduleInitMode":"blank"}`,
  );
  expect(lines.slice(trigger + 1, trigger + 4)).toEqual(
    ['parameters', 'interface', 'samples'].map(
      (section) => `  PUT /sdk/apps/isao/1/modules/watchNewContact/${section}`,
    ),
  );
  expect(lines.slice(-12)).toEqual([
    `  POST /sdk/apps/isao/1/modules {"label":"Create a contact","description":"Creates a new contact.","connection":"${CONNECTION}","crud":"create","name":"createContact","typeId":4,"moduleInitMode":"blank"}`,
    ...['api', 'parameters', 'expect', 'interface', 'samples'].map(
      (section) => `  PUT /sdk/apps/isao/1/modules/createContact/${section}`,
    ),
    `  POST /sdk/apps/isao/1/modules {"label":"Make an API call","description":"Performs an arbitrary authorized API call.","connection":"${CONNECTION}","name":"makeApiCall","typeId":12,"subtype":"Universal","moduleInitMode":"blank"}`,
    ...['api', 'parameters', 'expect', 'interface'].map(
      (section) => `  PUT /sdk/apps/isao/1/modules/makeApiCall/${section}`,
    ),
    '24 to create, 84 to upload, 0 unchanged',
  ]);
});

test('a deploy prints each create and upload; a later one, its check, links and changes', async () => {
  const appDir = live.appCopy();
  const first = await live.deploy(appDir);
  const { names } = loadState(live.mapFile);
  const connection = names.connection.isao ?? '';
  const hook = names.webhook.newContact ?? '';
  expect(first.printed.slice(0, 13)).toEqual([
    'create app → isao v1',
    'upload app/base',
    'upload app/groups',
    'upload app/readme',
    `create connection isao → ${connection}`,
    'upload connection/isao/api',
    'upload connection/isao/parameters',
    `create webhook newContact → ${hook}`,
    ...['api', 'parameters', 'attach', 'detach'].map((s) => `upload webhook/newContact/${s}`),
    `create webhook contactUpdated → ${names.webhook.contactUpdated ?? ''}`,
  ]);
  expect(first.printed).toContain('create module createContact → createContact');
  expect(first.printed.at(-1)).toMatch(/^make:deploy: 24 created, 84 uploaded, 0 unchanged in /);

  const later = edited((byId) => {
    record(byId.isao, 'isao').label = 'ISAO API';
    record(byId.newDeal, 'newDeal').label = 'New deals (ISAO)';
    record(byId.watchNewContact, 'watchNewContact').webhook = 'dealLost';
  });
  fs.appendFileSync(path.join(later, 'README.md'), '\n');
  const lostHook = names.webhook.dealLost ?? '';
  expect((await dryRun(later)).slice(1)).toEqual([
    '  GET /sdk/apps/isao/1',
    '  PUT /sdk/apps/isao/1/readme',
    `  PATCH /sdk/apps/connections/${connection} {"label":"ISAO API"}`,
    `  PATCH /sdk/apps/webhooks/${names.webhook.newDeal ?? ''} {"label":"New deals (ISAO)","connection":"${connection}"}`,
    `  PATCH /sdk/apps/isao/1/modules/watchNewContact {"label":"Watch new contacts","description":"Triggers when a new contact is created.","connection":"${connection}","webhook":"${lostHook}"}`,
    // 84 sections and 23 components' links, less the 4 that changed
    '0 to create, 4 to upload, 103 unchanged',
  ]);
  const second = await live.deploy(later);
  expect(second.printed.slice(0, 4)).toEqual([
    'upload app/readme',
    'upload connection/isao/links',
    'upload webhook/newDeal/links',
    'upload module/watchNewContact/links',
  ]);
}, 60_000);

test('a type, a description or a crud left out of the manifest: Make’s defaults', async () => {
  const appDir = edited((byId) => {
    delete record(byId.isao, 'isao').connectionType;
    delete record(byId.newContact, 'newContact').webhookType;
    const contact = record(byId.createContact, 'createContact');
    delete contact.description;
    delete contact.actionCrud;
  });
  const lines = await dryRun(appDir);
  expect(lines).toContain('  POST /sdk/apps/isao/connections {"type":"basic","label":"ISAO"}');
  expect(lines).toContain(
    `  POST /sdk/apps/isao/webhooks {"label":"New contacts","connection":"${CONNECTION}","type":"web"}`,
  );
  expect(lines).toContain(
    `  POST /sdk/apps/isao/1/modules {"label":"Create a contact","description":"Create a contact","connection":"${CONNECTION}","name":"createContact","typeId":4,"moduleInitMode":"blank"}`,
  );
});

test.each<[string, (byId: Record<string, Record<string, unknown>>) => void, string]>([
  [
    'a module type this deploy does not know',
    (byId) => {
      record(byId.createContact, 'createContact').moduleType = 'search';
    },
    'creating module createContact: makecomapp.json: module createContact has a moduleType this deploy does not know: "search"',
  ],
  [
    'a module without its type',
    (byId) => {
      delete record(byId.createContact, 'createContact').moduleType;
    },
    'creating module createContact: makecomapp.json: module createContact has a moduleType this deploy does not know: ""',
  ],
  [
    'a trigger’s webhook not in the app',
    (byId) => {
      record(byId.watchNewDeal, 'watchNewDeal').webhook = 'newLead';
    },
    'makecomapp.json names a webhook newLead that is not in the app',
  ],
  [
    'a module without its connection',
    (byId) => {
      delete record(byId.createContact, 'createContact').connection;
    },
    'makecomapp.json: module createContact names no connection',
  ],
])('%s stops the deploy, naming it', async (_case, edit, message) => {
  await expect(dryRun(edited(edit))).rejects.toThrow(message);
});

test('a failed step keeps what failed as its cause, after the words naming the step', async () => {
  const refused = new Error('refused by the test');
  const calls = { ...printedCalls(() => undefined), createApp: () => Promise.reject(refused) };
  const failure: unknown = await deployApp(
    APP_DIR,
    calls,
    emptyState(),
    () => undefined,
    () => undefined,
  ).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(Error);
  expect(failure).toMatchObject({
    message: 'creating the app isao: refused by the test',
    cause: refused,
  });
});
