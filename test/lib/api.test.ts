import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { Bundle, HttpRequestOptions, ZObject } from 'zapier-platform-core';
import {
  allowLoopback,
  api,
  apiPath,
  appError,
  appErrorOf,
  appTester,
  authData,
  API_KEY,
  caught,
  errorText,
  fullBundle,
  leaksPartOf,
  SECRET,
  stubZ,
} from '../helpers';
import App from '../../src';
import {
  addApiHeaders,
  apiHost,
  apiUrl,
  callApi,
  isApiUrl,
  MAX_REDIRECTS,
  type ApiRequestOptions,
  configuredUrlProblem,
} from '../../src/lib/api';
import { BAD_KEY_MESSAGE } from '../../core/api';
import { MAX_DETAIL, MAX_EXAMINED, networkFailure, type Permission } from '../../core/errors';

type CallOptions = Omit<ApiRequestOptions, 'permission'> & { permission?: Permission };

/** callApi through the real runtime; `permission` defaults to one the test does not look at. */
const callWith = (auth: Record<string, string>, options: CallOptions) =>
  appTester(
    (z: ZObject, bundle: Bundle) => callApi(z, bundle, { permission: 'webhooks:read', ...options }),
    { authData: auth },
  );
const call = (options: CallOptions) => callWith(authData, options);

describe('request layer: headers', () => {
  it('sends the key and JSON headers to the API', async () => {
    api()
      .post(apiPath('/contacts'), { name: 'Ada' })
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .matchHeader('content-type', /application\/json/)
      .matchHeader('accept', 'application/json')
      .reply(201, { success: true, data: { id: 'c1' } });
    const result = await call({ method: 'POST', path: '/contacts', body: { name: 'Ada' } });
    expect(result).toEqual({ status: 201, data: { success: true, data: { id: 'c1' } } });
  });

  it.each([
    'https://example.com/api/external/test',
    'https://staging.isao.io.evil.example/api/external/test',
    'https://staging.isao.io/api/externalx/test',
    'http://staging.isao.io/api/external/test',
  ])('never sends the key to another host or path: %s', async (url) => {
    const { origin, pathname } = new URL(url);
    nock(origin)
      .get(pathname)
      .reply(function () {
        return [200, { authorization: this.req.headers.authorization ?? null }];
      });
    const result = await appTester(
      async (z: ZObject) => (await z.request({ url })).data as unknown,
      { authData },
    );
    expect(result).toEqual({ authorization: null });
  });

  it('sets each header once, whatever spelling the request had; no key, no Authorization', () => {
    const { z } = stubZ();
    const headersFor = (request: HttpRequestOptions & { url: string }, apiKey?: string) =>
      addApiHeaders(request, z, {
        authData: apiKey === undefined ? {} : { api_key: apiKey },
      } as Bundle) as HttpRequestOptions;
    const url = 'https://staging.isao.io/api/external/test';
    expect(headersFor({ url })).toEqual({
      url,
      headers: { Accept: 'application/json' },
      redirect: 'manual',
      timeout: 25_000,
    });
    expect(
      headersFor({ url, headers: { accept: 'text/html', 'X-Trace': '1' } }, ' '),
    ).toMatchObject({
      headers: { 'X-Trace': '1', Accept: 'application/json' },
    });
    const post = headersFor(
      {
        url,
        method: 'POST',
        body: { a: 1 },
        timeout: 1000,
        headers: { 'content-type': 'text/plain', AUTHORIZATION: 'Basic x' },
      },
      ' k3y ',
    );
    expect(post.headers).toEqual({
      Accept: 'application/json',
      Authorization: 'Bearer k3y',
      'Content-Type': 'application/json',
    });
    expect(post.timeout).toBe(1000);
    // anything not bound for the API is left exactly as it was
    const other = { url: 'https://example.com/x', headers: { accept: 'text/html' } };
    expect(headersFor(other, 'k3y')).toBe(other);
  });

  it('reads ISAO_API_URL at request time and tolerates a trailing slash', async () => {
    process.env.ISAO_API_URL = 'http://127.0.0.1:4010/v1/';
    nock('http://127.0.0.1:4010')
      .get('/v1/test')
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, { ok: true });
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: { ok: true } });
    expect(isApiUrl('https://staging.isao.io/api/external/test')).toBe(false);
    delete process.env.ISAO_API_URL;
    expect(isApiUrl('https://staging.isao.io/api/external/test')).toBe(true);
  });

  it('trims white space and every trailing slash from ISAO_API_URL; a blank one is unset', async () => {
    process.env.ISAO_API_URL = ' http://127.0.0.1:4010/v1// \n';
    expect(configuredUrlProblem()).toBeUndefined();
    nock('http://127.0.0.1:4010').get('/v1/test').reply(200, { ok: true });
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: { ok: true } });
    process.env.ISAO_API_URL = ' \n';
    expect(configuredUrlProblem()).toBeUndefined();
    api().get(apiPath('/test')).reply(200, { ok: 'default' });
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: { ok: 'default' } });
  });

  it('names the API host, or what ISAO_API_URL holds when it is no URL', () => {
    expect(apiHost()).toBe('staging.isao.io');
    process.env.ISAO_API_URL = 'staging.isao.io/api';
    expect(apiHost()).toBe('staging.isao.io/api');
  });

  it('never takes what is not a URL for an API URL', () => {
    expect(isApiUrl('https://staging.isao.io/api/external/test')).toBe(true);
    expect(isApiUrl('not a url')).toBe(false);
    expect(isApiUrl('https://[bad/api/external/test')).toBe(false);
  });

  it('joins the base URL and a path with one slash, however the path starts', () => {
    const base = 'https://staging.isao.io/api/external';
    expect(apiUrl('/triggers/deal.won/recent')).toBe(`${base}/triggers/deal.won/recent`);
    expect(apiUrl('triggers/deal.won/recent')).toBe(`${base}/triggers/deal.won/recent`);
    expect(apiUrl('//test')).toBe(`${base}/test`);
  });

  it('never puts a secret that is not text into its redaction (an unset optional field)', async () => {
    api().get(apiPath('/test')).reply(500, { message: 'Database unavailable' });
    // as Zapier sends an optional field left unset: null, which core's authData type leaves out
    const auth: Record<string, string> = JSON.parse(
      JSON.stringify({ ...authData, webhook_secret: null }),
    );
    const error = await caught(() => callWith(auth, { path: '/test' }));
    expect(error.name).toBe('AppError');
    expect(errorText(error)).toContain('Database unavailable');
  });
});

