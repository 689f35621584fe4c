/**
 * The sandbox ISAO API over real HTTP on 127.0.0.1: status codes, envelopes and error bodies,
 * the sandbox-only endpoints and their events, and webhook delivery (signature, retries,
 * timeouts, filters, ordering, never blocking the request that caused the event).
 */
import { createServer, type Server } from 'node:http';
import { startCatchHook, type CatchHook } from '../../sandbox/local-zapier';
import { closeServer, listenLocally } from '../../sandbox/loopback';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { signWebhook } from '../../sandbox/signing';
import type { Envelope } from '../../sandbox/webhooks';
import { EVENT_NAMES } from '../../core/events';
import { allowLoopback } from '../helpers';

type Out = Record<string, unknown>;
const SECRET = 'whsec_test_secret';

let sandbox: Sandbox;
let hooks: CatchHook;

beforeAll(async () => {
  allowLoopback();
  hooks = await startCatchHook();
});

beforeEach(async () => {
  sandbox = await startSandbox({
    signingSecret: SECRET,
    delivery: { backoffMs: 10, timeoutMs: 500 },
  });
});

afterEach(async () => {
  await sandbox.close();
  hooks.failNext(0);
});

afterAll(async () => {
  await hooks.close();
});

const call = (method: string, path: string, body?: unknown, key?: string) =>
  sandbox.call(method, path, body, key);

let hookCount = 0;
/** Subscribes `event` to a fresh catch-hook path; returns the subscription and that path. */
const subscribe = async (event: string, filters?: Out) => {
  hookCount += 1;
  const path = `/hook-${String(hookCount)}`;
  const res = await call('POST', '/webhooks/subscribe', {
    event,
    target_url: `${hooks.url}${path}`,
    ...(filters ? { filters } : {}),
  });
  expect(res.status).toBe(201);
  return { path, subscription: (res.body as Out).data as Out };
};

const newContact = async (fields: Out = {}) => {
  const res = await call('POST', '/contacts', {
    name: 'Ada Lovelace',
    phoneNumber: '+44 20 7946 0958',
    ...fields,
  });
  expect(res.status).toBe(201);
  return (res.body as Out).data as Out;
};

const eventsOf = () => sandbox.events.map((e) => e.event);
const parse = (raw: string) => JSON.parse(raw) as Envelope;
/** The record ids delivered to a catch-hook path, in arrival order. */
const deliveredIds = (path: string) =>
  hooks.caught.filter((h) => h.path === path).map((h) => parse(h.raw).data.id);

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

