/**
 * The Python API client (python/isao_webhooks/client.py) against the Node one as its oracle, on
 * the same inputs: the requests each sends (method, path, Bearer key, headers, body) to a
 * recording server on 127.0.0.1 answering every status, and the errors' words, status, code and
 * field, equal (the Python client names its arguments api_key and base_url where the Node one
 * says apiKey and baseUrl).
 */
import { createServer, type Server } from 'node:http';
import type { ContactInput } from '../../sdk/src/client';
import { freePort } from '../sdk/helpers';
import { KEY, node, python, type Answer, type Call } from './client-parity';

// each test starts a /usr/bin/python3 process: on a loaded machine that alone can pass jest's 5 s
jest.setTimeout(30_000);

/** What the recording server received, and answers it as told (one answer per request). */
interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  accept: string | undefined;
  contentType: string | undefined;
  body: string;
}
interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}
let server: Server;
let base = '';
const received: Received[] = [];
let replies: Reply[] = [];
beforeAll(async () => {
  const port = await freePort();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        accept: req.headers.accept,
        contentType: req.headers['content-type'],
        body,
      });
      const reply = replies.shift() ?? { status: 599, body: 'no reply scripted' };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String(port)}/api/external`;
});
afterAll(
  () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    ),
);

/** Both clients on the same call and the same scripted answers: what each sent, and its answer. */
const both = async (
  call: Call,
  script: Reply[],
  apiKey = KEY,
  baseUrl: string | undefined = base,
) => {
  const run = async (client: () => Answer[] | Promise<Answer[]>) => {
    received.splice(0);
    replies = [...script];
    const [answer] = await client();
    return { answer, sent: [...received] };
  };
  return {
    node: await run(() => node(apiKey, baseUrl, [call])),
    python: await run(() => python(apiKey, baseUrl, [call])),
  };
};

const json = (value: unknown) => JSON.stringify(value);
const LISTED = json({
  success: true,
  data: [
    {
      subscription_id: 'sub_1',
      event_type: 'deal.won',
      target_url: 'https://h/x',
      is_active: true,
      created_at: '2026-01-02T03:04:05Z',
    },
    {
      subscription_id: 'sub_2',
      event_type: 'deal.lost',
      target_url: 'https://h/y',
      is_active: false,
    },
    { event_type: 'no id' },
  ],
});

describe('the Python client against the Node client, on a recording server', () => {
  it.each([
    ['list', ['list'], [{ status: 200, body: LISTED }]],
    [
      'subscribe',
      ['subscribe', 'deal.won', 'https://h/x'],
      [{ status: 201, body: json({ data: { subscription_id: 'sub_9', secret: 'whsec_abcdef' } }) }],
    ],
    [
      'subscribe without an id',
      ['subscribe', 'deal.won', 'https://h/x'],
      [{ status: 201, body: json({ data: {} }) }],
    ],
    ['unsubscribe, gone', ['unsubscribe', 'sub_1'], [{ status: 404, body: '' }]],
    [
      'sample',
      ['sample', 'contact.created'],
      [{ status: 200, body: json({ success: true, data: { id: 'c1', name: 'A' } }) }],
    ],
    [
      'recent with a limit and since',
      ['recent', 'deal.won', { limit: 3, since: '2026-01-01T00:00:00.000Z' }],
      [{ status: 200, body: json([{ id: 'd1' }, 2]) }],
    ],
    [
      'recent without a list',
      ['recent', 'deal.won', {}],
      [{ status: 200, body: json({ id: 'x' }) }],
    ],
    [
      'create contact',
      [
        'createContact',
        {
          name: ' Jane ',
          phoneNumber: '+44 (0) 20 7946 0958',
          email: 'Jane <jane@example.com>;',
          tags: ['lead, vip', 'vip'],
        },
      ],
      [{ status: 201, body: json({ success: true, data: { id: 'c_1', city: 'Paris' } }) }],
    ],
    [
      'create contact answered without an id',
      ['createContact', { name: 'Jane', phoneNumber: '0123456789' }],
      [{ status: 201, body: json({ data: { name: 'Jane' } }) }],
    ],
    ['401 quoting the key', ['list'], [{ status: 401, body: json({ message: `bad key ${KEY}` }) }]],
    [
      '403',
      ['createContact', { name: 'Jane', phoneNumber: '0123456789' }],
      [{ status: 403, body: json({ error: { message: 'nope' } }) }],
    ],
    ['404', ['sample', 'deal.won'], [{ status: 404, body: json({ detail: 'no such trigger' }) }]],
    ['409', ['subscribe', 'deal.won', 'https://h/x'], [{ status: 409, body: '' }]],
    [
      '400 naming fields',
      ['createContact', { name: 'Jane', phoneNumber: '0123456789' }],
      [{ status: 400, body: json({ errors: [{ field: 'phoneNumber', message: 'taken' }] }) }],
    ],
    ['400 plain', ['list'], [{ status: 400, body: json({ message: 'bad' }) }]],
    [
      '422 with a map',
      ['createContact', { name: 'Jane', phoneNumber: '0123456789' }],
      [
        {
          status: 422,
          body: json({ message: 'Invalid', errors: { email: ['is invalid'], name: 'too long' } }),
        },
      ],
    ],
    [
      '429 with Retry-After',
      ['list'],
      [{ status: 429, body: '', headers: { 'retry-after': '7' } }],
    ],
    ['429 without', ['list'], [{ status: 429, body: '' }]],
    ['500 with an HTML page', ['list'], [{ status: 500, body: '<!doctype html><p>oops</p>' }]],
    ['503 with text', ['list'], [{ status: 503, body: 'down <b>now</b>' }]],
    ['418', ['list'], [{ status: 418, body: json({ message: 'teapot' }) }]],
    ['200 not JSON', ['list'], [{ status: 200, body: 'OK' }]],
    [
      '200 success false',
      ['list'],
      [{ status: 200, body: json({ success: false, message: 'not allowed' }) }],
    ],
    ['200 no list', ['list'], [{ status: 200, body: json({ success: true }) }]],
  ] satisfies [string, Call, Reply[]][])(
    '%s: the same request and answer',
    async (_, call, script) => {
      const { node: expected, python: actual } = await both(call, script);
      expect(actual.sent).toEqual(expected.sent);
      expect(actual.answer).toEqual(expected.answer);
      expect(JSON.stringify(actual.answer)).not.toContain(KEY.slice(5));
    },
  );

  it.each([
    ['no key', ''],
    ['a key with a line break', 'isao_key\nmore'],
    ['a key with a zero-width space', 'isao\u200bkey'],
  ])('refuses %s before sending, in the same words', async (_, apiKey) => {
    const { node: expected, python: actual } = await both(['list'], [], apiKey);
    expect(actual).toEqual(expected);
    expect(actual.sent).toEqual([]);
  });

  it.each([
    'http://example.com/api',
    'ftp://example.com',
    'https://user:pw@example.com/api',
    `https://example.com/api?key=${KEY}`,
    'https://example.com/api#',
    'not a url',
    KEY,
  ])(
    'refuses the base URL %s before sending, in the same words, never quoting the key',
    async (baseUrl) => {
      const { node: expected, python: actual } = await both(['list'], [], KEY, baseUrl);
      expect(actual).toEqual(expected);
      expect(JSON.stringify(actual.answer)).not.toContain(KEY.slice(5));
    },
  );

  it.each([
    ['an empty name', { name: ' ', phoneNumber: '0123456789' }],
    ['no phone', { name: 'Jane', phoneNumber: '' }],
    ['a short phone', { name: 'Jane', phoneNumber: '12-34' }],
    ['two addresses', { name: 'Jane', phoneNumber: '0123456789', email: 'a@b.co, c@d.co' }],
    ['blank tags', { name: 'Jane', phoneNumber: '0123456789', tags: [' , ', '\u200b'] }],
    ['tags of line breaks', { name: 'Jane', phoneNumber: '0123456789', tags: '\n' }],
  ] satisfies [string, ContactInput][])(
    'refuses a contact with %s, naming the field',
    async (_, input) => {
      const { node: expected, python: actual } = await both(['createContact', input], []);
      expect(actual).toEqual(expected);
    },
  );

  it('says the same when nothing listens', async () => {
    const closed = `http://127.0.0.1:${String(await freePort())}/api`;
    const { node: expected, python: actual } = await both(['list'], [], KEY, closed);
    expect(actual.answer).toEqual(expected.answer);
  });

  it('refuses a redirect without following it (the key never sent elsewhere)', async () => {
    const script = [{ status: 302, body: '', headers: { location: 'http://127.0.0.1:9/steal' } }];
    const { node: expected, python: actual } = await both(['list'], script);
    expect(actual.sent).toEqual(expected.sent);
    expect(actual.sent).toHaveLength(1);
    expect(actual.answer).toEqual(expected.answer);
    expect(actual.answer).toEqual({
      error: {
        message: `The ISAO API at ${new URL(base).host} answered 302 (a redirect); the API key is only ever sent to the baseUrl, so the redirect was not followed. Check the baseUrl.`,
        status: 302,
        code: 'unsafe_redirect',
        field: null,
        retryAfter: null,
      },
    });
  });
});