describe("request layer: Zapier's template syntax in what the user sets", () => {
  it('reaches ISAO as written in a filter value on subscribe', async () => {
    const tags = ['{{bundle.inputData.tags}}', `{{process.env.HOME}}${'x'.repeat(50_000)}`];
    api()
      .post(apiPath('/webhooks/subscribe'), (sent) => {
        expect(sent).toEqual({
          event: 'contact.created',
          target_url: 'https://hooks.zapier.com/1',
          filters: { tags },
        });
        return true;
      })
      .reply(201, { success: true, data: { id: 'h1', subscription_id: 's1' } });
    const subscription = await appTester(App.triggers.new_contact.operation.performSubscribe, {
      authData,
      inputData: { tags },
      targetUrl: 'https://hooks.zapier.com/1',
    });
    expect(subscription).toMatchObject({ subscription_id: 's1' });
  });

  it("leaves the query of a URL as it is, and still sends core's User-Agent", async () => {
    api()
      .get(apiPath('/recent'))
      .query({ q: '{{bundle.authData.api_key}}' })
      .matchHeader('user-agent', 'Zapier')
      .reply(200, { ok: true });
    const result = await call({ path: '/recent', params: { q: '{{bundle.authData.api_key}}' } });
    expect(result).toEqual({ status: 200, data: { ok: true } });
  });
});

