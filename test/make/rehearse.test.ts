/**
 * The rehearsal (make/rehearse.ts) failing when it should: a deploy Make refuses is a problem of
 * each run it stops, with Make's words; what the second run had to do again is named; and its
 * judge names each way what arrived can differ from the app's files (the app, the general
 * sections, a component missing, a section missing, a link lost, a webhook without attach or
 * detach). The passing rehearsal is in deploy.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emptyState, loadState } from '../../make/deploy-state';
import { APP_DIR } from '../../make/generate';
import { judge, rehearse, summary, type Run } from '../../make/rehearse';
import type { Call } from '../../make/standin-rules';
import { StandinPerTest } from './deploy-harness';

const API = '/api/v2/sdk/apps';

describe('a rehearsal Make refuses', () => {
  const live = new StandinPerTest();

  test('is a problem of each run, and the upload the second run made again is named', async () => {
    const appDir = live.appCopy();
    // the last section a deploy uploads, refused by Make's schema in both runs
    const file = 'modules/make-api-call/make-api-call.interface.iml.json';
    fs.writeFileSync(path.join(appDir, file), '[{"name": "x", "type": "no-such-type"}]\n');
    const { first, second, problems } = await rehearse(appDir, () => undefined);
    const refusal = `Validation failed: section interface - /0/type: must be equal to one of the allowed values - /0/type: must match pattern "^.*[{][{].*[}][}].*$" - /0/type: must match exactly one schema in oneOf`;
    const where = `${API}/isao/1/modules/makeApiCall/interface`;
    const failed = `make:deploy failed: module makeApiCall, section interface (${file}): Make answered 400: ${refusal}`;
    expect(problems).toEqual([
      `${refusal} (PUT ${where})`,
      'module makeApiCall: section interface is missing',
      `${refusal} (PUT ${where})`,
      `the first deploy failed: ${failed}`,
      `the second deploy failed: ${failed}`,
      `the second deploy changed 1 things: PUT ${where}`,
    ]);
    expect([first.exitCode, second.exitCode]).toEqual([1, 1]);
    expect(
      second.calls.map((call) => `${String(call.status)} ${call.method} ${call.path}`),
    ).toEqual([`200 GET ${API}/isao/1`, `400 PUT ${where}`]);
    expect(first.ms).toBeGreaterThanOrEqual(0);
    expect(first.ms).toBeLessThan(60_000);
  }, 60_000);
});

describe('a rehearsal whose first deploy stopped', () => {
  test('names each upload the second run had to make', async () => {
    const where = (section: string) => `${API}/isao/1/modules/makeApiCall/${section}`;
    let refused = 0;
    const { first, second, problems } = await rehearse(APP_DIR, (call) =>
      call.path === where('expect') && (refused += 1) === 1
        ? { status: 400, message: 'refused once, by the test' }
        : undefined,
    );
    expect([first.exitCode, second.exitCode]).toEqual([1, 0]);
    expect(problems).toContain(
      `the second deploy changed 2 things: PUT ${where('expect')}, PUT ${where('interface')}`,
    );
  }, 60_000);
});

describe('the rehearsal’s judge names what differs', () => {
  const live = new StandinPerTest();

  const deployed = async () => {
    expect((await live.deploy()).code).toBe(0);
    const map = loadState(live.mapFile);
    expect(judge(APP_DIR, live.standin, map)).toEqual([]);
    return { map, state: live.standin.state };
  };

  test('an app too many, or none in the map', async () => {
    const { map, state } = await deployed();
    expect(judge(APP_DIR, live.standin, emptyState())).toEqual(['one app expected, 1 arrived']);
    state.apps.set('other', { name: 'other', version: 1, sections: new Map() });
    expect(judge(APP_DIR, live.standin, map)).toEqual(['one app expected, 2 arrived']);
  }, 60_000);

  test.each(['base', 'groups', 'readme'])(
    'an app section (%s) that did not arrive as its file',
    async (section) => {
      const { map, state } = await deployed();
      state.apps.get('isao')?.sections.set(section, '{}');
      const file = { base: 'general/base.iml.json', groups: 'modules/groups.json' }[section];
      expect(judge(APP_DIR, live.standin, map)).toEqual([
        `app section ${section} did not arrive as ${file ?? 'README.md'}`,
      ]);
    },
    60_000,
  );

  test('a webhook missing, and the trigger it leaves without one', async () => {
    const { map, state } = await deployed();
    state.webhooks.delete(map.names.webhook.dealWon ?? '');
    expect(judge(APP_DIR, live.standin, map)).toEqual([
      '10 webhooks expected, 9 arrived',
      'webhook dealWon was not created',
      'module watchDealWon is not linked to its webhook',
    ]);
  }, 60_000);

  test('a component the map does not name', async () => {
    const { map, state } = await deployed();
    delete map.names.connection.isao;
    state.modules.delete('createContact');
    const problems = judge(APP_DIR, live.standin, map);
    expect(problems.slice(0, 3)).toEqual([
      '12 modules expected, 11 arrived',
      'connection isao was not created',
      `webhook newContact is not linked to its connection`,
    ]);
    expect(problems).toContain('module createContact was not created');
    // every other webhook and module is linked to a connection the map no longer names
    expect(problems).toHaveLength(2 + 10 + 12);
  }, 60_000);

  test('a section missing, or one that differs', async () => {
    const { map, state } = await deployed();
    state.connections.get(map.names.connection.isao ?? '')?.sections.delete('api');
    expect(judge(APP_DIR, live.standin, map)).toEqual(['connection isao: section api is missing']);
    state.connections.get(map.names.connection.isao ?? '')?.sections.set('api', '{}');
    expect(judge(APP_DIR, live.standin, map)).toEqual([
      'connection isao: section api differs from connections/isao/isao.communication.iml.json',
    ]);
  }, 60_000);

  test('a webhook or a module linked to another connection', async () => {
    const { map, state } = await deployed();
    const hook = state.webhooks.get(map.names.webhook.newDeal ?? '');
    const module = state.modules.get('createContact');
    if (!hook || !module) throw new Error('the deploy did not create them');
    hook.connection = 'another';
    module.connection = 'another';
    expect(judge(APP_DIR, live.standin, map)).toEqual([
      'webhook newDeal is not linked to its connection',
      'module createContact is not linked to its connection',
    ]);
  }, 60_000);

  test.each(['attach', 'detach'])(
    'an instant trigger whose webhook cannot %s',
    async (section) => {
      const { map, state } = await deployed();
      state.webhooks.get(map.names.webhook.dealLost ?? '')?.sections.delete(section);
      expect(judge(APP_DIR, live.standin, map)).toEqual([
        `webhook dealLost: section ${section} is missing`,
        'module watchDealLost: its webhook cannot attach and detach',
      ]);
    },
    60_000,
  );

  test('an instant trigger linked to another webhook', async () => {
    const { map, state } = await deployed();
    const trigger = state.modules.get('watchDealLost');
    if (!trigger) throw new Error('the deploy did not create it');
    trigger.webhook = map.names.webhook.dealWon ?? '';
    expect(judge(APP_DIR, live.standin, map)).toEqual([
      'module watchDealLost is not linked to its webhook',
    ]);
  }, 60_000);
});

test('a run in one line: its calls by kind, the 429s, its time', () => {
  const call = (method: string, status: number): Call => ({
    method,
    path: '/',
    contentType: '',
    body: '',
    status,
  });
  const run: Run = {
    calls: [
      call('POST', 200),
      call('POST', 429),
      call('POST', 400),
      call('PATCH', 200),
      call('PUT', 200),
      call('PUT', 200),
      call('GET', 200),
      call('GET', 404),
      call('GET', 399),
    ],
    ms: 12,
    exitCode: 0,
    printed: [],
    errors: [],
  };
  expect(summary(run)).toBe(
    '9 calls (1 creates, 1 links, 2 section uploads, 2 checks; 1 answered 429 and retried) in 12 ms',
  );
});