describe('webhook subscriptions', () => {
  it('subscribes, lists (exactly the documented item) and unsubscribes as the ISAO webhooks guide documents', async () => {
    const res = await call('POST', '/webhooks/subscribe', {
      event: 'contact.created',
      target_url: 'https://hooks.zapier.com/hooks/catch/1/abc',
      filters: { tags: ['lead', ' vip '] },
    });
    expect(res.status).toBe(201);
    const data = (res.body as Out).data as Out;
    expect(data).toEqual({
      id: expect.stringMatching(/^hook_/),
      subscription_id: expect.stringMatching(/^sub_[0-9a-f]{16}$/),
      event: 'contact.created',
      target_url: 'https://hooks.zapier.com/hooks/catch/1/abc',
      filters: { tags: ['lead', 'vip'] },
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });

    const list = await call('GET', '/webhooks');
    expect(list.body).toEqual({
      success: true,
      data: [
        {
          id: data.id,
          subscription_id: data.subscription_id,
          event_type: 'contact.created',
          target_url: data.target_url,
          is_active: true,
          created_at: data.created_at,
        },
      ],
    });

    const gone = await call('DELETE', '/webhooks/unsubscribe', {
      subscription_id: data.subscription_id,
    });
    expect(gone.body).toEqual({ success: true, message: 'Webhook unsubscribed successfully' });
    expect(((await call('GET', '/webhooks')).body as Out).data).toEqual([]);
  });

  it('keeps every filter the app sends (tags, stage, staff, location), trimmed', async () => {
    const res = await call('POST', '/webhooks/subscribe', {
      event: 'appointment.updated',
      target_url: 'https://hooks.zapier.com/hooks/catch/1/abc',
      filters: { staff: [' 42441 ', 'Ana Jones'], location: ['Paris Office'], stage: ['Won'] },
    });
    expect(res.status).toBe(201);
    const expected = {
      staff: ['42441', 'Ana Jones'],
      location: ['Paris Office'],
      stage: ['Won'],
    };
    expect(((res.body as Out).data as Out).filters).toEqual(expected);
    const unknown = await call('POST', '/webhooks/subscribe', {
      event: 'deal.won',
      target_url: 'https://x.example',
      filters: { owner: ['me'] },
    });
    expect(((unknown.body as Out).errors as Out[])[0]!.message).toBe(
      'filters may only contain tags, stage, staff, location, not owner',
    );
  });

  it('accepts filters and a target_url at their size limits', async () => {
    const stage = Array.from({ length: 50 }, (_, i) => `${String(i)}${'s'.repeat(198)}`);
    const target_url = `https://x.example/${'a'.repeat(2048 - 'https://x.example/'.length)}`;
    const res = await call('POST', '/webhooks/subscribe', {
      event: 'deal.won',
      target_url,
      filters: { stage },
    });
    expect(res.status).toBe(201);
    expect(((res.body as Out).data as Out).filters).toEqual({ stage });
  });

  it('answers 404 for an unknown or already deleted subscription', async () => {
    const { subscription } = await subscribe('deal.won');
    const body = { subscription_id: subscription.subscription_id };
    expect((await call('DELETE', '/webhooks/unsubscribe', body)).status).toBe(200);
    const again = await call('DELETE', '/webhooks/unsubscribe', body);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({
      success: false,
      message: `Subscription ${String(subscription.subscription_id)} not found`,
    });
  });

  it.each([
    [{}, ['event', 'target_url']],
    [{ event: 'contact.deleted', target_url: 'https://x.example/1' }, ['event']],
    [{ event: 'deal.won', target_url: 'ftp://x.example/1' }, ['target_url']],
    [{ event: 'deal.won', target_url: 'not a url' }, ['target_url']],
    [{ event: 'deal.won', target_url: 'https://x.example', filters: { owner: 'me' } }, ['filters']],
    [
      { event: 'deal.won', target_url: 'https://x.example', filters: { tags: 'vip' } },
      ['filters.tags'],
    ],
    [{ event: 'deal.won', target_url: 'https://x.example', filters: ['stage'] }, ['filters']],
    [
      { event: 'deal.won', target_url: 'https://x.example', filters: { stage: ['A'], owner: [] } },
      ['filters'],
    ],
    [
      { event: 'deal.stage_changed', target_url: 'https://x.example', filters: { stage: [] } },
      ['filters.stage'],
    ],
    [
      { event: 'deal.stage_changed', target_url: 'https://x.example', filters: { stage: [42] } },
      ['filters.stage'],
    ],
    [
      {
        event: 'appointment.created',
        target_url: 'https://x.example',
        filters: { staff: 'Ana', location: ['Paris', '  '] },
      },
      ['filters.staff', 'filters.location'],
    ],
    [{ event: 'deal.won', target_url: `https://x.example/${'a'.repeat(2048)}` }, ['target_url']],
    [
      {
        event: 'deal.won',
        target_url: 'https://x.example',
        filters: { stage: Array.from({ length: 51 }, (_, i) => `S${String(i)}`) },
      },
      ['filters.stage'],
    ],
    [
      { event: 'deal.won', target_url: 'https://x.example', filters: { stage: ['x'.repeat(201)] } },
      ['filters.stage'],
    ],
  ])('rejects the subscribe body %j with 422 naming %j', async (body, fields) => {
    const res = await call('POST', '/webhooks/subscribe', body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, message: 'Invalid webhook subscription' });
    expect(((res.body as Out).errors as Out[]).map((e) => e.field)).toEqual(fields);
  });

  it('rejects a body that is not JSON with 400, and a missing subscription_id with 422', async () => {
    const res = await fetch(`${sandbox.baseUrl}/webhooks/subscribe`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.apiKey}` },
      body: '{"event": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ success: false, message: 'Request body is not valid JSON' });
    const missing = await call('DELETE', '/webhooks/unsubscribe', {});
    expect(missing.status).toBe(422);
    expect((missing.body as Out).errors).toEqual([
      { field: 'subscription_id', message: 'subscription_id is required' },
    ]);
  });

  it('answers a malformed percent-encoding in the path with 400, not a crash', async () => {
    const res = await fetch(`${sandbox.baseUrl}/triggers/%E0%A4%A/sample`, {
      headers: { Authorization: `Bearer ${sandbox.apiKey}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      success: false,
      message: 'Malformed percent-encoding in the path: %E0%A4%A',
    });
  });
});

