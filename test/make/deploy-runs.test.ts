/**
 * The deploy's later runs, against the stand-in of Make's API: a changed section is the only
 * upload; a run stopped halfway (a create, an upload or a link refused) leaves a map that claims
 * only what Make answered, and the next run ends complete with nothing done twice and nothing
 * missed; what a component refers to (its label, connection, an instant trigger's webhook) is
 * sent again on any later run where it changed or the map does not hold it, not only at creation.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadState, saveState } from '../../make/deploy-state';
import { APP_DIR } from '../../make/generate';
import { judge } from '../../make/rehearse';
import { seededFaults, type Call, type Faults } from '../../make/standin-rules';
import { record } from './app-files';
import { CREATES, StandinPerTest } from './deploy-harness';

const live = new StandinPerTest();
const API = '/api/v2/sdk/apps';

/** The calls that changed something in Make, as `METHOD path`. */
const writes = (calls: readonly Call[]): string[] =>
  calls
    .filter((call) => call.method !== 'GET' && call.status < 400)
    .map((call) => `${call.method} ${call.path}`);

/** A validation error for the `nth` call that `match` picks, once. */
const refuseOnce = (match: (call: Call) => boolean, nth = 1): Faults => {
  let seen = 0;
  return (call) => {
    if (!match(call)) return undefined;
    seen += 1;
    return seen === nth ? { status: 400, message: 'refused once, by the test' } : undefined;
  };
};

/** Sets, in the manifest of `appDir`, each `[kind, id, key, value]`. */
const editManifest = (appDir: string, changes: readonly [string, string, string, string][]) => {
  const file = path.join(appDir, 'makecomapp.json');
  const manifest = record(JSON.parse(fs.readFileSync(file, 'utf8')), 'makecomapp.json');
  const components = record(manifest.components, 'components');
  for (const [kind, id, key, value] of changes)
    record(record(components[kind], kind)[id], id)[key] = value;
  fs.writeFileSync(file, JSON.stringify(manifest));
};

/** Every upload and link done once, every component created once, all of it as the files say. */
const expectComplete = (appDir: string = APP_DIR) => {
  const done = writes(live.standin.calls);
  const uploads = done.filter((call) => !call.startsWith('POST'));
  expect(uploads.filter((call, i) => uploads.indexOf(call) !== i)).toEqual([]);
  expect(done.filter((call) => call.startsWith('POST'))).toHaveLength(CREATES);
  expect(judge(appDir, live.standin, loadState(live.mapFile))).toEqual([]);
};

test('a changed section is the only thing the next deploy uploads', async () => {
  const appDir = live.appCopy();
  expect((await live.deploy(appDir)).code).toBe(0);
  const file = path.join(appDir, 'modules/create-contact/create-contact.samples.iml.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Jane Smith', 'Jane Smyth'));
  const before = live.standin.calls.length;
  expect((await live.deploy(appDir)).code).toBe(0);
  expect(live.standin.calls.slice(before).map((call) => `${call.method} ${call.path}`)).toEqual([
    `GET ${API}/isao/1`,
    `PUT ${API}/isao/1/modules/createContact/samples`,
  ]);
  expect(live.standin.state.modules.get('createContact')?.sections.get('samples')).toContain(
    'Jane Smyth',
  );
}, 60_000);

test.each<[string, RegExp]>([
  ['general/base.iml.json', /^PUT \/api\/v2\/sdk\/apps\/isao\/1\/base$/],
  ['modules/groups.json', /^PUT \/api\/v2\/sdk\/apps\/isao\/1\/groups$/],
  ['README.md', /^PUT \/api\/v2\/sdk\/apps\/isao\/1\/readme$/],
  [
    'connections/isao/isao.communication.iml.json',
    /^PUT \/api\/v2\/sdk\/apps\/connections\/[^/]+\/api$/,
  ],
  [
    'webhooks/deal-won/deal-won.attach.iml.json',
    /^PUT \/api\/v2\/sdk\/apps\/webhooks\/[^/]+\/attach$/,
  ],
])(
  'a later run uploads a changed %s, and nothing else',
  async (file, upload) => {
    const appDir = live.appCopy();
    expect((await live.deploy(appDir)).code).toBe(0);
    fs.appendFileSync(path.join(appDir, file), '\n');
    const before = live.standin.calls.length;
    expect((await live.deploy(appDir)).code).toBe(0);
    const later = live.standin.calls.slice(before).map((call) => `${call.method} ${call.path}`);
    expect(later).toEqual([`GET ${API}/isao/1`, expect.stringMatching(upload)]);
  },
  60_000,
);

