import nock from 'nock';
import { api, apiPath, appErrorOf, appTester, authData, caught, errorText } from './helpers';
import authentication from '../src/authentication';
import { isRecord } from '../core/inputs';

const testAuth = (data: Record<string, string> = authData) =>
  appTester(authentication.test, { authData: data });

describe('authentication', () => {
  it('tests the key with GET /test and labels the connection with the company', async () => {
    api()
      .get(apiPath('/test'))
      .matchHeader('authorization', `Bearer ${authData.api_key}`)
      .matchHeader('accept', 'application/json')
      .reply(200, { success: true, data: { company: { id: 'cmp_1', name: 'Acme Dental' } } });
    const result = (await testAuth()) as Record<string, unknown>;
    expect(result.connection_label).toBe('Acme Dental');
    expect(authentication.connectionLabel).toBe('{{bundle.inputData.connection_label}}');
  });

  it.each([
    [{ company_name: 'Flat Co' }, 'Flat Co'],
    [{ data: { companyName: 'Camel Co' } }, 'Camel Co'],
    [{ data: { companyId: 'cmb72' } }, 'company cmb72'],
    [{ success: true }, 'ISAO (staging.isao.io)'],
    // names outside the `data` envelope count too; a name inside it wins
    [{ success: true, data: { id: 'x' }, company: { name: 'Outer Co' } }, 'Outer Co'],
    [{ success: true, data: { companyId: 'cmb9' }, company_id: 'cmb8' }, 'company cmb9'],
    [{ success: true, data: { id: 'x' }, companyId: 'cmb8' }, 'company cmb8'],
    [{ success: true, data: { name: 'Inner Co' }, company_name: 'Outer Co' }, 'Outer Co'],
    [{ success: true, data: { company_name: 'Inner Co' }, name: 'Outer Co' }, 'Inner Co'],
  ])('falls back to what the test response has: %j → %s', async (body, label) => {
    api().get(apiPath('/test')).reply(200, body);
    const result = (await testAuth()) as Record<string, unknown>;
    expect(result.connection_label).toBe(label);
  });

  /**
   * The label's sources, in the order they win; each test below puts two neighbours in one answer,
   * so swapping any two entries of the app's table fails one of them.
   */
  const LABEL_ORDER: readonly (readonly string[])[] = [
    ['company', 'name'],
    ['company_name'],
    ['companyName'],
    ['account', 'name'],
    ['organization', 'name'],
    ['name'],
    ['user', 'email'],
    ['email'],
    ['key', 'name'],
  ];

  /** `into` with `value` set at `path`, creating the objects on the way. */
  const setAt = (
    into: Record<string, unknown>,
    path: readonly string[],
    value: string,
  ): Record<string, unknown> => {
    const [head, ...rest] = path;
    if (head === undefined) return into;
    const inner = into[head];
    into[head] = rest.length > 0 ? setAt(isRecord(inner) ? inner : {}, rest, value) : value;
    return into;
  };

  const neighbours = LABEL_ORDER.flatMap((first, i) => {
    const second = LABEL_ORDER[i + 1];
    return second ? [[first.join('.'), second.join('.'), first, second] as const] : [];
  });

  it.each(neighbours)(
    'labels the connection with %s rather than %s',
    async (_first, _second, first, second) => {
      const data = setAt(setAt({}, second, 'second@example.com'), first, 'First Co');
      api().get(apiPath('/test')).reply(200, { success: true, data });
      const result = (await testAuth()) as Record<string, unknown>;
      expect(result.connection_label).toBe('First Co');
    },
  );

  it.each([
    ['https://api.isao.example/external?', 'https://api.isao.example/…?'],
    ['https://api.isao.example/external#', 'https://api.isao.example/…#'],
    ['https://api.isao.example/external?#', 'https://api.isao.example/…?#'],
  ])(
    'refuses ISAO_API_URL %s (an empty query or fragment) before any request',
    async (url, shown) => {
      process.env.ISAO_API_URL = url;
      const unmatched = jest.fn();
      nock.emitter.on('no match', unmatched);
      try {
        const error = await caught(() => testAuth());
        expect(appErrorOf(error)).toEqual({
          message: `ISAO_API_URL "${shown}" must be a plain base URL, without credentials, query or fragment. Set the app's ISAO_API_URL environment variable (zapier-platform env:set) to the ISAO API base URL, for example https://staging.isao.io/api/external.`,
          code: 'invalid_api_url',
          status: 500,
        });
        expect(unmatched).not.toHaveBeenCalled();
      } finally {
        nock.emitter.removeListener('no match', unmatched);
      }
    },
  );

  it.each(['', '   ', '\u200b\u200e\ufeff'])(
    'asks for the key when it is blank or invisible (%j), before any request',
    async (key) => {
      const error = await caught(() => testAuth({ api_key: key }));
      expect(appErrorOf(error)).toMatchObject({
        code: 'missing_api_key',
        message: 'Enter your ISAO API key.',
      });
    },
  );

  it('refuses a key holding a line break during the test, without echoing it', async () => {
    const error = await caught(() => testAuth({ api_key: 'isao_live\nkey' }));
    expect(appErrorOf(error)).toMatchObject({ code: 'invalid_api_key', status: 400 });
    expect(error.message).not.toContain('isao_live');
  });

  it('a rejected key is a plain error during the test, not "reconnect"', async () => {
    api().get(apiPath('/test')).reply(401, { error: 'Invalid API key' });
    const error = await caught(() => testAuth());
    expect(appErrorOf(error)).toMatchObject({ code: 'invalid_api_key', status: 401 });
    expect(errorText(error)).toContain(
      'ISAO rejected the API key (401 Unauthorized: Invalid API key)',
    );
    expect(errorText(error)).toContain('invalid or has been revoked');
  });

  it('a 200 saying {success: false} fails the test with the API message', async () => {
    api().get(apiPath('/test')).reply(200, { success: false, error: 'Invalid API key' });
    const error = await caught(() => testAuth());
    expect(appErrorOf(error)).toEqual({
      message: 'ISAO refused the request: Invalid API key.',
      code: 'request_refused',
      status: 200,
    });
  });

  it('names the missing permission on 403', async () => {
    api().get(apiPath('/test')).reply(403, { message: 'Forbidden' });
    const error = await caught(() => testAuth());
    expect(errorText(error)).toContain('`webhooks:read` permission');
  });

  it('asks for a key before calling the API', async () => {
    for (const data of [{ api_key: '  ' }, {} as Record<string, string>]) {
      const error = await caught(() => testAuth(data));
      expect(appErrorOf(error)).toEqual({
        message: 'Enter your ISAO API key.',
        code: 'missing_api_key',
        status: 400,
      });
    }
  });

  it('declares the key and the optional signing secret as password fields', () => {
    const fields = authentication.fields;
    expect(fields).toEqual([
      expect.objectContaining({ key: 'api_key', type: 'password', required: true }),
      expect.objectContaining({ key: 'webhook_secret', type: 'password', required: false }),
    ]);
    expect(fields[0]?.helpText).toMatch(/webhooks:read.*webhooks:write/s);
    expect(fields[0]?.helpText).toMatch(/\]\(https:\/\/[^)]+\)/);
  });
});
