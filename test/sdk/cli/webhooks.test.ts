/**
 * `isao webhooks …` against the ISAO sandbox on 127.0.0.1, run in the test's process (./run.ts): subscribe keeps
 * one subscription per event and URL, prune removes inactive ones and duplicates, --json parses,
 * and ISAO's refusals exit 3 with the core's words, never the key.
 */
import { EVENT_NAMES } from '../../../core/events';
import { IsaoClient } from '../../../sdk/src/client';
import { WEBHOOKS_USAGE } from '../../../sdk/src/cli/webhooks';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { isao } from './run';

let sandbox: Sandbox;
let client: IsaoClient;
let env: NodeJS.ProcessEnv;
const HOOK = 'http://127.0.0.1:3000/isao';

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  client = new IsaoClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
  env = { ISAO_API_KEY: sandbox.apiKey, ISAO_BASE_URL: sandbox.baseUrl };
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  await client.removeAll(await client.list());
});

const parsed = (stdout: string): unknown => JSON.parse(stdout);

it('subscribes once per event and URL, lists, and unsubscribes', async () => {
  const first = await isao(['webhooks', 'subscribe', HOOK, 'deal.won', 'deal.lost'], { env });
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(
    /^deal\.won: subscribed \(sub_\w+\)\ndeal\.lost: subscribed \(sub_\w+\)\n$/,
  );
  const again = await isao(['webhooks', 'subscribe', HOOK, 'deal.won', '--json'], { env });
  expect(parsed(again.stdout)).toEqual([
    expect.objectContaining({ event: 'deal.won', created: false, removed: [] }),
  ]);
  const list = await isao(['webhooks', 'list', '--event', 'deal.won', '--json'], { env });
  const listed = parsed(list.stdout);
  expect(listed).toEqual([
    expect.objectContaining({ event: 'deal.won', targetUrl: HOOK, active: true }),
  ]);
  const id = (await client.list())[0]?.id ?? 'none';
  const human = await isao(['webhooks', 'list'], { env });
  expect(human.stdout.split('\n').filter(Boolean)).toHaveLength(2);
  const removed = await isao(['webhooks', 'unsubscribe', id, id], { env });
  expect(removed.stdout).toBe(`${id}: removed\n${id}: ISAO no longer had it\n`);
});

it('prunes inactive subscriptions and duplicates, keeping the newest active one per event and URL', async () => {
  const old = await client.subscribe('contact.created', HOOK);
  const stopped = await client.subscribe('contact.created', HOOK);
  const newest = await client.subscribe('contact.created', HOOK);
  const other = await client.subscribe('contact.created', `${HOOK}/other`);
  sandbox.deactivate(stopped.id);
  const dry = await isao(['webhooks', 'prune', '--dry-run'], { env });
  expect(dry.stdout).toContain(`would remove ${old.id} (duplicate): contact.created → ${HOOK}`);
  expect(dry.stdout).toContain(`would remove ${stopped.id} (inactive)`);
  expect(dry.stdout).toContain('2 would remove, 2 kept.');
  expect(await client.list()).toHaveLength(4);
  const pruned = await isao(['webhooks', 'prune', '--url', HOOK, '--json'], { env });
  expect(pruned.code).toBe(0);
  expect(parsed(pruned.stdout)).toMatchObject({
    dryRun: false,
    kept: [{ id: newest.id }],
    removed: [
      { id: old.id, reason: 'duplicate' },
      { id: stopped.id, reason: 'inactive' },
    ],
  });
  expect((await client.list()).map((s) => s.id).sort()).toEqual([newest.id, other.id].sort());
});

it('exits 3 with the core’s words when ISAO refuses, never showing the key', async () => {
  const key = 'isao_not_a_key_0000';
  const bad = await isao(['webhooks', 'list'], { env: { ...env, ISAO_API_KEY: key } });
  expect(bad.code).toBe(3);
  expect(bad.stderr).toContain('ISAO rejected the API key (401 Unauthorized');
  const restricted = await isao(['webhooks', 'subscribe', HOOK, 'deal.won'], {
    env: { ...env, ISAO_API_KEY: sandbox.restrictedApiKey },
  });
  expect(restricted.code).toBe(3);
  // subscribe reads GET /webhooks first
  expect(restricted.stderr).toContain('lacks the `webhooks:read` permission');
  const invalid = await isao(['webhooks', 'subscribe', 'ftp://x/hook', 'deal.won'], { env });
  expect(invalid.stderr).toContain('Fix the field ISAO named (target_url)');
  sandbox.failNext(502);
  const down = await isao(['webhooks', 'list'], { env });
  expect(down.code).toBe(3);
  expect(down.stderr).toContain('The ISAO API had a problem (502)');
  const inUrl = await isao([
    'webhooks',
    'list',
    '--api-key',
    key,
    '--base-url',
    `${sandbox.baseUrl}?key=${key}`,
  ]);
  expect(inUrl.code).toBe(2);
  expect(inUrl.stderr).toContain('--base-url "http://127.0.0.1:');
  expect(inUrl.stderr).toContain('must be a plain base URL');
  for (const output of [bad, restricted, inUrl])
    expect(output.stdout + output.stderr).not.toContain(key);
});

