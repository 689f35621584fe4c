/**
 * The package's request layer: what ISAO receives (through n8n's authenticated request, with the
 * credential's Bearer header), and every failure as the error a user reads, in the core's words.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { caught } from '../../helpers';
import { isaoRequest } from '../../../n8n/shared/request';
import { BAD_KEY_MESSAGE } from '../../../core/api';
import { API_KEY, at, credentialData, hookContext, isao, SIGNING_SECRET } from '../contexts';

const call = (
  request: Partial<Parameters<typeof isaoRequest>[1]> = {},
  credentials = credentialData(),
) =>
  isaoRequest(hookContext({ credentials }).context, {
    method: 'POST',
    path: '/contacts',
    body: { name: 'Ada' },
    permission: 'contacts:write',
    ...request,
  });

const failure = async (...args: Parameters<typeof call>) => caught(() => call(...args));

describe('requests', () => {
  it('sends JSON with the Bearer key to the Base URL, and reads the JSON answer', async () => {
    isao()
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .matchHeader('accept', 'application/json')
      .matchHeader('content-type', 'application/json')
      .post(at('/contacts'), { name: 'Ada' })
      .reply(201, { success: true, data: { id: 'c1' } });

    expect(await call()).toEqual({ status: 201, data: { success: true, data: { id: 'c1' } } });
  });

  it('takes a Base URL with a trailing slash, and an empty answer as no data', async () => {
    isao().get(at('/webhooks')).reply(204);

    const answer = await call(
      { method: 'GET', path: '/webhooks', body: undefined, permission: 'webhooks:read' },
      credentialData({ baseUrl: 'https://api.isao.test/v1/' }),
    );

    expect(answer).toEqual({ status: 204, data: undefined });
  });

  it('reads a JSON string answer as JSON: the text is asked for, not parsed by n8n', async () => {
    isao().post(at('/contacts')).reply(200, '"queued"');

    expect(await call()).toEqual({ status: 200, data: 'queued' });
  });

  it('drops every trailing slash of the Base URL', async () => {
    isao().post(at('/contacts')).reply(201, { id: 'c1' });

    expect(await call({}, credentialData({ baseUrl: 'https://api.isao.test/v1//' }))).toEqual({
      status: 201,
      data: { id: 'c1' },
    });
  });

  it('uses the default Base URL when the credential has none', async () => {
    const { default: nock } = await import('nock');
    nock('https://staging.isao.io').post('/api/external/contacts').reply(201, { id: 'c1' });

    expect(await call({}, credentialData({ baseUrl: ' ' }))).toEqual({
      status: 201,
      data: { id: 'c1' },
    });
  });
});

describe('answers in the other forms n8n may hand over', () => {
  /** A request whose n8n client answers `answer`. */
  const answeredWith = (answer: unknown) => {
    const { context } = hookContext();
    context.helpers = { httpRequestWithAuthentication: () => Promise.resolve(answer) };
    return isaoRequest(context, { method: 'GET', path: '/webhooks', permission: 'webhooks:read' });
  };

  it.each([
    ['bytes', Buffer.from('{"data":[]}'), { data: [] }],
    ['parsed JSON', { data: [] }, { data: [] }],
    ['no body', undefined, undefined],
    ['a null body', null, undefined],
  ])('a body as %s', async (_name, body, data) => {
    expect(await answeredWith({ statusCode: 200, body })).toEqual({ status: 200, data });
  });

  it('an answer without a status', async () => {
    const error = await caught(() => answeredWith('{"data":[]}'));

    expect(error.message).toBe(
      'The ISAO API at api.isao.test gave an answer without a status, so it could not be read.',
    );
  });

  it.each([null, { statusCode: '200' }])('nor %p', async (answer) => {
    const error = await caught(() => answeredWith(answer));

    expect(error.message).toContain('gave an answer without a status');
  });
});

describe('what is refused before any request', () => {
  it.each([
    [
      'http://api.isao.test/v1',
      'Base URL "http://api.isao.test/…" must use https (plain http only for this machine: localhost, 127.0.0.1 or [::1], where the ISAO sandbox runs). Set the Base URL of the ISAO API credential to the ISAO API base URL, for example https://staging.isao.io/api/external.',
    ],
    [
      'https://user:pw@api.isao.test/v1',
      'Base URL "https://[redacted]@api.isao.test/…" must be a plain base URL, without credentials, query or fragment. Set the Base URL of the ISAO API credential to the ISAO API base URL, for example https://staging.isao.io/api/external.',
    ],
    [
      'isao',
      'Base URL is not a URL. Set the Base URL of the ISAO API credential to the ISAO API base URL, for example https://staging.isao.io/api/external.',
    ],
  ])('a Base URL like %s', async (baseUrl, message) => {
    const error = await failure({}, credentialData({ baseUrl }));

    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe(message);
  });

  it('a Base URL holding the key where a host name could be, never quoting the key', async () => {
    const error = await failure({}, credentialData({ baseUrl: `http://${API_KEY}.example/v1` }));

    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(API_KEY);
  });

  it('a key that cannot be a header value, never quoting it', async () => {
    const error = await failure({}, credentialData({ apiKey: 'isao_key\nsecond line' }));

    expect(error.message).toBe(BAD_KEY_MESSAGE);
  });
});

