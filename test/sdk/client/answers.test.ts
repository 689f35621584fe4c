/**
 * The API client on answers the sandbox never gives, from a server on 127.0.0.1 that answers
 * each path as a test says: a body it cannot read is a 502 naming what was missing, a 429
 * without Retry-After, a redirect refused, the query of recent records; and through the
 * `fetch` option, the 25 s timeout and the key sent only as a Bearer header.
 */
import type { IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { EVENT_NAMES } from '../../../core/events';
import { isRecord } from '../../../core/inputs';
import { IsaoClient } from '../../../sdk/src/client';
import { listen } from '../helpers';
import { failure } from './failure';

/** A server answering `answers[METHOD path]` (status, JSON body, headers); the URLs it got. */
const isao = async (
  answers: Record<string, [number, unknown, Record<string, string>?]>,
): Promise<{ client: IsaoClient; seen: string[]; close: () => Promise<void> }> => {
  const seen: string[] = [];
  const server = await listen((req: IncomingMessage, res) => {
    const url = req.url ?? '';
    seen.push(`${req.method ?? ''} ${url}`);
    const [status, body, headers = {}] = answers[
      `${req.method ?? ''} ${url.split('?')[0] ?? ''}`
    ] ?? [404, { error: 'not here' }];
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });
  return {
    client: new IsaoClient({ apiKey: 'isao_key', baseUrl: `${server.url}/api` }),
    seen,
    close: server.close,
  };
};

it('an answer it cannot read is a 502 naming what was missing', async () => {
  const api = await isao({
    'GET /api/webhooks': [200, { data: 'none' }],
    'POST /api/webhooks/subscribe': [201, { data: { event_type: 'deal.won' } }],
    'GET /api/triggers/deal.won/sample': [200, { data: ['not a record'] }],
    'GET /api/triggers/deal.won/recent': [200, { data: { count: 0 } }],
    'POST /api/contacts': [201, { data: 'made' }],
  });
  try {
    const bad = { status: 502, code: 'invalid_response' };
    expect(await failure(api.client.list())).toMatchObject({
      ...bad,
      message: expect.stringMatching(/list/),
    });
    const subscribed = await failure(api.client.subscribe('deal.won', 'https://x.example/hook'));
    expect(subscribed).toMatchObject(bad);
    expect(subscribed.message).toBe(
      'ISAO accepted the deal.won subscription but did not return a subscription_id, so it could not be removed later: list the webhooks and remove it by hand.',
    );
    expect(await failure(api.client.sample('deal.won'))).toMatchObject({
      ...bad,
      message: 'ISAO answered GET /triggers/deal.won/sample without a record.',
    });
    expect(await failure(api.client.recent('deal.won'))).toMatchObject({
      ...bad,
      message: 'ISAO answered GET /triggers/deal.won/recent without a list.',
    });
    const contact = await failure(
      api.client.createContact({ name: 'Ana Jones', phoneNumber: '+442079460958' }),
    );
    expect(contact).toMatchObject(bad);
    expect(contact.message).toContain("without the new contact's details");
  } finally {
    await api.close();
  }
});

it('recent records: no query without options, `since` as given, only the records of the list', async () => {
  const api = await isao({
    'GET /api/triggers/deal.won/recent': [200, { data: [{ id: 'deal_1' }, 'not a record'] }],
  });
  try {
    expect(await api.client.recent('deal.won')).toEqual([{ id: 'deal_1' }]);
    await api.client.recent('deal.won', { since: '2024-11-08T10:30:00Z' });
    await api.client.recent('deal.won', { limit: 5, since: new Date(Date.UTC(2024, 10, 8)) });
    expect(api.seen).toEqual([
      'GET /api/triggers/deal.won/recent',
      'GET /api/triggers/deal.won/recent?since=2024-11-08T10%3A30%3A00Z',
      'GET /api/triggers/deal.won/recent?limit=5&since=2024-11-08T00%3A00%3A00.000Z',
    ]);
  } finally {
    await api.close();
  }
});

it('429 without Retry-After: try again in a minute, and no retryAfter', async () => {
  const api = await isao({ 'GET /api/webhooks': [429, { error: 'slow down' }] });
  try {
    const error = await failure(api.client.list());
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: undefined });
    expect(error.message).toBe(
      "ISAO is limiting this API key's requests (429 Too Many Requests): try again in a minute.",
    );
  } finally {
    await api.close();
  }
});

it('a redirect is not followed: the key goes to the base URL only', async () => {
  const api = await isao({
    'GET /api/webhooks': [307, {}, { Location: 'http://127.0.0.1:9/elsewhere' }],
  });
  try {
    const error = await failure(api.client.list());
    expect(error).toMatchObject({ status: 307, code: 'unsafe_redirect' });
    expect(error.message).toContain(
      'the API key is only ever sent to the baseUrl, so the redirect was not followed. Check the baseUrl.',
    );
    expect(api.seen).toEqual(['GET /api/webhooks']);
  } finally {
    await api.close();
  }
});

