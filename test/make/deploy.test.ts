/**
 * The deploy (make/deploy.ts) through the real SDK against the local stand-in of Make's API
 * (make/standin.ts): the rehearsal CI runs, an update that uploads only what changed, the
 * stand-in's checks failing when they should, the dry run and the one-line refusal without a
 * token or a zone.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVENT_NAMES } from '../../core/events';
import { Make } from '@makehq/sdk';
import { MISSING_SETTINGS, runDeploy } from '../../make/deploy';
import { deployApp } from '../../make/deploy-app';
import { sdkCalls } from '../../make/deploy-calls';
import { emptyState, loadState } from '../../make/deploy-state';
import { jsonText } from '../../make/layout';
import { APP_DIR } from '../../make/generate';
import { judge, rehearse } from '../../make/rehearse';
import { MakeStandin } from '../../make/standin';
import { StandinPerTest } from './standin-per-test';

/** One app, its connection, a webhook and an instant trigger per event, Create Contact, the universal module. */
const CREATES = 1 + 1 + EVENT_NAMES.length * 2 + 2;

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-make-test-'));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('the rehearsal: everything arrives once, linked, and a second deploy changes nothing', async () => {
  const { first, second, problems } = await rehearse();
  expect(problems).toEqual([]);
  expect(first.calls.filter((call) => call.method === 'POST')).toHaveLength(CREATES);
  expect(second.calls.map((call) => call.method)).toEqual(['GET']);
  expect(second.printed.at(-1)).toMatch(/^make:deploy: 0 created, 0 uploaded, \d+ unchanged/);
}, 60_000);

/** A deploy of `appDir` to a running stand-in, remembering in work/map.json. */
const deployTo = async (standin: MakeStandin, token: string, zone: string, appDir: string) => {
  const printed: string[] = [];
  const code = await runDeploy({
    token,
    zone,
    dryRun: false,
    protocol: 'http',
    appDir,
    stateFile: path.join(work, 'map.json'),
    print: (line) => printed.push(line),
  });
  return { code, printed, problems: standin.problems };
};

describe('against the stand-in', () => {
  const live = new StandinPerTest();
  const { token } = live;

  test('a changed section is the only thing the next deploy uploads', async () => {
    const appDir = path.join(work, 'app');
    fs.cpSync(APP_DIR, appDir, { recursive: true });
    expect((await deployTo(live.standin, token, live.zone, appDir)).code).toBe(0);
    const file = path.join(appDir, 'modules/create-contact/create-contact.samples.iml.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Jane Smith', 'Jane Smyth'));
    const before = live.standin.calls.length;
    expect((await deployTo(live.standin, token, live.zone, appDir)).code).toBe(0);
    expect(live.standin.calls.slice(before).map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /api/v2/sdk/apps/isao/1',
      'PUT /api/v2/sdk/apps/isao/1/modules/createContact/samples',
    ]);
    expect(live.standin.state.modules.get('createContact')?.sections.get('samples')).toContain(
      'Jane Smyth',
    );
  }, 60_000);

  test('a deploy interrupted after some creates creates nothing twice when run again', async () => {
    const make = new Make(token, live.zone);
    make.protocol = 'http';
    const calls = sdkCalls(make);
    let webhooks = 0;
    const failing = {
      ...calls,
      createWebhook: (...args: Parameters<typeof calls.createWebhook>) => {
        webhooks += 1;
        return webhooks === 4
          ? Promise.reject(new Error('the network went away'))
          : calls.createWebhook(...args);
      },
    };
    const file = path.join(work, 'map.json');
    const save = (state: ReturnType<typeof emptyState>) => {
      fs.writeFileSync(file, jsonText(state));
    };
    await expect(deployApp(APP_DIR, failing, emptyState(), save, () => undefined)).rejects.toThrow(
      'the network went away',
    );
    expect(live.standin.state.webhooks.size).toBe(3);
    const result = await deployApp(APP_DIR, calls, loadState(file), save, () => undefined);
    expect(result.created).toHaveLength(CREATES - 1 - 1 - 3);
    expect(judge(APP_DIR, live.standin, loadState(file))).toEqual([]);
  }, 60_000);

  test('the judge sees an instant trigger that lost its webhook, and a section that differs', async () => {
    expect((await deployTo(live.standin, token, live.zone, APP_DIR)).code).toBe(0);
    const map = loadState(path.join(work, 'map.json'));
    expect(judge(APP_DIR, live.standin, map)).toEqual([]);
    const trigger = live.standin.state.modules.get('watchDealWon');
    if (!trigger) throw new Error('watchDealWon did not arrive');
    delete trigger.webhook;
    trigger.sections.set('interface', '[]');
    expect(judge(APP_DIR, live.standin, map)).toEqual([
      'module watchDealWon: section interface differs from modules/watch-deal-won/watch-deal-won.interface.iml.json',
      'module watchDealWon is not linked to its webhook',
    ]);
  }, 60_000);
});

test('--dry-run prints the calls of a first deploy and makes none', async () => {
  const printed: string[] = [];
  const code = await runDeploy({
    dryRun: true,
    stateFile: path.join(work, 'none.json'),
    print: (line) => printed.push(line),
  });
  expect(code).toBe(0);
  expect(printed[1]).toMatch(/^ {2}POST \/sdk\/apps \{"name":"isao"/);
  expect(printed.filter((line) => / POST /.test(line))).toHaveLength(CREATES);
  expect(printed.at(-1)).toMatch(
    new RegExp(`^${String(CREATES)} to create, \\d+ to upload, 0 unchanged$`),
  );
  expect(fs.existsSync(path.join(work, 'none.json'))).toBe(false);
});

test.each([
  ['no token', { zone: 'eu1.make.com' }],
  ['no zone', { token: randomUUID() }],
])('without a token or a zone it says so in one line (%s)', async (_case, settings) => {
  const errors: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  expect(await runDeploy({ ...settings, dryRun: false })).toBe(1);
  expect(errors).toEqual([MISSING_SETTINGS]);
});

test('a zone that is not one is named in one line', async () => {
  const errors: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  expect(
    await runDeploy({ token: randomUUID(), zone: 'https://eu1.make.com/', dryRun: false }),
  ).toBe(1);
  expect(errors).toEqual([
    'MAKE_ZONE "https://eu1.make.com/" is not a Make zone such as eu1.make.com.',
  ]);
});

test("a call Make refuses stops the deploy with one line holding Make's words, never the token", async () => {
  const standin = new MakeStandin(randomUUID());
  const zone = await standin.start();
  const errors: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  const token = randomUUID();
  try {
    const code = await runDeploy({
      token,
      zone,
      dryRun: false,
      protocol: 'http',
      stateFile: path.join(work, 'map.json'),
      print: () => undefined,
    });
    expect(code).toBe(1);
  } finally {
    await standin.stop();
  }
  expect(errors).toEqual([
    'make:deploy failed: POST /api/v2/sdk/apps: not authorised with the API token',
  ]);
  expect(errors.join('\n')).not.toContain(token);
});