describe('POST /contacts', () => {
  it('creates the contact, answers {success, data} and emits contact.created from the api', async () => {
    const res = await call('POST', '/contacts', {
      name: '  Ada King Lovelace ',
      phoneNumber: '+44 (20) 7946-0958',
      email: 'ada@example.com',
      position: 'Analyst',
      currentCompany: 'Analytical Engines',
      tags: ['lead', ' vip', 'lead', ''],
    });
    expect(res.status).toBe(201);
    const data = (res.body as Out).data as Out;
    expect(data).toEqual({
      id: 'contact_1',
      name: 'Ada King Lovelace',
      firstName: 'Ada',
      lastName: 'King Lovelace',
      phoneNumber: '+44 (20) 7946-0958',
      email: 'ada@example.com',
      position: 'Analyst',
      currentCompany: 'Analytical Engines',
      tags: ['lead', 'vip'],
      companyId: sandbox.company.id,
      createdAt: expect.any(String),
      updatedAt: data.createdAt,
    });
    expect(sandbox.events).toEqual([
      {
        event: 'contact.created',
        timestamp: expect.any(String),
        data,
        metadata: { companyId: sandbox.company.id, eventId: expect.any(String), source: 'api' },
      },
    ]);
  });

  it.each([
    [{ phoneNumber: '+33612345678' }, 'name', 'name is required'],
    [{ name: '   ', phoneNumber: '+33612345678' }, 'name', 'name is required'],
    [{ name: 42, phoneNumber: '+33612345678' }, 'name', 'name must be a string'],
    [{ name: 'A' }, 'phoneNumber', 'phoneNumber is required'],
    [{ name: 'A', phoneNumber: 'call me' }, 'phoneNumber', /must be a phone number/],
    [{ name: 'A', phoneNumber: '12345' }, 'phoneNumber', /6 to 15 digits/],
    [
      { name: 'A', phoneNumber: '0612345678', email: 'ada@' },
      'email',
      'email must be a valid email address',
    ],
    [
      { name: 'A', phoneNumber: '0612345678', tags: 'vip' },
      'tags',
      'tags must be an array of strings',
    ],
  ])('rejects %j with 422 on %s', async (body, field, message) => {
    const res = await call('POST', '/contacts', body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ success: false, message: 'Validation failed' });
    const errors = (res.body as Out).errors as Out[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe(field);
    expect(errors[0]!.message).toEqual(
      typeof message === 'string' ? message : expect.stringMatching(message),
    );
    expect(sandbox.events).toEqual([]);
  });
});

describe('triggers: sample and recent', () => {
  it.each(EVENT_NAMES)(
    'GET /triggers/%s/sample returns one bare record with an id',
    async (event) => {
      const res = await call('GET', `/triggers/${event}/sample`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String) }));
    },
  );

  it('answers 404 for an unknown event type', async () => {
    const res = await call('GET', '/triggers/contact.deleted/recent');
    expect(res.status).toBe(404);
    expect((res.body as Out).message).toBe('Unknown event type contact.deleted');
  });

  it('lists recent records newest first, each once, honouring limit and since', async () => {
    const a = await newContact({ name: 'First One' });
    const b = await newContact({ name: 'Second One' });
    expect((await call('GET', '/triggers/contact.updated/recent')).body).toEqual([]);
    await call('PATCH', `/sandbox/contacts/${String(a.id)}`, { position: 'CEO' });
    await call('PATCH', `/sandbox/contacts/${String(a.id)}`, { position: 'CTO' });

    const created = await call('GET', '/triggers/contact.created/recent');
    expect((created.body as Out[]).map((c) => c.id)).toEqual([b.id, a.id]);
    const limited = await call('GET', '/triggers/contact.created/recent?limit=1');
    expect(limited.body).toEqual([b]);
    const updated = (await call('GET', '/triggers/contact.updated/recent')).body as Out[];
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ id: a.id, position: 'CTO' });

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await call('GET', `/triggers/contact.created/recent?since=${future}`)).body).toEqual(
      [],
    );
    const past = new Date(Date.now() - 60_000).toISOString();
    expect((await call('GET', `/triggers/contact.created/recent?since=${past}`)).body).toHaveLength(
      2,
    );
  });

  it.each(['limit=0', 'limit=ten', 'since=yesterday'])('answers 400 to ?%s', async (query) => {
    const res = await call('GET', `/triggers/contact.created/recent?${query}`);
    expect(res.status).toBe(400);
    expect((res.body as Out).success).toBe(false);
  });
});