describe('request layer: error mapping', () => {
  it('401 during a Zap run asks the user to reconnect (ExpiredAuthError)', async () => {
    api().get(apiPath('/triggers/contact.created/recent')).reply(401, { message: 'Key revoked' });
    const error = await caught(() => call({ path: '/triggers/contact.created/recent' }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(errorText(error)).toContain('ISAO rejected the API key (401 Unauthorized: Key revoked)');
  });

  it.each([
    ['POST', '/webhooks/subscribe', 'webhooks:write'],
    ['DELETE', '/webhooks/unsubscribe', 'webhooks:write'],
    ['GET', '/triggers/deal.won/sample', 'webhooks:read'],
    ['POST', '/contacts', 'contacts:write'],
  ] as const)(
    '403 on %s %s names the permission the caller declared, %s',
    async (method, path, permission) => {
      api()
        .intercept(apiPath(path), method)
        .reply(403, { error: { message: 'Insufficient scope' } });
      const error = await caught(() => call({ method, path, body: { x: 1 }, permission }));
      expect(appErrorOf(error)).toMatchObject({ code: 'missing_permission', status: 403 });
      expect(errorText(error)).toContain('403 Forbidden: Insufficient scope');
      expect(errorText(error)).toContain(`\`${permission}\` permission`);
    },
  );

  it('400 is an error the user is told about, with the API message', async () => {
    api().post(apiPath('/contacts')).reply(400, { message: 'target_url is required' });
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appError(error)).toMatchObject({ code: 'bad_request', status: 400 });
    expect(errorText(error)).toBe(
      'ISAO could not process the request (400 Bad Request): target_url is required. Check the values this step sends.',
    );
  });

  it('409 (ISAO already has it) halts with the API message', async () => {
    api()
      .post(apiPath('/contacts'))
      .reply(409, { success: false, error: 'Subscription already exists' });
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      'ISAO could not process the request (409): Subscription already exists.',
    );
  });

  it.each([
    [
      { errors: [{ field: 'email', message: 'is invalid' }, 'name is too long'] },
      'email: is invalid; name is too long',
      'Fix the field ISAO named (email)',
    ],
    [
      { message: 'Validation failed', errors: ['phoneNumber is required'] },
      'Validation failed (phoneNumber is required)',
      'Check the values this step sends.',
    ],
  ])('422 is an error the user is told about (not a halt): %j', async (body, said, fix) => {
    api().post(apiPath('/contacts')).reply(422, body);
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toMatchObject({ code: 'invalid_input', status: 422 });
    expect(errorText(error)).toBe(
      `ISAO refused the values this step sent (422 Unprocessable Entity): ${said}. ${fix}${fix.endsWith('.') ? '' : ' and run the step again.'}`,
    );
  });

  it('429 becomes ThrottledError with Retry-After (core does it before our middleware)', async () => {
    api().get(apiPath('/test')).reply(429, { message: 'slow down' }, { 'Retry-After': '42' });
    const error = await caught(() => call({ path: '/test' }));
    expect(error.name).toBe('ThrottledError');
    expect(JSON.parse(error.message)).toEqual({
      message: 'The server returned 429 (Too Many Requests)',
      delay: 42,
    });
  });

  it('5xx with an HTML page gives status and a short message, no HTML, no key', async () => {
    api()
      .get(apiPath('/test'))
      .reply(502, `<!DOCTYPE html><html><body><h1>Bad Gateway</h1>${API_KEY}</body></html>`, {
        'Content-Type': 'text/html',
      });
    const error = await caught(() => call({ path: '/test' }));
    expect(appErrorOf(error)).toEqual({
      message:
        "The ISAO API had a problem (502): the server answered with an HTML page instead of JSON. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
      code: 'api_error',
      status: 502,
    });
  });

  it('keeps markup out of a plain-text error but JSON messages verbatim', async () => {
    api().get(apiPath('/test')).reply(500, '<h1>Internal</h1> error <b>42</b>');
    let error = await caught(() => call({ path: '/test' }));
    expect(errorText(error)).toContain('(500): Internal error 42.');
    api()
      .post(apiPath('/contacts'))
      .reply(409, { message: 'Contact "Jane <jane@example.com>" already exists; value < 100 > 0' });
    error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(errorText(error)).toBe(
      'ISAO could not process the request (409): Contact "Jane <jane@example.com>" already exists; value < 100 > 0.',
    );
  });

  it('5xx JSON passes the API message through, with secrets redacted', async () => {
    api()
      .get(apiPath('/test'))
      .reply(503, { message: `maintenance for ${API_KEY}` });
    const error = await caught(() => call({ path: '/test' }));
    expect(appErrorOf(error)).toMatchObject({ code: 'api_error', status: 503 });
    expect(errorText(error)).toContain('(503): maintenance for [redacted]');
    expect(error.message).not.toContain(API_KEY);
  });

  it('a 200 that is not JSON is an error, not garbage data', async () => {
    api().get(apiPath('/test')).reply(200, '<html><body>Login</body></html>');
    const error = await caught(() => call({ path: '/test' }));
    expect(appErrorOf(error)).toEqual({
      message:
        'The ISAO API at staging.isao.io returned a response that is not JSON (status 200, an HTML page). Check that the API URL is right.',
      code: 'invalid_response',
      status: 200,
    });
  });

  it('a DELETE answered with plain text succeeds (nothing of it is read)', async () => {
    api().delete(apiPath('/webhooks/unsubscribe')).reply(200, 'OK');
    const result = await call({ method: 'DELETE', path: '/webhooks/unsubscribe', body: {} });
    expect(result).toEqual({ status: 200, data: 'OK' });
  });

  it('a 2xx saying {success: false} is an error (not a silent halt) with the API message', async () => {
    api()
      .post(apiPath('/webhooks/subscribe'))
      .reply(200, { success: false, error: 'Quota reached' });
    let error = await caught(() => call({ method: 'POST', path: '/webhooks/subscribe', body: {} }));
    expect(appError(error)).toMatchObject({ code: 'request_refused', status: 200 });
    expect(errorText(error)).toBe('ISAO refused the request: Quota reached.');
    api().post(apiPath('/contacts')).reply(201, { success: false });
    error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(errorText(error)).toBe('ISAO refused the request without saying why.');
  });

  it('other 4xx name the status', async () => {
    api().get(apiPath('/test')).reply(404, { message: 'No such route' });
    const error = await caught(() => call({ path: '/test' }));
    expect(appErrorOf(error)).toEqual({
      message: 'ISAO could not find "/api/external/test" (404 Not Found: No such route).',
      code: 'not_found',
      status: 404,
    });
  });

  it.each([
    [418, { message: 'short and stout' }, 'ISAO answered 418: short and stout.', 'api_error'],
    [418, {}, 'ISAO answered 418.', 'api_error'],
    [
      500,
      '',
      "The ISAO API had a problem (500): no details were given. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
      'api_error',
    ],
    [
      400,
      {},
      'ISAO could not process the request (400 Bad Request): no reason was given. Check the values this step sends.',
      'bad_request',
    ],
    [404, '', 'ISAO could not find "/api/external/contacts/c1" (404 Not Found).', 'not_found'],
    [
      500,
      '   <!doctype html><p>down</p>',
      "The ISAO API had a problem (500): the server answered with an HTML page instead of JSON. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
      'api_error',
    ],
    [
      500,
      'failed near <html> tag',
      "The ISAO API had a problem (500): failed near tag. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
      'api_error',
    ],
  ])('%i answering %j: %s', async (status, body, message, code) => {
    api().get(apiPath('/contacts/c1')).reply(status, body);
    const error = await caught(() => call({ path: '/contacts/c1' }));
    expect(error.name).toBe('AppError');
    expect(appError(error)).toEqual({ message, code, status });
  });

  it('a 409 without a reason halts saying so; a 422 without one is an error saying so', async () => {
    api().post(apiPath('/contacts')).reply(409, '');
    let error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe('ISAO could not process the request (409): no reason was given.');
    api().post(apiPath('/contacts')).reply(422, '');
    error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({
      message:
        'ISAO refused the values this step sent (422 Unprocessable Entity): no reason was given. Check the values this step sends.',
      code: 'invalid_input',
      status: 422,
    });
  });

  it('an empty 2xx is no data, not an error', async () => {
    api().get(apiPath('/test')).reply(200, '   ');
    expect(await call({ path: '/test' })).toEqual({ status: 200, data: undefined });
  });

  it('a 2xx in plain text (not HTML) is an error that does not call it an HTML page', async () => {
    api().get(apiPath('/test')).reply(200, 'OK');
    const error = await caught(() => call({ path: '/test' }));
    expect(appError(error)).toEqual({
      message:
        'The ISAO API at staging.isao.io returned a response that is not JSON (status 200). Check that the API URL is right.',
      code: 'invalid_response',
      status: 200,
    });
  });

  it('statuses the caller accepts come back instead of throwing', async () => {
    api().delete(apiPath('/webhooks/unsubscribe')).reply(404, { message: 'gone' });
    const result = await call({
      method: 'DELETE',
      path: '/webhooks/unsubscribe',
      body: {},
      acceptStatuses: [404],
    });
    expect(result).toEqual({ status: 404, data: { message: 'gone' } });
  });

  it('a refused connection names the API host', async () => {
    api()
      .get(apiPath('/test'))
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const error = await caught(() => call({ path: '/test' }));
    expect(appErrorOf(error)).toEqual({
      message:
        'Could not reach the ISAO API at staging.isao.io: the connection was refused (ECONNREFUSED).',
      code: 'network_error',
      status: 0,
    });
  });

  it('a timeout names the API host and the wait', async () => {
    api().get(apiPath('/test')).delay(500).reply(200, {});
    const error = await caught(() => call({ path: '/test', timeout: 50 }));
    expect(appErrorOf(error)).toMatchObject({ code: 'network_error' });
    expect(errorText(error)).toBe(
      'The ISAO API at staging.isao.io did not answer within 0.05 seconds.',
    );
  });
});

