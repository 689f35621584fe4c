/** The sandbox ISAO API over real HTTP: authentication, permissions and the rate limit. */
import { type Out, sandbox, call } from './server.setup';

describe('authentication and permissions', () => {
  it('GET /test names the company the key belongs to', async () => {
    const res = await call('GET', '/test');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: { company: sandbox.company } });
    expect(sandbox.company.name).toBeTruthy();
  });

  it('answers 401 with a message for a wrong or missing key', async () => {
    const wrong = await call('GET', '/test', undefined, 'not-a-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ success: false, message: 'Invalid API key' });
    const res = await fetch(`${sandbox.baseUrl}/webhooks`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as Out).message).toMatch(/Missing API key/);
  });

  it('answers 403 to the restricted key on webhook endpoints, and lets it create contacts', async () => {
    const restricted = (method: string, path: string, body?: unknown) =>
      call(method, path, body, sandbox.restrictedApiKey);
    expect((await restricted('GET', '/test')).status).toBe(200);
    const target = { event: 'contact.created', target_url: 'http://127.0.0.1:1/x' };
    const sub = await restricted('POST', '/webhooks/subscribe', target);
    expect(sub.status).toBe(403);
    expect(sub.body).toEqual({
      success: false,
      message: 'This API key lacks the webhooks:write permission',
    });
    expect((await restricted('GET', '/webhooks')).status).toBe(403);
    expect((await restricted('GET', '/triggers/deal.won/recent')).status).toBe(403);
    const contact = await restricted('POST', '/contacts', {
      name: 'A B',
      phoneNumber: '0612345678',
    });
    expect(contact.status).toBe(201);
  });

  it('answers 404 outside the API and 405 for a wrong method, as JSON', async () => {
    expect((await call('GET', '/nope')).status).toBe(404);
    const res = await fetch(`${sandbox.baseUrl.replace('/api/external', '')}/test`);
    expect(res.status).toBe(404);
    const wrong = await call('GET', '/webhooks/subscribe');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((wrong.body as Out).success).toBe(false);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key is over the limit', async () => {
    sandbox.setRateLimit({ requests: 2, windowMs: 30_000 });
    const first = await call('GET', '/test');
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await call('GET', '/test')).status).toBe(200);
    const limited = await call('GET', '/test');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect((limited.body as Out).message).toMatch(/^Rate limit exceeded: 2 requests per 30 s/);
    // per key: the other key still has its budget
    expect((await call('GET', '/test', undefined, sandbox.restrictedApiKey)).status).toBe(200);
  });

  it('can be switched off', async () => {
    sandbox.setRateLimit(false);
    for (let i = 0; i < 5; i += 1) expect((await call('GET', '/test')).status).toBe(200);
  });
});
