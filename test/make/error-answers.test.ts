/**
 * What a Make user reads when ISAO refuses a call: every call of the app (the base every module
 * inherits, the connection test, attach and detach, Create a contact, Make an API call) answered
 * with each status and each shape of error body, run through the IML evaluator (test/make/iml/)
 * and compared with the core's failure for the same answer (core/errors.ts `failureFor`): the same
 * words, and the Make error type that fits the core's kind of failure. Where Make cannot read
 * what the core reads, the test says so (docs/make.md).
 */
import { failureFor, type CallPolicy, type Failure } from '../../core/errors';
import { subscribeCall, subscribed, unsubscribeCall } from '../../core/subscriptions';
import { createContactCall } from '../../core/contacts';
import { connection, forEvent, moduleNamed, section, WITH_BASE, WITHOUT_BASE } from './app-code';
import { outcomeOf, type Origin } from './iml/runtime';

const KEY = 'isao_test_key_123';
const HOST = 'staging.isao.io';

/** The Make error type each kind of core failure calls for (Make's error types, docs/make.md). */
const makeTypeOf = ({ code, status }: Failure): string =>
  ({
    invalid_api_key: 'InvalidAccessTokenError',
    missing_permission: 'InvalidConfigurationError',
    not_found: 'DataError',
    bad_request: 'DataError',
    invalid_input: 'DataError',
    request_refused: 'DataError',
    conflict: 'DuplicateDataError',
  })[code] ?? (status >= 500 ? 'ConnectionError' : 'RuntimeError');

interface Call {
  name: string;
  origin: Origin;
  call: Record<string, unknown>;
  policy: CallPolicy;
  method: string;
  path: string;
}

const subscribe = subscribeCall('contact.created', 'https://hook.make.com/x', undefined);
const unsubscribe = unsubscribeCall('sub_1');
const { hook } = forEvent('contact.created');
if (!connection) throw new Error('no connection');

const CALLS: Call[] = [
  {
    name: 'the connection test',
    origin: WITHOUT_BASE,
    call: section(connection, 'communication'),
    policy: { permission: 'webhooks:read', authTest: true },
    method: 'GET',
    path: '/test',
  },
  {
    name: 'attach',
    origin: WITH_BASE,
    call: section(hook, 'attach'),
    policy: subscribe,
    ...subscribe,
  },
  {
    name: 'detach',
    origin: WITH_BASE,
    call: section(hook, 'detach'),
    policy: unsubscribe,
    ...unsubscribe,
  },
  {
    name: 'Create a contact',
    origin: WITH_BASE,
    call: section(moduleNamed('createContact'), 'communication'),
    ...createContactCall({}),
    policy: createContactCall({}),
  },
];

const STATUSES = [400, 401, 403, 404, 405, 409, 410, 418, 422, 500, 501, 502, 503, 504, 520];

const BODIES: Record<string, unknown> = {
  message: { message: 'Quota exceeded' },
  'error text': { error: 'invalid_token' },
  'error.message': { error: { message: 'The key was revoked' } },
  'error.msg': { error: { msg: 'Slow down' } },
  'error.detail': { error: { detail: 'Bad stage' } },
  'error.error': { error: { error: 'Nested' } },
  detail: { detail: 'Not found here' },
  'message.message': { message: { message: 'Doubly wrapped' } },
  'an empty message, then error': { message: '', error: 'Fallback' },
  'message before error before detail': { detail: 'Third', error: 'Second', message: 'First' },
  'error before detail': { detail: 'Second', error: 'First' },
  'error.message before msg, error, detail': {
    error: { detail: 'Fourth', error: 'Third', msg: 'Second', message: 'First' },
  },
  'error.msg before error, detail': { error: { detail: 'Third', error: 'Second', msg: 'First' } },
  'error.error before detail': { error: { detail: 'Second', error: 'First' } },
  'detail.message': { detail: { message: 'Wrapped detail' } },
  'no words': {},
  'words on several lines': { message: '  Line one\n\n  line   two  ' },
  'long words': { message: `${'x'.repeat(320)} end` },
  'exactly 300 characters': { message: 'y'.repeat(300) },
};

const scope = { connection: { apiKey: KEY }, parameters: { apiKey: KEY }, webhook: {} };

/** What Make shows for the answer: its error type and message, or none. */
const makeSays = ({ origin, call }: Call, status: number, body: unknown) => {
  const outcome = outcomeOf(origin, call, { status, body }, scope);
  return 'error' in outcome ? outcome.error : undefined;
};

const coreSays = ({ policy, method, path }: Call, status: number, body: unknown) => {
  const failure = failureFor(
    { status, content: typeof body === 'string' ? body : JSON.stringify(body) },
    policy,
    { method, path, host: HOST },
    [KEY],
  );
  return failure && { type: makeTypeOf(failure), message: failure.message };
};

describe.each(CALLS.map((c) => [c.name, c] as const))('%s', (_name, call) => {
  describe.each(Object.entries(BODIES))('a body with %s', (_shape, body) => {
    test.each(STATUSES.filter((s) => !(call.name === 'detach' && [404, 410].includes(s))))(
      '%s: the core’s words and kind of error',
      (status) => {
        expect(makeSays(call, status, body)).toEqual(coreSays(call, status, body));
      },
    );
  });
});

