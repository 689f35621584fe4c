/** The sandbox ISAO API over real HTTP: webhook subscriptions, their status codes and error bodies. */
import { type Out, sandbox, call, subscribe } from './server.setup';

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