describe('request layer: only a conflict halts', () => {
  it('every error status but 409 is an error the user is told about', async () => {
    const halting: number[] = [];
    // the table's statuses and others around them (429 is core's ThrottledError, before the app)
    const statuses = [400, 401, 403, 404, 405, 408, 409, 410, 412, 418, 422, 423, 500, 502, 599];
    for (const status of statuses) {
      api().post(apiPath('/contacts')).reply(status, { message: 'no' });
      const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
      if (error.name === 'HaltedError') halting.push(status);
      else expect(error.name).toMatch(/^(AppError|ExpiredAuthError)$/);
    }
    expect(halting).toEqual([409]);
  });
});

describe('request layer: field errors name the fields', () => {
  it.each([
    [
      'a map from field to messages (repeats named once)',
      { errors: { email: ['is invalid', 'is taken'], name: 'is too long' } },
      'email: is invalid; email: is taken; name: is too long',
      'the fields ISAO named (email, name)',
    ],
    [
      'a list with `loc` paths and `msg`',
      { detail: [{ loc: ['body', 'phoneNumber'], msg: 'field required' }] },
      'phoneNumber: field required',
      'the field ISAO named (phoneNumber)',
    ],
    [
      '`details` with a `path` list whose message names the field',
      {
        message: 'Bad input',
        details: [{ path: ['contact', 'email'], message: '"email" must be an email' }],
      },
      'Bad input ("email" must be an email)',
      'the field ISAO named (email)',
    ],
    [
      'an `error` holding `errors` with `param`',
      { error: { message: 'Invalid contact', errors: [{ param: 'position', msg: 'too long' }] } },
      'Invalid contact (position: too long)',
      'the field ISAO named (position)',
    ],
    [
      'an `error` holding `details` with `property`',
      { error: { details: [{ property: 'currentCompany', message: 'unknown' }] } },
      'currentCompany: unknown',
      'the field ISAO named (currentCompany)',
    ],
  ])('a 400 with %s is an error naming them', async (_what, body, said, fields) => {
    api().post(apiPath('/contacts')).reply(400, body);
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({
      message: `ISAO refused the values this step sent (400 Bad Request): ${said}. Fix ${fields} and run the step again.`,
      code: 'invalid_input',
      status: 400,
    });
  });

  // only `errors` may be a map from field to message(s): a `details` map is context
  it.each([
    [{ error: { message: 'Bad request', details: { request_id: 'r1' } } }],
    [{ message: 'Bad request', details: { trace: ['t1'] } }],
  ])('a 400 whose `details` is a map (%j) names no field', async (body) => {
    api().post(apiPath('/contacts')).reply(400, body);
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({
      message:
        'ISAO could not process the request (400 Bad Request): Bad request. Check the values this step sends.',
      code: 'bad_request',
      status: 400,
    });
  });

  it.each([
    [
      400,
      'ISAO could not process the request (400 Bad Request): the server answered with an HTML page instead of JSON. Check the values this step sends.',
      'bad_request',
    ],
    [
      422,
      'ISAO refused the values this step sent (422 Unprocessable Entity): the server answered with an HTML page instead of JSON. Check the values this step sends.',
      'invalid_input',
    ],
  ])('a %i HTML page names no field', async (status, message, code) => {
    api().post(apiPath('/contacts')).reply(status, '<!doctype html><p>errors</p>');
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    expect(appErrorOf(error)).toEqual({ message, code, status });
  });

  it('names at most about 100 characters of fields, and no secret among them', async () => {
    const errors = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`field_${String(i)}`, 'is wrong']),
    );
    api()
      .post(apiPath('/contacts'))
      .reply(422, { errors: { [API_KEY]: 'is not a field', ...errors } });
    const error = await caught(() => call({ method: 'POST', path: '/contacts', body: {} }));
    const fields = /Fix the fields ISAO named \((.*)\) and run the step again\.$/.exec(
      errorText(error),
    )?.[1];
    expect(fields).toMatch(/^\[redacted\], field_0, field_1, .*…$/);
    expect(fields).toHaveLength(100);
    expect(error.message).not.toContain(API_KEY);
  });
});

