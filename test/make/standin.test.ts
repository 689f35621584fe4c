/**
 * The stand-in of Make's API answers as Make's own tooling says Make answers, not as the deploy
 * expects: each section in the content type Make's VS Code extension sends it with, an instant
 * trigger created only with its webhook, each section judged by Make's schemas with Make's
 * validation answer, and its 429s and validation errors now and then the same on every run.
 */
import { Make, MakeError } from '@makehq/sdk';
import { contentTypeOf, seededFaults, type Call } from '../../make/standin-rules';
import { StandinPerTest } from './deploy-harness';

const live = new StandinPerTest();
const { token } = live;

/** A call as the SDK would make it; Make's answer and its status. */
const send = async (method: string, path: string, type: string, body: string) => {
  const response = await fetch(`http://${live.zone}/api/v2/sdk/apps${path}`, {
    method,
    headers: { authorization: `Token ${token}`, 'content-type': type },
    body,
  });
  const answer: unknown = await response.json();
  return { status: response.status, answer };
};
const json = (method: string, path: string, body: object) =>
  send(method, path, 'application/json', JSON.stringify(body));

/** An app with a connection and a webhook; Make's names for them. */
const setUp = async () => {
  await json('POST', '', { name: 'isao', label: 'ISAO', audience: 'global' });
  const connection = (await json('POST', '/isao/connections', { type: 'basic', label: 'ISAO' }))
    .answer as { appConnection: { name: string } };
  const webhook = (
    await json('POST', '/isao/webhooks', {
      type: 'web',
      label: 'Deal Won',
      connection: connection.appConnection.name,
    })
  ).answer as { appWebhook: { name: string } };
  return { connection: connection.appConnection.name, webhook: webhook.appWebhook.name };
};

test.each([
  ['groups', 'application/json', 'application/jsonc'],
  ['base', 'application/jsonc', 'application/json'],
  ['readme', 'text/markdown', 'application/jsonc'],
])('an app section %s is taken as %s, and refused as %s', async (section, good, bad) => {
  await setUp();
  const body = section === 'groups' ? '[]' : section === 'base' ? '{}' : '# ISAO';
  expect((await send('PUT', `/isao/1/${section}`, bad, body)).status).toBe(400);
  expect((await send('PUT', `/isao/1/${section}`, `${good}; charset=utf-8`, body)).status).toBe(
    200,
  );
  expect(live.standin.state.apps.get('isao')?.sections.get(section)).toBe(body);
  expect(live.standin.problems).toEqual([
    `/api/v2/sdk/apps/isao/1/${section}: section ${section} sent as ${bad}, Make takes ${good}`,
  ]);
});

test('every IML section of a component is JSONC, as Make’s tooling sends it', () => {
  expect(
    ['api', 'parameters', 'expect', 'interface', 'samples', 'attach', 'detach'].map(contentTypeOf),
  ).toEqual(Array<string>(7).fill('application/jsonc'));
  expect(contentTypeOf('common')).toBe('application/json');
});

test('an instant trigger is created with its webhook, or refused', async () => {
  const { connection, webhook } = await setUp();
  const trigger = { name: 'watchDealWon', typeId: 10, label: 'Watch', description: 'Watch' };
  expect((await json('POST', '/isao/1/modules', { ...trigger, connection })).status).toBe(400);
  expect(
    (await json('POST', '/isao/1/modules', { ...trigger, connection, webhook: 'isao99' })).status,
  ).toBe(404);
  expect(live.standin.state.modules.size).toBe(0);
  expect((await json('POST', '/isao/1/modules', { ...trigger, connection, webhook })).status).toBe(
    200,
  );
  expect(live.standin.state.modules.get('watchDealWon')).toMatchObject({ connection, webhook });
  expect(
    (await json('PATCH', '/isao/1/modules/watchDealWon', { webhook: null, label: 'W' })).status,
  ).toBe(400);
  expect(live.standin.state.modules.get('watchDealWon')).toMatchObject({ label: 'Watch', webhook });
});

test('a universal module needs its subtype; an unknown module type is refused', async () => {
  await setUp();
  const module = { name: 'call', label: 'Call', description: 'Call' };
  expect((await json('POST', '/isao/1/modules', { ...module, typeId: 12 })).status).toBe(400);
  expect((await json('POST', '/isao/1/modules', { ...module, typeId: 7 })).status).toBe(400);
  const ok = await json('POST', '/isao/1/modules', { ...module, typeId: 12, subtype: 'Universal' });
  expect(ok.status).toBe(200);
});

test('a section that fails Make’s schema gets Make’s validation answer, which the SDK reads', async () => {
  const { webhook } = await setUp();
  const make = new Make(token, live.zone);
  make.protocol = 'http';
  const refused = make.sdk.webhooks.setSection(
    webhook,
    'parameters',
    JSON.stringify([{ name: 'x', type: 'no-such-type' }]),
  );
  await expect(refused).rejects.toBeInstanceOf(MakeError);
  await expect(refused).rejects.toMatchObject({
    statusCode: 400,
    message: expect.stringMatching(/^Validation failed: section parameters\n - \/0\/type: /),
  });
  expect(live.standin.state.webhooks.get(webhook)?.sections.has('parameters')).toBe(false);
  await make.sdk.webhooks.setSection(webhook, 'parameters', '[{"name": "x", "type": "text"}]');
  expect(live.standin.state.webhooks.get(webhook)?.sections.get('parameters')).toContain('"x"');
});

test('a section that is not JSON is refused', async () => {
  const { connection } = await setUp();
  const answer = await send('PUT', `/connections/${connection}/api`, 'application/jsonc', '{"u": ');
  expect(answer).toMatchObject({
    status: 400,
    answer: { message: 'Validation failed: section api is not valid JSON' },
  });
});

test('a wrong token is refused before anything else', async () => {
  const answer = await fetch(`http://${live.zone}/api/v2/sdk/apps`, {
    method: 'POST',
    headers: { authorization: 'Token wrong', 'content-type': 'application/json' },
    body: '{}',
  });
  expect(answer.status).toBe(401);
  expect(live.standin.state.apps.size).toBe(0);
});

describe('faults now and then', () => {
  const call = (method: string): Call => ({
    method,
    path: '/x',
    contentType: '',
    body: '',
    status: 0,
  });
  const draws = (seed: number) => {
    const faults = seededFaults(seed, { tooMany: 0.2, invalid: 0.2 }, 3);
    return Array.from({ length: 200 }, (_, i) => faults(call(i % 2 ? 'PUT' : 'POST'), i));
  };

  test('a seed gives the same answers on every run, another seed others', () => {
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    const seen = draws(7);
    expect(seen).toContainEqual({ status: 429, retryAfter: 3 });
    expect(seen.filter((fault) => fault?.status === 400).length).toBeGreaterThan(0);
    // a validation error answers an upload only
    expect(seen.filter((fault, i) => fault?.status === 400 && i % 2 === 0)).toEqual([]);
  });

  test('a 429 says how long to wait; the call it answered did nothing', async () => {
    await live.restart({
      faults: (received) =>
        received.method === 'POST' ? { status: 429, retryAfter: 2 } : undefined,
    });
    const response = await fetch(`http://${live.zone}/api/v2/sdk/apps`, {
      method: 'POST',
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'isao', label: 'ISAO', audience: 'global' }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(live.standin.state.apps.size).toBe(0);
    expect(live.standin.calls.map((c) => c.status)).toEqual([429]);
    expect(live.standin.problems).toEqual([]);
  });
});