describe('a 2xx answer', () => {
  const [, attach, , create] = CALLS;
  if (!attach || !create) throw new Error('no call');
  const inherited: Call = { ...create, name: 'the base', call: { url: '/x' } };
  test.each([inherited, create].map((c) => [c.name, c] as const))(
    '%s: {success: false} is refused in the core’s words',
    (_name, call) => {
      for (const body of [{ success: false }, { success: false, message: 'Duplicate phone' }])
        expect(makeSays(call, 200, body)).toEqual(coreSays(call, 200, body));
      expect(makeSays(call, 200, { success: true, data: {} })).toBeUndefined();
    },
  );

  test('attach: {success: false} in the core’s words; an answer without subscription_id is refused', () => {
    const refused = { success: false, error: { message: 'Quota exceeded' } };
    expect(makeSays(attach, 200, refused)).toEqual(coreSays(attach, 200, refused));
    expect(makeSays(attach, 201, { success: true, data: { id: 'hook_1' } })).toEqual({
      type: 'DataError',
      message:
        'ISAO accepted the contact.created subscription but did not return a subscription_id, so Make could not unsubscribe later. Create the webhook again.',
    });
    for (const body of [{ data: { subscription_id: 'sub_1' } }, { subscription_id: 'sub_1' }])
      expect(outcomeOf(WITH_BASE, attach.call, { status: 201, body }, scope)).toEqual({
        output: body,
        data: { subscriptionId: 'sub_1' },
      });
    // ISAO's envelope beside a stray top-level id: the envelope's, as the core reads it
    const both = { success: true, subscription_id: 'sub_top', data: { subscription_id: 'sub_1' } };
    expect(subscribed(both)?.id).toBe('sub_1');
    expect(outcomeOf(WITH_BASE, attach.call, { status: 201, body: both }, scope)).toEqual({
      output: both,
      data: { subscriptionId: 'sub_1' },
    });
  });
});

test("Make an API call: the core's words for what it can name; 429 is Make's rate limit everywhere", () => {
  const universal: Call = {
    name: 'Make an API call',
    origin: WITH_BASE,
    call: section(moduleNamed('makeApiCall'), 'communication'),
    policy: { permission: 'webhooks:read' },
    method: 'GET',
    path: '/x',
  };
  for (const status of [400, 401, 409, 418, 422, 500, 520])
    expect(makeSays(universal, status, { message: 'm' })).toEqual(
      coreSays(universal, status, { message: 'm' }),
    );
  for (const call of [...CALLS, universal])
    expect(makeSays(call, 429, {})).toMatchObject({ type: 'RateLimitError' });
});

describe('what Make cannot do as the core does (docs/make.md)', () => {
  const create = CALLS[3];
  if (!create) throw new Error('no call');

  test('field errors: the core lists them and names the fields, Make gives the main words', () => {
    const body = { message: 'Invalid', errors: [{ field: 'email', message: 'is invalid' }] };
    expect(coreSays(create, 422, body)?.message).toBe(
      'ISAO refused the values this step sent (422 Unprocessable Entity): Invalid (email: is invalid). Fix the field ISAO named (email) and run the step again.',
    );
    expect(makeSays(create, 422, body)?.message).toBe(
      'ISAO refused the values this step sent (422 Unprocessable Entity): Invalid. Check the values this step sends.',
    );
  });

  test('a text or HTML body: the core quotes or names it, Make has no words to give', () => {
    expect(coreSays(create, 502, '<html><body>Bad gateway</body></html>')?.message).toContain(
      'an HTML page',
    );
    expect(makeSays(create, 502, '<html><body>Bad gateway</body></html>')?.message).toBe(
      "The ISAO API had a problem (502): no details were given. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.",
    );
  });

  test('an error object without words, words two levels down, a flag: the core skips or finds them, Make would show the value (which no documentation words)', () => {
    for (const body of [
      { error: { code: 'E1' } },
      { error: { error: { message: 'deep' } } },
      { error: true },
    ]) {
      expect(coreSays(create, 400, body)?.message).not.toContain('[object');
      expect(() => makeSays(create, 400, body)).toThrow('trim() takes text');
    }
  });

  test('a blank message beside an error: the core reads the error, Make the blank', () => {
    const body = { message: '  ', error: 'Fallback' };
    expect(coreSays(create, 418, body)?.message).toBe('ISAO answered 418: Fallback.');
    expect(makeSays(create, 418, body)?.message).toBe('ISAO answered 418.');
  });

  test('the API key in the words: the core redacts it, Make passes them on (its logs hide the header)', () => {
    const body = { message: `Key ${KEY} revoked` };
    expect(coreSays(create, 401, body)?.message).toContain('[redacted]');
    expect(makeSays(create, 401, body)?.message).toContain(KEY);
  });

  test('detach answered 404 or 410: the core takes it as already removed, Make reports it', () => {
    const detach = CALLS[2];
    if (!detach) throw new Error('no detach');
    for (const status of [404, 410]) {
      expect(coreSays(detach, status, {})).toBeUndefined();
      expect(makeSays(detach, status, {})).toBeDefined();
    }
  });

  test("Make an API call's 403 and 404: the core names the permission and path, Make cannot", () => {
    const call = {
      name: 'x',
      origin: WITH_BASE,
      call: section(moduleNamed('makeApiCall'), 'communication'),
      policy: { permission: 'webhooks:read' as const },
      method: 'GET',
      path: '/contacts/c1',
    };
    expect(makeSays(call, 403, { message: 'm' })?.message).toBe('ISAO answered 403: m.');
    expect(makeSays(call, 404, {})?.message).toBe('ISAO answered 404.');
  });
});