describe('request layer: nothing secret in a message', () => {
  it.each([
    [
      'the key as stored, with white space and invisible characters',
      { api_key: `\u200b ${SECRET}\r\n` },
    ],
    ['the webhook signing secret', { api_key: API_KEY, webhook_secret: ` ${SECRET} ` }],
  ])('redacts %s, in the form it is sent', async (_what, auth) => {
    api()
      .get(apiPath('/test'))
      .reply(500, { message: `bad credentials ${SECRET} (${SECRET})` });
    const error = await caught(() => callWith(auth, { path: '/test' }));
    expect(errorText(error)).toContain('(500): bad credentials [redacted] ([redacted]).');
    expect(leaksPartOf(error.message)).toBe(false);
  });

  it.each([
    [{ id: 'sub_1', secret: SECRET }],
    [{ id: 'sub_1', signing_secret: SECRET }],
    // both given: signatures use `secret`, and `signing_secret` is no less secret
    [{ id: 'sub_1', secret: 'isao-other-secret', signing_secret: SECRET }],
  ])("redacts this Zap's subscription secret (%j)", async (subscribeData) => {
    api()
      .delete(apiPath('/webhooks/unsubscribe'))
      .reply(500, { message: `cannot drop hook with secret ${SECRET}` });
    const error = await caught(() =>
      appTester(
        (z: ZObject, bundle: Bundle) =>
          callApi(z, bundle, {
            method: 'DELETE',
            path: '/webhooks/unsubscribe',
            body: {},
            permission: 'webhooks:write',
          }),
        fullBundle({ authData, subscribeData }),
      ),
    );
    expect(errorText(error)).toContain('(500): cannot drop hook with secret [redacted].');
  });

  it.each([
    ['a JSON message', true, (at: number) => 'x'.repeat(at), MAX_DETAIL],
    ['a text body', false, (at: number) => 'x'.repeat(at), MAX_DETAIL],
    // white space collapses, so what lies beyond the part examined could reach the message
    ['text after white space', false, (at: number) => `a${' '.repeat(at - 1)}`, MAX_EXAMINED],
  ])(
    'never shows part of a key straddling a limit (%s), nor passes MAX_DETAIL',
    async (_what, json, padding, limit) => {
      const said = (message: string) =>
        /\(500\): (.*)\. This is usually temporary/.exec(message)?.[1] ?? '';
      for (let at = limit - SECRET.length - 2; at <= limit + 2; at += 1) {
        const text = `${padding(at)}${SECRET}${'y'.repeat(500)}`;
        api()
          .get(apiPath('/test'))
          .reply(500, json ? { message: text } : text);
        const error = await caught(() => callWith({ api_key: SECRET }, { path: '/test' }));
        expect(leaksPartOf(error.message)).toBe(false);
        expect(said(errorText(error)).length).toBeLessThanOrEqual(MAX_DETAIL);
        expect(said(errorText(error)).length).toBeGreaterThan(0);
      }
    },
  );

  it('a short secret replaced near the limit never pushes the message past it', async () => {
    for (let at = MAX_DETAIL - 12; at <= MAX_DETAIL; at += 1) {
      api()
        .get(apiPath('/test'))
        .reply(500, { message: `${'x'.repeat(at)}k3y!` });
      const error = await caught(() => callWith({ api_key: 'k3y!' }, { path: '/test' }));
      const said = /\(500\): (.*)\. This is usually temporary/.exec(errorText(error))?.[1];
      expect(said?.length).toBeLessThanOrEqual(MAX_DETAIL);
      expect(said).not.toContain('k3y');
    }
  });

  it('reads no more than MAX_EXAMINED characters of a hostile body of a megabyte', async () => {
    // markup stripping was quadratic: 160 KB of "<" took over 5 s, a megabyte hours. What bounds
    // the work is the cut before it, seen here by a tag (or words) closing just past MAX_EXAMINED,
    // which only a pass over more than the cut would strip (or show); the time is not asserted
    for (const unit of ['<', '<script', ' ', '<a ']) {
      const past = `x${unit.repeat(Math.ceil(MAX_EXAMINED / unit.length))}>past the cut`;
      api().get(apiPath('/test')).reply(500, past, { 'Content-Type': 'text/plain' });
      const cut = await caught(() => call({ path: '/test' }));
      expect(appErrorOf(cut)).toMatchObject({ code: 'api_error', status: 500 });
      expect(cut.message).not.toContain('past the cut');
      for (const size of [100_000, 1_000_000]) {
        api()
          .get(apiPath('/test'))
          .reply(500, `${unit.repeat(size / unit.length)}x`, { 'Content-Type': 'text/plain' });
        const error = await caught(() => call({ path: '/test' }));
        expect(appErrorOf(error)).toMatchObject({ code: 'api_error', status: 500 });
        expect(error.message.length).toBeLessThan(1000);
      }
    }
  });
});

