/**
 * The API client of @isao/webhooks against the ISAO sandbox on 127.0.0.1: subscriptions kept to
 * one per event and URL, samples, recent records, Create Contact, and every failure as words a
 * person can act on, naming the status, permission or field, never holding the key.
 */
import { IsaoClient } from '../../../sdk/src/client';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { freePort } from '../helpers';
import { failure } from './failure';

let sandbox: Sandbox;
let client: IsaoClient;
const HOOK = 'http://127.0.0.1:9/hooks/isao';

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  client = new IsaoClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl });
});
afterAll(() => sandbox.close());
afterEach(async () => {
  sandbox.setRateLimit(false);
  await client.removeAll(await client.list());
});

describe('subscriptions', () => {
  it('subscribes, lists and unsubscribes; a second unsubscribe is already gone', async () => {
    const made = await client.subscribe('deal.won', HOOK);
    expect(made.id).toMatch(/^sub_/);
    expect(await client.list()).toEqual([
      {
        id: made.id,
        event: 'deal.won',
        targetUrl: HOOK,
        active: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(await client.unsubscribe(made.id)).toEqual({ id: made.id, alreadyGone: false });
    expect(await client.unsubscribe(made.id)).toEqual({ id: made.id, alreadyGone: true });
    expect(await client.list()).toEqual([]);
  });

  it('ensureSubscription reuses the active one, removes duplicates and inactive ones, touches no other URL or event', async () => {
    const old = await client.subscribe('deal.won', HOOK);
    const stopped = await client.subscribe('deal.won', HOOK);
    const newest = await client.subscribe('deal.won', HOOK);
    sandbox.deactivate(stopped.id);
    const otherUrl = await client.subscribe('deal.won', `${HOOK}/other`);
    const otherEvent = await client.subscribe('deal.lost', HOOK);
    const [ensured, ...more] = await client.ensureSubscription({
      events: 'deal.won',
      targetUrl: HOOK,
    });
    expect(more).toEqual([]);
    expect(ensured).toMatchObject({ created: false, secret: undefined, left: [] });
    expect(ensured?.subscription.id).toBe(newest.id);
    expect(ensured?.removed.sort()).toEqual([old.id, stopped.id].sort());
    expect((await client.list()).map((s) => s.id).sort()).toEqual(
      [newest.id, otherUrl.id, otherEvent.id].sort(),
    );
    // again: nothing to do
    const [again] = await client.ensureSubscription({ events: ['deal.won'], targetUrl: HOOK });
    expect(again).toMatchObject({ created: false, removed: [], subscription: { id: newest.id } });
  });

  it('ensureSubscription subscribes when only an inactive one is left, and removes it', async () => {
    const stopped = await client.subscribe('contact.created', HOOK);
    sandbox.deactivate(stopped.id);
    const [ensured] = await client.ensureSubscription({
      events: 'contact.created',
      targetUrl: HOOK,
    });
    expect(ensured).toMatchObject({ created: true, removed: [stopped.id], left: [] });
    expect(await client.list()).toEqual([
      expect.objectContaining({ id: ensured?.subscription.id, active: true }),
    ]);
  });

  it('ensureSubscription with filters subscribes afresh and removes the older one', async () => {
    const old = await client.subscribe('contact.created', HOOK);
    const [ensured] = await client.ensureSubscription({
      events: 'contact.created',
      targetUrl: HOOK,
      filters: { tags: ['vip'] },
    });
    expect(ensured?.created).toBe(true);
    expect(ensured?.removed).toEqual([old.id]);
    expect((await client.list()).map((s) => s.id)).toEqual([ensured?.subscription.id]);
  });

  it('refuses an event ISAO does not send, naming it, before any call', async () => {
    // a JavaScript caller, whom TypeScript does not check (a method's parameters are bivariant)
    const untyped: { subscribe(event: string, targetUrl: string): Promise<unknown> } = client;
    const error = await failure(untyped.subscribe('deal.signed', HOOK));
    expect(error).toMatchObject({ status: 0, code: 'invalid_input', field: 'event' });
    expect(error.message).toContain('"deal.signed" is not an ISAO event');
  });
});

describe('samples, recent records and contacts', () => {
  it('gives the sample, the recent records and a created contact as the New Contact trigger does', async () => {
    expect(await client.sample('deal.won')).toMatchObject({ title: expect.any(String) });
    const contact = await client.createContact({
      name: 'Ana Jones',
      phoneNumber: '+44 (0) 20 7946 0958',
      email: 'Ana <ana@example.com>',
      tags: 'lead, vip',
    });
    expect(contact).toMatchObject({
      name: 'Ana Jones',
      phoneNumber: '+442079460958',
      email: 'ana@example.com',
      tags: ['lead', 'vip'],
    });
    const recent = await client.recent('contact.created', { limit: 1, since: new Date(0) });
    expect(recent.map((r) => r.id)).toEqual([contact.id]);
  });

  it('refuses a contact it cannot send, naming the field, without a request', async () => {
    const error = await failure(client.createContact({ name: 'Ana', phoneNumber: '12' }));
    expect(error).toMatchObject({ status: 0, code: 'invalid_input', field: 'phoneNumber' });
    expect(error.message).toContain('Phone Number "12" is not a phone number');
  });
});

describe('failures', () => {
  it('401: the key is rejected, and never shown', async () => {
    const key = 'isao_wrong_key_1234';
    const error = await failure(new IsaoClient({ apiKey: key, baseUrl: sandbox.baseUrl }).list());
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(error.message).toContain('ISAO rejected the API key (401 Unauthorized');
    expect(JSON.stringify([error.message, error.code, error.field])).not.toContain(key);
  });

  it('refuses to call without a key, before any request', async () => {
    const error = await failure(new IsaoClient({ apiKey: ' ', baseUrl: sandbox.baseUrl }).list());
    expect(error).toMatchObject({ status: 0, code: 'invalid_api_key' });
    expect(error.message).toMatch(
      /^No API key: pass apiKey to IsaoClient\. Find or create your API key/,
    );
  });

  it('403: names the permission the key lacks', async () => {
    const restricted = new IsaoClient({
      apiKey: sandbox.restrictedApiKey,
      baseUrl: sandbox.baseUrl,
    });
    const error = await failure(restricted.subscribe('deal.won', HOOK));
    expect(error.status).toBe(403);
    expect(error.message).toContain('lacks the `webhooks:write` permission');
  });

  it('404: names the path', async () => {
    const lost = new IsaoClient({ apiKey: sandbox.apiKey, baseUrl: `${sandbox.baseUrl}/v9` });
    const error = await failure(lost.list());
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    expect(error.message).toContain(
      'ISAO could not find "/api/external/v9/webhooks" (404 Not Found',
    );
  });

  it('422: names the fields ISAO refused', async () => {
    const error = await failure(client.subscribe('deal.won', 'ftp://example.com/hook'));
    expect(error).toMatchObject({ status: 422, code: 'invalid_input' });
    expect(error.message).toContain('Fix the field ISAO named (target_url)');
  });

  it('429: says when to try again', async () => {
    sandbox.setRateLimit({ requests: 1, windowMs: 60_000 });
    await client.list();
    const error = await failure(client.list());
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfter: expect.any(Number),
    });
    expect(error.message).toMatch(/\(429 Too Many Requests\): try again in \d+ s\./);
  });

  it.each([500, 502, 503])('%i: a problem on ISAO’s side, usually temporary', async (status) => {
    sandbox.failNext(status);
    const error = await failure(client.list());
    expect(error).toMatchObject({ status, code: 'api_error' });
    expect(error.message).toContain(`The ISAO API had a problem (${String(status)})`);
  });

  it('refuses a base URL that is not https, or holds a secret, before sending the key', async () => {
    const key = 'isao_key_in_the_url_5678';
    const plain = await failure(
      new IsaoClient({ apiKey: key, baseUrl: 'http://isao.example/api' }).list(),
    );
    expect(plain.message).toContain('must use https');
    const withKey = new IsaoClient({ apiKey: key, baseUrl: `${sandbox.baseUrl}?key=${key}` });
    const error = await failure(withKey.list());
    expect(error.message).toContain('must be a plain base URL');
    expect(error.message).not.toContain(key);
  });

  it('names the host when nothing answers', async () => {
    const port = await freePort();
    const closed = new IsaoClient({
      apiKey: sandbox.apiKey,
      baseUrl: `http://127.0.0.1:${String(port)}/api`,
    });
    const error = await failure(closed.list());
    expect(error).toMatchObject({ status: 0, code: 'request_failed' });
    expect(error.message).toBe(
      `Could not reach the ISAO API at 127.0.0.1:${String(port)}: the connection was refused (ECONNREFUSED).`,
    );
  });
});