describe('sandbox-only endpoints emit the matching events', () => {
  it('contacts: an update emits contact.updated; an update changing nothing emits nothing', async () => {
    const contact = await newContact();
    const res = await call('PATCH', `/sandbox/contacts/${String(contact.id)}`, {
      name: 'Augusta Ada King',
      tags: ['vip'],
    });
    expect(res.status).toBe(200);
    expect((res.body as Out).data).toMatchObject({
      name: 'Augusta Ada King',
      firstName: 'Augusta',
      lastName: 'Ada King',
      tags: ['vip'],
      phoneNumber: contact.phoneNumber,
    });
    await call('PATCH', `/sandbox/contacts/${String(contact.id)}`, { tags: ['vip'] });
    expect(eventsOf()).toEqual(['contact.created', 'contact.updated']);
    expect((await call('PATCH', '/sandbox/contacts/contact_999', {})).status).toBe(404);
    const bad = await call('PATCH', `/sandbox/contacts/${String(contact.id)}`, { email: 'x' });
    expect(bad.status).toBe(422);
  });

  it('deals: created, updated, stage changed, won and lost', async () => {
    const contact = await newContact();
    const res = await call('POST', '/sandbox/deals', {
      title: 'Analytical Engine',
      value: 5000,
      stage: 'Qualified',
      contactId: contact.id,
    });
    expect(res.status).toBe(201);
    const deal = (res.body as Out).data as Out;
    expect(deal).toMatchObject({
      id: 'deal_1',
      title: 'Analytical Engine',
      value: 5000,
      currency: 'EUR',
      stage: 'Qualified',
      previousStage: null,
      status: 'open',
      contactName: 'Ada Lovelace',
    });
    const path = `/sandbox/deals/${String(deal.id)}`;
    await call('PATCH', path, { value: 6000 });
    await call('PATCH', path, { stage: 'Proposal' });
    const won = await call('PATCH', path, { stage: 'Closed Won', status: 'won' });
    expect((won.body as Out).data).toMatchObject({
      stage: 'Closed Won',
      previousStage: 'Proposal',
      status: 'won',
    });
    await call('PATCH', path, { status: 'won' }); // no change: no event
    await call('PATCH', path, { status: 'lost' });
    expect(eventsOf()).toEqual([
      'contact.created',
      'deal.created',
      'deal.updated',
      'deal.updated',
      'deal.stage_changed',
      'deal.updated',
      'deal.stage_changed',
      'deal.won',
      'deal.updated',
      'deal.lost',
    ]);
    const stage = sandbox.events.find((e) => e.event === 'deal.stage_changed');
    expect(stage?.data).toMatchObject({ stage: 'Proposal', previousStage: 'Qualified' });
    expect(
      sandbox.events.every((e) => e.metadata.source !== 'api' || e.event.startsWith('contact')),
    ).toBe(true);
  });

  it.each([
    [{}, 'title'],
    [{ title: 'X', value: -1 }, 'value'],
    [{ title: 'X', status: 'maybe' }, 'status'],
    [{ title: 'X', contactId: 'contact_404' }, 'contactId'],
    [{ title: 'X', expectedCloseDate: 'soon' }, 'expectedCloseDate'],
  ])('deals: rejects %j with 422 on %s', async (body, field) => {
    const res = await call('POST', '/sandbox/deals', body);
    expect(res.status).toBe(422);
    expect(((res.body as Out).errors as Out[]).map((e) => e.field)).toEqual([field]);
  });

  it('appointments: created (the ISAO appointment object, custom fields), updated, deleted', async () => {
    const res = await call('POST', '/sandbox/appointments', {
      startDateTime: '2030-01-15T09:00:00+01:00',
      reason: { reasonId: 1, reasonDesc: 'Consultation', visitMinutes: 45 },
      client: { firstName: 'Jon', lastName: 'Snow', emailAddress: 'jon@example.com' },
      staff: { professionalId: 7, fullName: 'Dr. Ana Jones' },
      location: { locationId: 3, locationName: 'Paris Office' },
      fields: [{ label: 'Comments', value: 'Bring X-rays', dataType: 'AREA' }],
    });
    expect(res.status).toBe(201);
    const appt = (res.body as Out).data as Out;
    expect(appt).toMatchObject({
      id: 'appt_1',
      calendarid: 1,
      status: 'confirmed',
      startDateTime: '2030-01-15T08:00:00.000Z',
      endDateTime: '2030-01-15T08:45:00.000Z',
      fields: [{ label: 'Comments', value: 'Bring X-rays', dataType: 'AREA' }],
    });
    const path = `/sandbox/appointments/${String(appt.id)}`;
    const moved = await call('PATCH', path, { startDateTime: '2030-01-15T08:15:00Z' });
    expect(moved.status).toBe(200);
    const early = await call('PATCH', path, { endDateTime: '2030-01-15T08:00:00Z' });
    expect(early.status).toBe(422);
    expect(((early.body as Out).errors as Out[])[0]!.field).toBe('endDateTime');
    const deleted = await call('DELETE', path);
    expect((deleted.body as Out).data).toMatchObject({ id: appt.id, status: 'canceled' });
    expect((await call('DELETE', path)).status).toBe(404);
    expect(eventsOf()).toEqual([
      'appointment.created',
      'appointment.updated',
      'appointment.deleted',
    ]);
  });

  it('appointments: canceling is also appointment.deleted; a PATCH that changes nothing is no event', async () => {
    const res = await call('POST', '/sandbox/appointments', {
      startDateTime: '2030-01-15T09:00:00Z',
      client: { firstName: 'Jon' },
    });
    const path = `/sandbox/appointments/${String(((res.body as Out).data as Out).id)}`;
    expect((await call('PATCH', path, { status: 'confirmed' })).status).toBe(200);
    expect(eventsOf()).toEqual(['appointment.created']);
    expect((await call('PATCH', path, { status: 'canceled' })).status).toBe(200);
    expect(eventsOf()).toEqual([
      'appointment.created',
      'appointment.updated',
      'appointment.deleted',
    ]);
    const recent = await call('GET', '/triggers/appointment.deleted/recent');
    expect(recent.body).toEqual([expect.objectContaining({ status: 'canceled' })]);
  });

  it.each([
    [{ client: { firstName: 'Jon' } }, 'startDateTime'],
    [{ startDateTime: '2030-01-15', client: { firstName: 'Jon' } }, 'startDateTime'],
    [{ startDateTime: '2030-01-15T09:00:00Z' }, 'client'],
    [{ startDateTime: '2030-01-15T09:00:00Z', client: {} }, 'client'],
    [
      { startDateTime: '2030-01-15T09:00:00Z', client: { firstName: 'J' }, fields: [{ value: 1 }] },
      'fields',
    ],
  ])('appointments: rejects %j with 422 on %s', async (body, field) => {
    const res = await call('POST', '/sandbox/appointments', body);
    expect(res.status).toBe(422);
    expect(((res.body as Out).errors as Out[]).map((e) => e.field)).toEqual([field]);
  });
});