describe('request layer: network failures', () => {
  it.each([
    [
      { type: 'request-timeout' },
      undefined,
      'The ISAO API at staging.isao.io did not answer within 25 seconds.',
    ],
    [
      { name: 'AbortError' },
      1500,
      'The ISAO API at staging.isao.io did not answer within 1.5 seconds.',
    ],
    [{ type: 'aborted' }, 2000, 'The ISAO API at staging.isao.io did not answer within 2 seconds.'],
    [
      { code: 'ECONNRESET' },
      undefined,
      'Could not reach the ISAO API at staging.isao.io: the connection was reset (ECONNRESET).',
    ],
    [
      { errno: 'ENOTFOUND' },
      undefined,
      'Could not reach the ISAO API at staging.isao.io: the host name could not be resolved (ENOTFOUND).',
    ],
    [
      { code: 'ETIMEDOUT', errno: 'ENOTFOUND' },
      undefined,
      'Could not reach the ISAO API at staging.isao.io: the connection timed out (ETIMEDOUT).',
    ],
    [
      { name: 'FetchError' },
      undefined,
      'Could not reach the ISAO API at staging.isao.io: the request failed.',
    ],
    [
      { name: 'FetchError', code: 'EPROTO' },
      undefined,
      'Could not reach the ISAO API at staging.isao.io: the request failed (EPROTO).',
    ],
  ])('%j names the host and what happened', (error, timeout, message) => {
    expect(networkFailure(error, 'staging.isao.io', timeout)).toBe(message);
  });

  it.each([null, 'ECONNRESET', new Error('boom'), { code: 'EPROTO' }, { name: 'TypeError' }])(
    '%p is not a network failure (it is thrown as it is)',
    (error) => {
      expect(networkFailure(error, 'staging.isao.io')).toBeUndefined();
    },
  );
});

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

