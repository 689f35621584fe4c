/** The request layer (src/lib/api.ts): redirects keep the key on the API origin. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import {
  allowLoopback,
  appError,
  appTester,
  authData,
  API_KEY,
  caught,
  errorText,
} from '../helpers';
import App from '../../src';
import { MAX_REDIRECTS } from '../../src/lib/api';
import { callWith, call } from './api.setup';

describe('request layer: redirects keep the key on the API origin', () => {
  /** A real HTTP server on 127.0.0.1 that records what it was sent and answers `reply`. */
  const server = async (reply: (req: IncomingMessage, res: ServerResponse) => void) => {
    const seen: { url: string; method: string; authorization: string | null }[] = [];
    const srv = createServer((req, res) => {
      seen.push({
        url: req.url ?? '',
        method: req.method ?? '',
        authorization: req.headers.authorization ?? null,
      });
      req.resume();
      req.on('end', () => {
        reply(req, res);
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as AddressInfo;
    return { seen, origin: `http://127.0.0.1:${String(port)}`, close: () => srv.close() };
  };
  const servers: { close: () => void }[] = [];
  const start = async (reply: (req: IncomingMessage, res: ServerResponse) => void) => {
    const s = await server(reply);
    servers.push(s);
    return s;
  };
  beforeAll(allowLoopback);
  afterAll(() => {
    for (const s of servers) s.close();
    nock.disableNetConnect();
  });

  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
  };

  it('refuses a redirect to another port on the same host, naming it, and sends it nothing', async () => {
    const other = await start((_req, res) => {
      json(res, 200, { stolen: true });
    });
    const apiServer = await start((_req, res) => {
      json(res, 302, {}, { location: `${other.origin}/v1/test` });
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const error = await caught(() => call({ path: '/test' }));
    expect(appError(error)).toMatchObject({ code: 'unsafe_redirect', status: 302 });
    expect(errorText(error)).toContain(`redirected the request to "${new URL(other.origin).host}"`);
    expect(errorText(error)).toContain('the redirect was not followed');
    expect(apiServer.seen).toEqual([
      { url: '/v1/test', method: 'GET', authorization: `Bearer ${API_KEY}` },
    ]);
    expect(other.seen).toEqual([]);
  });

  it('refuses a redirect to another host or a path outside the API', async () => {
    const apiServer = await start((req, res) => {
      json(
        res,
        301,
        {},
        {
          location:
            req.url === '/v1/a'
              ? 'https://evil.example:8443/x'
              : req.url === '/v1/c'
                ? `https://127.0.0.1:${new URL(apiServer.origin).port}/v1/c`
                : '/elsewhere',
        },
      );
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    let error = await caught(() => call({ path: '/a' }));
    expect(errorText(error)).toContain('redirected the request to "evil.example:8443"');
    // the same host and port on another scheme is another origin: named as one
    error = await caught(() => call({ path: '/c' }));
    expect(errorText(error)).toContain(
      `redirected the request to "https://127.0.0.1:${new URL(apiServer.origin).port}"`,
    );
    error = await caught(() => call({ path: '/b' }));
    expect(errorText(error)).toContain('redirected the request to "/elsewhere"');
  });

  it('follows redirects within the API, with the key; a 303 after a POST continues as a GET', async () => {
    const apiServer = await start((req, res) => {
      if (req.url === '/v1/contacts') json(res, 303, {}, { location: '/v1/contacts/c1' });
      else if (req.url === '/v1/contacts/c1')
        json(res, 307, {}, { location: '/v1/contacts/c1/final' });
      else json(res, 200, { success: true, data: { id: 'c1' } });
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const result = await call({ method: 'POST', path: '/contacts', body: { name: 'Ada' } });
    expect(result).toEqual({ status: 200, data: { success: true, data: { id: 'c1' } } });
    expect(apiServer.seen).toEqual([
      { url: '/v1/contacts', method: 'POST', authorization: `Bearer ${API_KEY}` },
      { url: '/v1/contacts/c1', method: 'GET', authorization: `Bearer ${API_KEY}` },
      { url: '/v1/contacts/c1/final', method: 'GET', authorization: `Bearer ${API_KEY}` },
    ]);
  });

  it.each([
    [301, 'POST', 'GET'],
    [302, 'POST', 'GET'],
    [303, 'PUT', 'GET'],
    [301, 'PUT', 'PUT'],
    [302, 'DELETE', 'DELETE'],
    [307, 'POST', 'POST'],
    [308, 'POST', 'POST'],
    [300, 'POST', 'POST'],
  ] as const)('a %s after a %s continues as a %s', async (status, method, then) => {
    const apiServer = await start((req, res) => {
      if (req.url === '/v1/start') json(res, status, {}, { location: '/v1/moved' });
      else json(res, 200, { success: true, data: { method: req.method } });
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const result = await call({ method, path: '/start', body: { name: 'Ada' } });
    expect(result).toEqual({ status: 200, data: { success: true, data: { method: then } } });
    expect(apiServer.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      `${method} /v1/start`,
      `${then} /v1/moved`,
    ]);
  });

  it('follows a redirect to the base path itself, and within a base URL without a path', async () => {
    const apiServer = await start((req, res) => {
      if (req.url === '/v1/start') json(res, 302, {}, { location: '/v1' });
      else if (req.url === '/start') json(res, 302, {}, { location: '/moved' });
      else json(res, 200, { at: req.url });
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    expect(await call({ path: '/start' })).toEqual({ status: 200, data: { at: '/v1' } });
    process.env.ISAO_API_URL = apiServer.origin;
    expect(await call({ path: '/start' })).toEqual({ status: 200, data: { at: '/moved' } });
  });

  it("does not carry the first request's query to the Location (performList's /recent?limit=)", async () => {
    const apiServer = await start((req, res) => {
      if (req.url?.startsWith('/v1/triggers/contact.created/recent'))
        json(res, 302, {}, { location: '/v1/moved' });
      else if (req.url === '/v1/moved') json(res, 302, {}, { location: '/v1/final?page=2' });
      else json(res, 200, []);
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const records = await appTester(App.triggers.new_contact.operation.performList, {
      authData,
      meta: { limit: 3 },
    });
    expect(records).toEqual([]);
    expect(apiServer.seen.map((r) => r.url)).toEqual([
      expect.stringMatching(/^\/v1\/triggers\/contact\.created\/recent\?limit=\d+$/),
      '/v1/moved',
      '/v1/final?page=2',
    ]);
  });

  it('redacts the key from a path the server supplies (a redirect refused, a 404 after one)', async () => {
    const key = 'isao key+7/secret';
    const apiServer = await start((req, res) => {
      if (req.url === '/v1/out') json(res, 302, {}, { location: `/elsewhere/${key}` });
      else if (req.url === '/v1/in')
        json(res, 302, {}, { location: `/v1/gone/${encodeURIComponent(key)}` });
      else json(res, 404, {});
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    let error = await caught(() => callWith({ api_key: key }, { path: '/out' }));
    expect(appError(error)).toMatchObject({ code: 'unsafe_redirect' });
    expect(errorText(error)).toContain('redirected the request to "/elsewhere/[redacted]"');
    error = await caught(() => callWith({ api_key: key }, { path: '/in' }));
    expect(appError(error)).toEqual({
      message: 'ISAO could not find "/v1/gone/[redacted]" (404 Not Found).',
      code: 'not_found',
      status: 404,
    });
  });

  it.each([
    // URL lower-cases a host: the key in it is still found, whatever its case
    ['MyKeyAbc123', 'https://MyKeyAbc123.evil.example/', '"[redacted].evil.example"'],
    ['MyKeyAbc123', 'https://mYkEyAbC123.evil.example/', '"[redacted].evil.example"'],
    // `{` and `}` are percent-encoded in a path, `|` is not
    ['isao{k|y}7', '/elsewhere/isao{k|y}7', '"/elsewhere/[redacted]"'],
    // an encoding in lower case, and one of a character a URL would not encode
    ['isao/k+y7', '/elsewhere/isao%2fk%2By7', '"/elsewhere/[redacted]"'],
    ['isao/k+y7', '/elsewhere/%69sao%2Fk+y7', '"/elsewhere/[redacted]"'],
  ])('redacts the key %j from a refused redirect to %j', async (key, location, shown) => {
    const apiServer = await start((_req, res) => {
      json(res, 302, {}, { location });
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const error = await caught(() => callWith({ api_key: key }, { path: '/out' }));
    expect(appError(error)).toMatchObject({ code: 'unsafe_redirect' });
    expect(errorText(error)).toContain(`redirected the request to ${shown}`);
  });

  it('gives up after a bounded number of redirects', async () => {
    const apiServer = await start((_req, res) => {
      json(res, 302, {}, { location: '/v1/loop' });
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const error = await caught(() => call({ path: '/loop' }));
    expect(appError(error)).toEqual({
      message: `The ISAO API at ${new URL(apiServer.origin).host} redirected the request more than 5 times, so it was abandoned.`,
      code: 'too_many_redirects',
      status: 302,
    });
    expect(apiServer.seen).toHaveLength(MAX_REDIRECTS + 1);
  });

  it.each([
    ['no Location', {}],
    ['a Location that is no URL', { location: 'http://[bad' }],
  ])('says so when a redirect has %s', async (_what, headers) => {
    const apiServer = await start((_req, res) => {
      json(res, 302, {}, headers);
    });
    process.env.ISAO_API_URL = `${apiServer.origin}/v1`;
    const error = await caught(() => call({ path: '/x' }));
    expect(appError(error)).toMatchObject({ code: 'invalid_response', status: 302 });
    expect(errorText(error)).toContain('answered 302 (a redirect) without a valid Location');
  });
});