test.each<[string, (call: Call) => boolean, number]>([
  ['the fourth webhook created', (call) => call.path.endsWith('/isao/webhooks'), 4],
  ['the sixth module created', (call) => call.path.endsWith('/isao/1/modules'), 6],
  ['the 40th section uploaded', (call) => call.method === 'PUT', 40],
])(
  'a run stopped at %s: the next ends complete, doing nothing twice',
  async (_where, match, nth) => {
    await live.restart({ faults: refuseOnce(match, nth) });
    const stopped = await live.deploy();
    expect(stopped.code).toBe(1);
    expect(stopped.errors).toEqual([
      expect.stringMatching(/^make:deploy failed: \S+ \S+.*: Make answered 400: Validation failed/),
    ]);
    // one write refused (a refused module create is followed by a look for the module: 404)
    const refused = live.standin.calls.filter((call) => call.status >= 400);
    expect(refused.filter((call) => call.method !== 'GET')).toHaveLength(1);
    expect((await live.deploy()).code).toBe(0);
    expectComplete();
  },
  60_000,
);

test('a module Make created whose name the map lost (the run killed then) is found, not made twice', async () => {
  expect((await live.deploy()).code).toBe(0);
  const map = loadState(live.mapFile);
  delete map.names.module.watchDealWon;
  map.digests = Object.fromEntries(
    Object.entries(map.digests).filter(([key]) => !key.startsWith('module/watchDealWon/')),
  );
  saveState(live.mapFile, map);
  const before = live.standin.calls.length;
  expect((await live.deploy()).code).toBe(0);
  const module = `${API}/isao/1/modules/watchDealWon`;
  expect(
    live.standin.calls
      .slice(before)
      .map((call) => `${String(call.status)} ${call.method} ${call.path}`),
  ).toEqual([
    `200 GET ${API}/isao/1`,
    `400 POST ${API}/isao/1/modules`,
    `200 GET ${module}`,
    `200 PATCH ${module}`,
    ...['parameters', 'interface', 'samples'].map((section) => `200 PUT ${module}/${section}`),
  ]);
  expect(loadState(live.mapFile).names.module.watchDealWon).toBe('watchDealWon');
  expect(judge(APP_DIR, live.standin, loadState(live.mapFile))).toEqual([]);
}, 60_000);

test('a refused upload is not claimed by the map: the next run uploads it, and what followed', async () => {
  const interfacePath = `${API}/isao/1/modules/watchDealWon/interface`;
  await live.restart({ faults: refuseOnce((call) => call.path === interfacePath) });
  const stopped = await live.deploy();
  expect(stopped.errors).toEqual([
    'make:deploy failed: module watchDealWon, section interface (modules/watch-deal-won/watch-deal-won.interface.iml.json): Make answered 400: Validation failed - refused once, by the test',
  ]);
  const map = loadState(live.mapFile);
  expect(map.digests['module/watchDealWon/parameters']).toBeDefined();
  expect(map.digests['module/watchDealWon/interface']).toBeUndefined();
  expect(live.standin.state.modules.get('watchDealWon')?.sections.has('interface')).toBe(false);
  const before = live.standin.calls.length;
  expect((await live.deploy()).code).toBe(0);
  expect(writes(live.standin.calls.slice(before))[0]).toBe(`PUT ${interfacePath}`);
  expectComplete();
}, 60_000);