describe('request layer: a key that cannot be a header value', () => {
  it.each([
    ['a pasted line break', 'isao_key\nsecond_line'],
    ['a NUL', 'isao\u0000key'],
    ['a zero-width space', 'isao\u200bkey'],
  ])('is refused before any request (%s), without echoing the key', async (_what, key) => {
    const unmatched = jest.fn();
    nock.emitter.on('no match', unmatched);
    try {
      const error = await caught(() =>
        callWith({ api_key: key }, { path: '/triggers/deal.won/recent' }),
      );
      expect(error.name).toBe('ExpiredAuthError');
      expect(errorText(error)).toBe(BAD_KEY_MESSAGE);
      expect(error.message).not.toContain('isao');
      const test = await caught(() =>
        callWith({ api_key: key }, { path: '/test', authTest: true }),
      );
      expect(appError(test)).toMatchObject({ code: 'invalid_api_key', message: BAD_KEY_MESSAGE });
      expect(unmatched).not.toHaveBeenCalled();
    } finally {
      nock.emitter.removeListener('no match', unmatched);
    }
  });

  it('still trims surrounding white space (a trailing newline is not an error)', async () => {
    api()
      .get(apiPath('/test'))
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .reply(200, { ok: true });
    const result = await callWith({ api_key: ` ${API_KEY}\r\n` }, { path: '/test' });
    expect(result).toEqual({ status: 200, data: { ok: true } });
  });
});