it('exits 2 without a key, with an unknown event or action', async () => {
  const noKey = await isao(['webhooks', 'list'], { env: { ISAO_BASE_URL: sandbox.baseUrl } });
  expect(noKey).toMatchObject({ code: 2 });
  expect(noKey.stderr).toContain('No API key: set ISAO_API_KEY (or pass --api-key).');
  const http = await isao(['webhooks', 'list'], {
    env: { ...env, ISAO_BASE_URL: 'http://isao.example/api' },
  });
  expect(http.code).toBe(2);
  expect(http.stderr).toContain('ISAO_BASE_URL "http://isao.example/…" must use https');
  const event = await isao(['webhooks', 'subscribe', HOOK, 'deal.signed'], { env });
  expect(event.code).toBe(2);
  expect(event.stderr).toContain('"deal.signed" is not an ISAO event');
  const action = await isao(['webhooks', 'remove'], { env });
  expect(action.code).toBe(2);
});

it('lists one row per subscription, filtered by --url, or says there are none', async () => {
  expect(await isao(['webhooks', 'list'], { env })).toMatchObject({
    code: 0,
    stdout: 'No webhook subscriptions.\n',
  });
  const made = await client.subscribe('deal.won', HOOK);
  await client.subscribe('deal.won', `${HOOK}/other`);
  const [listed] = (await client.list()).filter((s) => s.id === made.id);
  const row = await isao(['webhooks', 'list', '--url', HOOK], { env });
  expect(row.stdout).toBe(
    `${made.id}  ${'deal.won'.padEnd(19)}  active    ${listed?.createdAt ?? ''}  ${HOOK}\n`,
  );
  sandbox.deactivate(made.id);
  expect((await isao(['webhooks', 'list', '--url', HOOK], { env })).stdout).toContain(
    `  inactive  `,
  );
});

it('says what subscribe did: created or reused, and what it removed', async () => {
  const stopped = await client.subscribe('deal.won', HOOK);
  sandbox.deactivate(stopped.id);
  const made = await isao(['webhooks', 'subscribe', HOOK, 'deal.won'], { env });
  const lines = made.stdout.split('\n');
  expect(lines[0]).toMatch(/^deal\.won: subscribed \(sub_\w+\)$/);
  expect(made.stdout).toContain(`  removed: ${stopped.id}\n`);
  const again = await isao(['webhooks', 'subscribe', HOOK, 'deal.won'], { env });
  expect(again.stdout).toMatch(/^deal\.won: already subscribed \(sub_\w+\)\n$/);
});

it('exits 2 naming what subscribe and unsubscribe need, and the actions', async () => {
  const usage = (message: string) => `isao: ${message}\nRun isao --help for the commands.\n`;
  expect((await isao(['webhooks', 'subscribe', HOOK], { env })).stderr).toBe(
    usage('isao webhooks subscribe needs a URL and at least one event.'),
  );
  expect((await isao(['webhooks', 'subscribe'], { env })).stderr).toBe(
    usage('isao webhooks subscribe needs a URL and at least one event.'),
  );
  expect((await isao(['webhooks', 'unsubscribe'], { env })).stderr).toBe(
    usage('isao webhooks unsubscribe needs a subscription id.'),
  );
  expect((await isao(['webhooks', 'remove'], { env })).stderr).toBe(
    usage(`Usage:\n${WEBHOOKS_USAGE}`),
  );
  const event = await isao(['webhooks', 'list', '--event', 'deal.signed'], { env });
  expect(event.stderr).toBe(
    usage(`"deal.signed" is not an ISAO event; the events are ${EVENT_NAMES.join(', ')}.`),
  );
});