describe('through the fetch option', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends the key as a Bearer header, and leaves no timer behind', async () => {
    jest.useFakeTimers();
    const sent: RequestInit[] = [];
    const fetcher: typeof fetch = (_url, init) => {
      sent.push(init ?? {});
      return Promise.resolve(Response.json({ data: [] }));
    };
    const client = new IsaoClient({
      apiKey: 'isao_key',
      baseUrl: 'https://isao.example/api',
      fetch: fetcher,
    });
    expect(await client.list()).toEqual([]);
    expect(sent).toEqual([
      expect.objectContaining({
        method: 'GET',
        headers: expect.objectContaining({ Authorization: 'Bearer isao_key' }),
      }),
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives up after 25 s without an answer, naming the host', async () => {
    jest.useFakeTimers();
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal;
        signal?.addEventListener('abort', () => {
          // fetch rejects with the signal's reason: an AbortError
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        });
      });
    const client = new IsaoClient({
      apiKey: 'isao_key',
      baseUrl: 'https://isao.example/api',
      fetch: hanging,
    });
    let settled = false;
    const error = failure(client.list()).finally(() => {
      settled = true;
    });
    await jest.advanceTimersByTimeAsync(24_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await error).toMatchObject({
      status: 0,
      code: 'request_failed',
      message: 'The ISAO API at isao.example did not answer within 25 seconds.',
    });
  });
});

describe('ensureSubscription on a list the sandbox cannot make', () => {
  const HOOK = 'https://x.example/hook';
  const item = (id: string, at: string | null, active = true, event = 'deal.won', url = HOOK) => ({
    subscription_id: id,
    event_type: event,
    target_url: url,
    is_active: active,
    ...(at === null ? {} : { created_at: at }),
  });
  const [T1, T2, T3] = [
    '2024-01-01T00:00:00.000Z',
    '2024-01-02T00:00:00.000Z',
    '2024-01-03T00:00:00.000Z',
  ];

  /** GET /webhooks answers each of `lists` in turn; the ids unsubscribed. */
  const api = async (lists: unknown[][], made: Record<string, unknown>) => {
    const removed: string[] = [];
    const server = await listen(async (req, res) => {
      const sent = await text(req);
      const body: unknown = sent === '' ? {} : JSON.parse(sent);
      const answer =
        req.method === 'GET'
          ? { data: lists.shift() ?? [] }
          : req.url?.endsWith('/subscribe') === true
            ? { data: made }
            : (removed.push(String(isRecord(body) ? body.subscription_id : undefined)), {});
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
    return {
      client: new IsaoClient({ apiKey: 'isao_key', baseUrl: `${server.url}/api` }),
      removed,
      close: server.close,
    };
  };

  it('removes only what is older or inactive for this event and URL, leaves what it cannot date', async () => {
    const after = [
      item('sub_old', T1),
      item('sub_same', T2),
      item('sub_newer', T3),
      item('sub_newer_off', T3, false),
      item('sub_unknown', null),
      item('sub_unknown_off', null, false),
      item('sub_other_event', T1, true, 'deal.lost'),
      item('sub_other_url', T1, true, 'deal.won', `${HOOK}/other`),
      // ISAO lists the new one as it stands: here already stopped
      item('sub_new', T2, false),
    ];
    const { client, removed, close } = await api([[], after], {
      subscription_id: 'sub_new',
      created_at: T2,
    });
    try {
      const [ensured] = await client.ensureSubscription({ events: 'deal.won', targetUrl: HOOK });
      expect(ensured).toEqual({
        event: 'deal.won',
        subscription: {
          id: 'sub_new',
          event: 'deal.won',
          targetUrl: HOOK,
          active: false,
          createdAt: T2,
        },
        created: true,
        secret: undefined,
        removed: ['sub_old', 'sub_newer_off', 'sub_unknown_off'],
        left: ['sub_unknown'],
      });
      expect(removed).toEqual(['sub_old', 'sub_newer_off', 'sub_unknown_off']);
    } finally {
      await close();
    }
  });

  it('a new subscription ISAO does not list yet: as it answered the subscribe', async () => {
    const { client, close } = await api([[], []], {
      subscription_id: 'sub_new',
      created_at: T2,
      secret: 'whsec_new',
    });
    try {
      expect(await client.ensureSubscription({ events: ['deal.won'], targetUrl: HOOK })).toEqual([
        {
          event: 'deal.won',
          subscription: {
            id: 'sub_new',
            event: 'deal.won',
            targetUrl: HOOK,
            active: true,
            createdAt: T2,
          },
          created: true,
          secret: 'whsec_new',
          removed: [],
          left: [],
        },
      ]);
    } finally {
      await close();
    }
  });
});

it('names the permission a 403 lacks, a subscription gone (410), and the events', async () => {
  const api = await isao({
    'GET /api/triggers/deal.won/sample': [403, { error: 'forbidden' }],
    'GET /api/triggers/deal.won/recent': [403, { error: 'forbidden' }],
    'DELETE /api/webhooks/unsubscribe': [410, { error: 'gone' }],
  });
  try {
    for (const call of [api.client.sample('deal.won'), api.client.recent('deal.won')]) {
      expect((await failure(call)).message).toContain('lacks the `webhooks:read` permission');
    }
    expect(await api.client.unsubscribe('sub_1')).toEqual({ id: 'sub_1', alreadyGone: true });
    const untyped: { sample(event: string): Promise<unknown> } = api.client;
    const error = await failure(untyped.sample('deal.signed'));
    expect(error.name).toBe('IsaoApiError');
    expect(error.message).toBe(
      `"deal.signed" is not an ISAO event; the events are ${EVENT_NAMES.join(', ')}.`,
    );
  } finally {
    await api.close();
  }
});

it('a base URL that is not https names the baseUrl option and how to fix it', async () => {
  const error = await failure(
    new IsaoClient({ apiKey: 'isao_key', baseUrl: 'http://isao.example/api' }).list(),
  );
  expect(error.message).toMatch(/^baseUrl "http:\/\/isao\.example\/…" must use https/);
  expect(error.message).toContain('Pass the ISAO API base URL as baseUrl, for example https://');
});