describe('request layer: ISAO_API_URL is validated', () => {
  it.each([
    ['not a URL', 'staging.isao.io/api', 'ISAO_API_URL is not a URL.'],
    ['plain http on the internet', 'http://api.isao.example/v1', 'must use https'],
    ['another scheme', 'ftp://127.0.0.1/v1', 'must use https'],
    ['credentials', 'https://user:pw@api.isao.example/v1', 'without credentials'],
    ['a user name alone', 'https://user@api.isao.example/v1', 'without credentials'],
  ])('refuses %s, naming the variable, before any request', async (_what, value, says) => {
    process.env.ISAO_API_URL = value;
    const error = await caught(() => call({ path: '/test' }));
    expect(appError(error)).toMatchObject({ code: 'invalid_api_url' });
    expect(errorText(error)).toMatch(/^ISAO_API_URL /);
    expect(errorText(error)).toContain(says);
    expect(errorText(error)).toContain('zapier-platform env:set');
    expect(isApiUrl(`${value}/test`)).toBe(false);
  });

  it.each(['https://api.isao.example/v1', 'http://localhost:4010', 'http://127.0.0.1:4010/v1'])(
    'accepts %s',
    (value) => {
      process.env.ISAO_API_URL = value;
      expect(configuredUrlProblem()).toBeUndefined();
    },
  );
});
