/**
 * How the deploy takes Make's answers, from the stand-in of Make's API: a 429 is retried after
 * the wait Make asks for (Retry-After), within bounds, and a refusal (a validation error, a wrong
 * token) stops the deploy with one line naming the component and the section and holding Make's
 * words, never the token.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RATE_LIMIT } from '../../make/deploy-calls';
import { loadState } from '../../make/deploy-state';
import { APP_DIR } from '../../make/generate';
import type { Call, Fault } from '../../make/standin-rules';
import { StandinPerTest } from './deploy-harness';

const live = new StandinPerTest();
const GROUPS = '/api/v2/sdk/apps/isao/1/groups';

/** Answers `fault` to the first `times` calls to `where`. */
const first = (times: number, where: string, fault: Fault) => {
  let seen = 0;
  return (call: Call) => (call.path === where && (seen += 1) <= times ? fault : undefined);
};

const groupsCalls = () =>
  live.standin.calls.filter((call) => call.path === GROUPS).map((call) => call.status);

test('a 429 is retried after the seconds Make asks for in Retry-After', async () => {
  await live.restart({ faults: first(2, GROUPS, { status: 429, retryAfter: 7 }) });
  const run = await live.deploy();
  expect(run.code).toBe(0);
  expect(run.waits).toEqual([7000, 7000]);
  expect(groupsCalls()).toEqual([429, 429, 200]);
  expect(loadState(live.mapFile).digests['app/groups']).toBeDefined();
}, 60_000);

test('a 429 without Retry-After is retried after 2 s, then 4 s, …', async () => {
  await live.restart({ faults: first(3, GROUPS, { status: 429 }) });
  const run = await live.deploy();
  expect(run.code).toBe(0);
  expect(run.waits).toEqual([2000, 4000, 8000]);
}, 60_000);

test('a 429 that does not end stops the deploy after its retries, the map not claiming the call', async () => {
  await live.restart({ faults: first(100, GROUPS, { status: 429, retryAfter: 1 }) });
  const run = await live.deploy();
  expect(run.code).toBe(1);
  expect(run.waits).toEqual(Array<number>(RATE_LIMIT.retries).fill(1000));
  expect(groupsCalls()).toHaveLength(RATE_LIMIT.retries + 1);
  expect(run.errors).toEqual([
    'make:deploy failed: app groups (modules/groups.json): Make answered 429 Too Many Requests 6 times in a row (its rate limit): run the deploy again later',
  ]);
  expect(loadState(live.mapFile).digests['app/groups']).toBeUndefined();
}, 60_000);

test('a wait longer than the deploy waits stops it at once', async () => {
  await live.restart({ faults: first(1, GROUPS, { status: 429, retryAfter: 3600 }) });
  const run = await live.deploy();
  expect(run.code).toBe(1);
  expect(run.waits).toEqual([]);
  expect(run.errors).toEqual([
    'make:deploy failed: app groups (modules/groups.json): Make answered 429 Too Many Requests and asked to wait 3600 s, longer than the deploy waits (60 s): run it again later',
  ]);
}, 60_000);

test('a section Make’s schema refuses is one line: the component, the section, Make’s words', async () => {
  const appDir = live.appCopy();
  const file = 'modules/watch-deal-won/watch-deal-won.interface.iml.json';
  fs.writeFileSync(path.join(appDir, file), '[{"name": "eventId", "type": "no-such-type"}]\n');
  const run = await live.deploy(appDir);
  expect(run.code).toBe(1);
  expect(run.errors).toEqual([
    `make:deploy failed: module watchDealWon, section interface (${file}): Make answered 400: Validation failed: section interface - /0/type: must be equal to one of the allowed values - /0/type: must match pattern "^.*[{][{].*[}][}].*$" - /0/type: must match exactly one schema in oneOf`,
  ]);
  expect(loadState(live.mapFile).digests['module/watchDealWon/interface']).toBeUndefined();
}, 60_000);

test('Make’s words are shown without the token, even when they hold it', async () => {
  await live.restart({
    faults: first(1, GROUPS, { status: 400, message: `token ${live.token} may not do that` }),
  });
  const run = await live.deploy();
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(/^make:deploy failed: app groups \(modules\/groups.json\): /);
  expect(run.errors[0]).toContain('may not do that');
  expect(run.errors[0]).not.toContain(live.token);
}, 60_000);

test('a token pasted with spaces or a line break around it is taken without them', async () => {
  expect((await live.deploy(APP_DIR, ` ${live.token}\n`)).code).toBe(0);
}, 60_000);

test('a map naming an app Make does not hold stops the deploy at its check, naming the app', async () => {
  expect((await live.deploy()).code).toBe(0);
  await live.restart();
  const run = await live.deploy();
  expect(run.errors).toEqual([
    expect.stringMatching(/^make:deploy failed: the app isao v1 in the map: Make answered 404: /),
  ]);
  expect(live.standin.calls.map((call) => call.method)).toEqual(['GET']);
}, 60_000);

test('a refused module create, and Make not saying whether it holds the module: its answer to the look stops the deploy', async () => {
  const module = '/api/v2/sdk/apps/isao/1/modules';
  await live.restart({
    faults: (call) =>
      call.path === module
        ? { status: 400, message: 'create refused by the test' }
        : call.path.startsWith(`${module}/`)
          ? { status: 429, retryAfter: 1 }
          : undefined,
  });
  const run = await live.deploy();
  const id = live.standin.calls
    .find((call) => call.method === 'GET' && call.path.startsWith(`${module}/`))
    ?.path.slice(module.length + 1);
  expect(run.errors).toEqual([
    `make:deploy failed: creating module ${String(id)}: Make answered 429 Too Many Requests 6 times in a row (its rate limit): run the deploy again later`,
  ]);
  expect(loadState(live.mapFile).names.module).toEqual({});
}, 60_000);

test('a wrong token is one line of Make’s words, never the token', async () => {
  const token = randomUUID();
  const run = await live.deploy(APP_DIR, token);
  expect(run.code).toBe(1);
  expect(run.errors).toEqual([
    'make:deploy failed: creating the app isao: Make answered 401: POST /api/v2/sdk/apps: not authorised with the API token',
  ]);
  expect(run.errors.join('\n')).not.toContain(token);
}, 60_000);