describe('webhook delivery', () => {
  it('POSTs the ISAO envelope, signed over the exact body bytes, with a unique eventId', async () => {
    const { path } = await subscribe('contact.created');
    const contact = await newContact({ name: 'Zoë Ünïcode' });
    const hook = await hooks.next(path);
    const body = parse(hook.raw);
    expect(body).toEqual({
      event: 'contact.created',
      timestamp: expect.any(String),
      data: contact,
      metadata: {
        companyId: sandbox.company.id,
        eventId: expect.stringMatching(/^evt_/),
        source: 'api',
      },
    });
    const expected = signWebhook(SECRET, Buffer.from(hook.raw, 'utf8'));
    expect(hook.headers['x-isao-hmac-sha256']).toBe(expected);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-isao-event-id']).toBe(body.metadata.eventId);

    await newContact();
    const second = parse((await hooks.next(path)).raw);
    expect(second.metadata.eventId).not.toBe(body.metadata.eventId);
  });

  it('sends no signature header when no secret is configured', async () => {
    await sandbox.close();
    sandbox = await startSandbox({ delivery: { backoffMs: 10 } });
    const { path } = await subscribe('contact.created');
    await newContact();
    expect((await hooks.next(path)).headers['x-isao-hmac-sha256']).toBeUndefined();
  });

  it('delivers to every matching subscription and honours filters.tags', async () => {
    const all = await subscribe('contact.created');
    const vip = await subscribe('contact.created', { tags: ['vip', 'enterprise'] });
    const updates = await subscribe('contact.updated');
    const plain = await newContact({ tags: ['lead'] });
    const tagged = await newContact({ name: 'Grace Hopper', tags: ['VIP'] });
    await sandbox.idle();
    expect(deliveredIds(all.path)).toEqual([plain.id, tagged.id]);
    expect(deliveredIds(vip.path)).toEqual([tagged.id]);
    expect(deliveredIds(updates.path)).toEqual([]);
  });

  it('delivers deal.stage_changed only for the stages in filters.stage', async () => {
    const any = await subscribe('deal.stage_changed');
    const some = await subscribe('deal.stage_changed', { stage: ['proposal ', 'Closed Won'] });
    const res = await call('POST', '/sandbox/deals', { title: 'Big deal', stage: 'Qualified' });
    const path = `/sandbox/deals/${String(((res.body as Out).data as Out).id)}`;
    for (const stage of ['Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']) {
      expect((await call('PATCH', path, { stage })).status).toBe(200);
    }
    await sandbox.idle();
    const stages = (hookPath: string) =>
      hooks.caught.filter((h) => h.path === hookPath).map((h) => parse(h.raw).data.stage);
    expect(stages(any.path)).toEqual(['Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']);
    expect(stages(some.path)).toEqual(['Proposal', 'Closed Won']);
  });

  it('delivers appointments by staff (id or name) and location, every set filter matching', async () => {
    const byStaffId = await subscribe('appointment.created', { staff: ['7'] });
    const byStaffName = await subscribe('appointment.created', { staff: ['dr. ana JONES'] });
    const byLocation = await subscribe('appointment.created', { location: ['Lyon Office', '3'] });
    const both = await subscribe('appointment.created', {
      staff: ['Dr. Ana Jones'],
      location: ['Paris Office'],
    });
    const book = async (staff: Out, location: Out) => {
      const res = await call('POST', '/sandbox/appointments', {
        startDateTime: '2030-01-15T09:00:00Z',
        client: { firstName: 'Jon' },
        staff,
        location,
      });
      expect(res.status).toBe(201);
      return ((res.body as Out).data as Out).id;
    };
    const ana = { professionalId: 7, fullName: 'Dr. Ana Jones' };
    const bob = { professionalId: 8, fullName: 'Dr. Bob Smith' };
    const paris = { locationId: 3, locationName: 'Paris Office' };
    const lyon = { locationId: 4, locationName: 'Lyon Office' };
    const anaParis = await book(ana, paris);
    const anaLyon = await book(ana, lyon);
    const bobParis = await book(bob, paris);
    const bobElsewhere = await book(bob, { locationId: 5, locationName: 'Nice Office' });
    await sandbox.idle();
    expect(bobElsewhere).toBe('appt_4');
    expect(deliveredIds(byStaffId.path)).toEqual([anaParis, anaLyon]);
    expect(deliveredIds(byStaffName.path)).toEqual([anaParis, anaLyon]);
    expect(deliveredIds(byLocation.path)).toEqual([anaParis, anaLyon, bobParis]);
    expect(deliveredIds(both.path)).toEqual([anaParis]);
  });

  it('retries a failed delivery with the same eventId and body, then stops on success', async () => {
    const { path, subscription } = await subscribe('contact.created');
    hooks.failNext(2, 503);
    await newContact();
    const hook = await hooks.next(path);
    await sandbox.idle();
    const attempts = sandbox.deliveries.filter(
      (d) => d.subscriptionId === subscription.subscription_id,
    );
    expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 503, false],
      [2, 503, false],
      [3, 200, true],
    ]);
    expect(new Set(attempts.map((a) => a.eventId)).size).toBe(1);
    expect(parse(hook.raw).metadata.eventId).toBe(attempts[0]!.eventId);
    expect(hook.headers['x-isao-delivery-attempt']).toBe('3');
  });

  it('gives up after 3 retries (4 attempts)', async () => {
    const { subscription } = await subscribe('contact.created');
    hooks.failNext(10, 500);
    await newContact();
    await sandbox.idle();
    const attempts = sandbox.deliveries.filter(
      (d) => d.subscriptionId === subscription.subscription_id,
    );
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.every((a) => !a.ok)).toBe(true);
  });

  describe('with a target that never answers', () => {
    let silent: Server;
    let silentUrl: string;
    beforeEach(async () => {
      silent = createServer(() => undefined); // reads the request, never answers
      silentUrl = `${await listenLocally(silent)}/hang`;
    });
    afterEach(() => closeServer(silent));

    it('answers the API request first, and times out and retries the delivery', async () => {
      await sandbox.close();
      sandbox = await startSandbox({ delivery: { retries: 1, backoffMs: 10, timeoutMs: 300 } });
      await call('POST', '/webhooks/subscribe', {
        event: 'contact.created',
        target_url: silentUrl,
      });
      const contact = await newContact();
      expect(contact.id).toBe('contact_1'); // answered while the delivery is still waiting
      expect(sandbox.deliveries).toEqual([]);
      await sandbox.idle();
      expect(sandbox.deliveries.map((d) => [d.attempt, d.ok, d.error])).toEqual([
        [1, false, 'no answer within 300 ms'],
        [2, false, 'no answer within 300 ms'],
      ]);
    });
  });

  it('delivers one subscription’s events in order, even when the first needs retries', async () => {
    const { path } = await subscribe('contact.created');
    hooks.failNext(1);
    const first = await newContact({ name: 'First' });
    const second = await newContact({ name: 'Second' });
    await sandbox.idle();
    expect(deliveredIds(path)).toEqual([first.id, second.id]);
  });

  it('stops delivering (and retrying) once the subscription is deleted', async () => {
    // a backoff long enough that the unsubscribe surely lands before the retry is due
    await sandbox.close();
    sandbox = await startSandbox({
      signingSecret: SECRET,
      delivery: { backoffMs: 1000, timeoutMs: 500 },
    });
    const { path, subscription } = await subscribe('contact.created');
    const attempts = () =>
      sandbox.deliveries
        .filter((d) => d.subscriptionId === subscription.subscription_id)
        .map((d) => [d.attempt, d.status, d.ok]);
    hooks.failNext(1);
    await newContact();
    for (let waited = 0; attempts().length === 0 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(attempts()).toEqual([[1, 500, false]]);
    await call('DELETE', '/webhooks/unsubscribe', {
      subscription_id: subscription.subscription_id,
    });
    await newContact();
    await sandbox.idle();
    expect(hooks.caught.filter((h) => h.path === path)).toEqual([]);
    expect(attempts()).toEqual([[1, 500, false]]);
  });

  it('lists delivery attempts at GET /sandbox/deliveries', async () => {
    const { path } = await subscribe('contact.created');
    await newContact();
    await hooks.next(path);
    await sandbox.idle();
    const res = await call('GET', '/sandbox/deliveries');
    expect((res.body as Out).data).toEqual([
      expect.objectContaining({ event: 'contact.created', attempt: 1, ok: true, status: 200 }),
    ]);
  });
});