describe('failures, in the core words', () => {
  it.each([
    [
      401,
      { message: 'bad key' },
      'ISAO rejected the API key (401 Unauthorized: bad key). The key is invalid or has been revoked: create a new key in your ISAO dashboard and reconnect.',
    ],
    [
      403,
      {},
      'ISAO refused this request (403 Forbidden). The API key lacks the `contacts:write` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.',
    ],
    [404, { error: 'no route' }, 'ISAO could not find "/v1/contacts" (404 Not Found: no route).'],
    [
      422,
      { errors: [{ field: 'phoneNumber', message: 'is invalid' }] },
      'ISAO refused the values this step sent (422 Unprocessable Entity): phoneNumber: is invalid. Fix the field ISAO named (phoneNumber) and run the step again.',
    ],
    [
      500,
      'Internal Server Error',
      "The ISAO API had a problem (500): Internal Server Error. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
    ],
  ])('%i', async (status, body, message) => {
    isao().post(at('/contacts')).reply(status, body);

    const error = await failure();

    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toBe(message);
    expect(error instanceof NodeApiError && error.httpCode).toBe(String(status));
  });

  it("keeps ISAO's words when they look like a system error (n8n's constructors would replace them)", async () => {
    isao().post(at('/contacts')).reply(502, { message: 'upstream ECONNRESET' });

    const error = await failure();

    expect(error.message).toBe(
      "The ISAO API had a problem (502): upstream ECONNRESET. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
    );
  });

  it('names the permission each call needs', async () => {
    isao().get(at('/webhooks')).reply(403);

    const error = await failure({
      method: 'GET',
      path: '/webhooks',
      body: undefined,
      permission: 'webhooks:read',
    });

    expect(error.message).toContain('The API key lacks the `webhooks:read` permission');
  });

  it('takes the statuses a call accepts as answers', async () => {
    isao().delete(at('/webhooks/unsubscribe')).reply(410, { message: 'gone' });

    const answer = await call({
      method: 'DELETE',
      path: '/webhooks/unsubscribe',
      acceptStatuses: [404, 410],
    });

    expect(answer).toEqual({ status: 410, data: { message: 'gone' } });
  });

  it('never shows the key or a secret the API echoes', async () => {
    isao()
      .post(at('/contacts'))
      .reply(500, { message: `key ${API_KEY} and whsec_echoed were wrong` });

    const error = await failure({ secrets: ['whsec_echoed'] });

    expect(error.message).toBe(
      "The ISAO API had a problem (500): key [redacted] and [redacted] were wrong. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
    );
  });

  it("never shows the credential's signing secret either", async () => {
    isao()
      .post(at('/contacts'))
      .reply(500, { message: `secret ${SIGNING_SECRET}` });

    const error = await failure({}, credentialData({ signingSecret: SIGNING_SECRET }));

    expect(error.message).toContain('(500): secret [redacted].');
  });

  it('refuses a 2xx that is not JSON, naming the host', async () => {
    isao().post(at('/contacts')).reply(200, '<html><body>login</body></html>');

    const error = await failure();

    expect(error.message).toBe(
      'The ISAO API at api.isao.test returned a response that is not JSON (status 200, an HTML page). Check that the API URL is right.',
    );
  });

  it.each([302, 300, 399])(
    'never follows a redirect (%i): the key stays on the Base URL',
    async (status) => {
      isao().post(at('/contacts')).reply(status, '', { Location: 'https://elsewhere.test/grab' });

      const error = await failure();

      expect(error instanceof NodeApiError && [error.httpCode, error.errorResponse]).toEqual([
        String(status),
        { code: 'unsafe_redirect', kind: 'error' },
      ]);
      expect(error.message).toBe(
        `The ISAO API at api.isao.test answered ${String(status)} (a redirect); the API key is only ever sent to the Base URL, so the redirect was not followed. Check the Base URL of the ISAO API credential.`,
      );
    },
  );

  it('takes a 400 for an error, not a redirect', async () => {
    isao().post(at('/contacts')).reply(400, { message: 'bad' });

    const error = await failure();

    expect(error.message).toBe(
      'ISAO could not process the request (400 Bad Request): bad. Check the values this step sends.',
    );
  });

  it('keeps the failure code with the error', async () => {
    isao().post(at('/contacts')).reply(403);

    const error = await failure();

    expect(error instanceof NodeApiError && error.errorResponse).toEqual({
      code: 'missing_permission',
      kind: 'error',
    });
  });

  it('names the host and the cause when ISAO cannot be reached', async () => {
    isao()
      .post(at('/contacts'))
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    const error = await failure();

    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toBe(
      'Could not reach the ISAO API at api.isao.test: the connection was refused (ECONNREFUSED).',
    );
  });

  it('words any other request failure with its reason, without secrets', async () => {
    isao().post(at('/contacts')).replyWithError(`socket hang up near ${API_KEY}`);

    const error = await failure();

    expect(error.message).toMatch(/^Could not call the ISAO API at api\.isao\.test: /);
    expect(error.message).not.toContain(API_KEY);
  });

  it('redacts the key before a long reason is cut, so no part of it is left', async () => {
    isao()
      .post(at('/contacts'))
      .replyWithError(`${'x'.repeat(90)} ${API_KEY} and more words after it`);

    const error = await failure();

    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(API_KEY.slice(0, 6));
  });
});
