/** The request layer (src/lib/api.ts): ISAO's answers and network failures mapped to errors. */
import { api, apiPath, appError, appErrorOf, API_KEY, caught, errorText } from '../helpers';
import { networkFailure } from '../../core/errors';
import { call } from './api.setup';

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
