/**
 * The deploy (make/deploy.ts) as the npm scripts run it: the rehearsal CI runs (through the real
 * SDK against the local stand-in of Make's API, make/standin.ts), the rehearsal's judge failing
 * when it should, the dry run, and the one-line refusal without a token or a zone. Later runs are
 * in deploy-runs.test.ts, Make's refusals and rate limits in deploy-answers.test.ts.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MISSING_SETTINGS, runDeploy, stateFile } from '../../make/deploy';
import { loadState } from '../../make/deploy-state';
import { APP_DIR, ROOT } from '../../make/generate';
import { judge, rehearse } from '../../make/rehearse';
import { CREATES, StandinPerTest } from './deploy-harness';
import { noneRefused } from './local-only';

test('the rehearsal: everything arrives once, linked, and a second deploy changes nothing', async () => {
  const started = Date.now();
  const { first, second, problems } = await rehearse();
  const took = Date.now() - started;
  expect(problems).toEqual([]);
  const done = first.calls.filter((call) => call.status < 400);
  expect(done.filter((call) => call.method === 'POST')).toHaveLength(CREATES);
  // its stand-in answers a 429 now and then (seeded), and the deploy waited and went on
  expect(first.calls.filter((call) => call.status === 429).length).toBeGreaterThan(0);
  expect(second.calls.filter((call) => call.status < 400).map((call) => call.method)).toEqual([
    'GET',
  ]);
  const last = /^make:deploy: 0 created, 0 uploaded, \d+ unchanged in (\d+) ms \(map: (.+)\)$/.exec(
    second.printed.at(-1) ?? '',
  );
  expect(Number(last?.[1])).toBeLessThanOrEqual(took);
  expect(first.printed[0]).toBe('create app → isao v1');
  // the map was kept in a folder of its own, removed once the rehearsal ended
  const map = path.resolve(ROOT, last?.[2] ?? '');
  expect(map).toMatch(/[/\\]isao-make-rehearsal-[^/\\]+[/\\]deployment\.json$/);
  expect(fs.existsSync(path.dirname(map))).toBe(false);
}, 60_000);

describe('the rehearsal’s judge', () => {
  const live = new StandinPerTest();

  test('sees an instant trigger that lost its webhook, and a section that differs', async () => {
    expect((await live.deploy()).code).toBe(0);
    const map = loadState(live.mapFile);
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

  test('reads the manifest through Make’s schema', async () => {
    const appDir = live.appCopy();
    expect((await live.deploy(appDir)).code).toBe(0);
    const file = path.join(appDir, 'makecomapp.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete manifest.components.endpoint;
    fs.writeFileSync(file, JSON.stringify(manifest));
    expect(judge(appDir, live.standin, loadState(live.mapFile))).toEqual([
      "makecomapp.json /components: must have required property 'endpoint'",
    ]);
  }, 60_000);
});

describe('settings and the dry run', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-make-test-'));
  });
  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
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

  test("a zone's map is make/deployments/<zone>.json", () => {
    expect(stateFile('eu1.make.com')).toBe(
      path.join(ROOT, 'make', 'deployments', 'eu1.make.com.json'),
    );
  });

  test('--dry-run names the zone (trimmed) and prints to stdout unless told', async () => {
    const printed: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    const settings = { stateFile: path.join(work, 'none.json'), dryRun: true };
    expect(await runDeploy({ ...settings, zone: ' eu1.make.com ' })).toBe(0);
    expect(printed[0]).toBe('make:deploy --dry-run: the calls a deploy to eu1.make.com would make');
    printed.length = 0;
    expect(await runDeploy(settings)).toBe(0);
    expect(printed[0]).toBe(
      'make:deploy --dry-run: the calls a deploy to a new Make account would make',
    );
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

  test('a deploy goes to https://<zone> unless told otherwise', async () => {
    const errors: string[] = [];
    const code = await runDeploy({
      token: randomUUID(),
      zone: 'eu1.make.com',
      dryRun: false,
      stateFile: path.join(work, 'map.json'),
      print: () => undefined,
      printError: (line) => errors.push(line),
    });
    expect(code).toBe(1);
    const url = 'https://eu1.make.com/api/v2/sdk/apps';
    expect(errors).toEqual([
      `make:deploy failed: creating the app isao: refused a request for ${url}: the Make tests reach only 127.0.0.1`,
    ]);
    expect(noneRefused).toThrow(`the test sent a request for ${url}: `);
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
});