test('a later run sends what changed in a component’s links, and only that', async () => {
  const appDir = live.appCopy();
  expect((await live.deploy(appDir)).code).toBe(0);
  editManifest(appDir, [
    ['connection', 'isao', 'label', 'ISAO API'],
    ['webhook', 'newDeal', 'label', 'New Deal (ISAO)'],
    ['module', 'watchDealWon', 'webhook', 'dealLost'],
  ]);
  const before = live.standin.calls.length;
  expect((await live.deploy(appDir)).code).toBe(0);
  const { names } = loadState(live.mapFile);
  expect(writes(live.standin.calls.slice(before))).toEqual([
    `PATCH ${API}/connections/${String(names.connection.isao)}`,
    `PATCH ${API}/webhooks/${String(names.webhook.newDeal)}`,
    `PATCH ${API}/isao/1/modules/watchDealWon`,
  ]);
  const { state } = live.standin;
  expect(state.connections.get(String(names.connection.isao))?.label).toBe('ISAO API');
  expect(state.webhooks.get(String(names.webhook.newDeal))?.label).toBe('New Deal (ISAO)');
  expect(state.modules.get('watchDealWon')?.webhook).toBe(names.webhook.dealLost);
  expect(judge(appDir, live.standin, loadState(live.mapFile))).toEqual([]);
}, 60_000);

test('a refused link is not claimed by the map: the next run sends it again', async () => {
  const appDir = live.appCopy();
  expect((await live.deploy(appDir)).code).toBe(0);
  editManifest(appDir, [['module', 'watchDealWon', 'webhook', 'dealLost']]);
  const modulePath = `${API}/isao/1/modules/watchDealWon`;
  const map = loadState(live.mapFile);
  live.standin.faults = refuseOnce((call) => call.path === modulePath);
  expect((await live.deploy(appDir)).errors).toEqual([
    'make:deploy failed: module watchDealWon, its label and links: Make answered 400: Validation failed - refused once, by the test',
  ]);
  expect(loadState(live.mapFile).digests['module/watchDealWon/links']).toBe(
    map.digests['module/watchDealWon/links'],
  );
  const before = live.standin.calls.length;
  expect((await live.deploy(appDir)).code).toBe(0);
  expect(writes(live.standin.calls.slice(before))).toEqual([`PATCH ${modulePath}`]);
  expect(live.standin.state.modules.get('watchDealWon')?.webhook).toBe(map.names.webhook.dealLost);
}, 60_000);

test('links the map does not hold are sent on a later run, not only when created', async () => {
  expect((await live.deploy()).code).toBe(0);
  const map = loadState(live.mapFile);
  delete map.digests['module/watchDealWon/links'];
  delete map.digests['webhook/dealWon/links'];
  saveState(live.mapFile, map);
  const trigger = live.standin.state.modules.get('watchDealWon');
  const hook = live.standin.state.webhooks.get(map.names.webhook.dealWon ?? '');
  if (!trigger || !hook) throw new Error('the first deploy did not create them');
  delete trigger.webhook;
  delete hook.connection;
  const before = live.standin.calls.length;
  expect((await live.deploy()).code).toBe(0);
  expect(writes(live.standin.calls.slice(before))).toEqual([
    `PATCH ${API}/webhooks/${String(map.names.webhook.dealWon)}`,
    `PATCH ${API}/isao/1/modules/watchDealWon`,
  ]);
  expect(judge(APP_DIR, live.standin, loadState(live.mapFile))).toEqual([]);
}, 60_000);

test('with 429s and refusals now and then (seeded), runs go on until one ends complete', async () => {
  await live.restart({ faults: seededFaults(9, { tooMany: 0.1, invalid: 0.04 }) });
  const runs = [];
  for (let run = 0; run < 20 && runs.at(-1)?.code !== 0; run += 1) runs.push(await live.deploy());
  expect(runs.at(-1)?.code).toBe(0);
  const stopped = runs.slice(0, -1);
  expect(stopped.length).toBeGreaterThan(1);
  for (const run of stopped)
    expect(run.errors).toEqual([
      expect.stringMatching(/^make:deploy failed: \S+ \S+.*: Make answered 400: Validation failed/),
    ]);
  // every 429 was waited out as Make asked (Retry-After: 1), and retried
  const limited = live.standin.calls.filter((call) => call.status === 429).length;
  expect(limited).toBeGreaterThan(5);
  expect(runs.flatMap((run) => run.waits)).toEqual(Array<number>(limited).fill(1000));
  expectComplete();
}, 60_000);
