/**
 * Make an API call, run through the IML evaluator (test/make/iml/): the request Make would send
 * for a user's URL, method, headers, query string and body, under the base every module inherits
 * (its Bearer header), and what the module outputs. Written from Make's universal module guidance
 * (developers.make.com/custom-apps-documentation/app-components/modules/universal-module/rest)
 * and its advanced inheritance (app-components/base/advanced-inheritance).
 */
import { moduleNamed, paramsOf, section, WITH_BASE } from './app-code';
import { outcomeOf, requestOf } from './iml/runtime';

const KEY = 'isao_test_key_123';
const universal = moduleNamed('makeApiCall');
const communication = section(universal, 'communication');
const params = paramsOf(universal, 'mappableParams');

const send = (parameters: Record<string, unknown>) =>
  requestOf(WITH_BASE, communication, { parameters, connection: { apiKey: KEY } });

/** The headers Make fills in when the module is added (the parameter's default). */
const defaultHeaders = params.find((p) => p.name === 'headers')?.default;

test('the API key goes with every call, whatever headers and query string the user adds', () => {
  for (const headers of [undefined, [], defaultHeaders, [{ key: 'X-Trace', value: 't1' }]]) {
    const request = send({ url: '/webhooks', method: 'GET', headers });
    expect(request.url).toBe('https://staging.isao.io/api/external/webhooks');
    expect(request.headers.Authorization).toBe(`Bearer ${KEY}`);
  }
  const request = send({
    url: '/triggers/contact.created/recent',
    method: 'GET',
    headers: [{ key: 'X-Trace', value: 't1' }],
    qs: [
      { key: 'limit', value: '5' },
      { key: 'since', value: '2024-11-01' },
    ],
  });
  expect(request.headers).toEqual({ Authorization: `Bearer ${KEY}`, 'X-Trace': 't1' });
  expect(request.qs).toEqual({ limit: '5', since: '2024-11-01' });
});

test('a JSON body typed into Body is sent as the user wrote it, with the JSON content type', () => {
  expect(defaultHeaders).toEqual([{ key: 'Content-Type', value: 'application/json' }]);
  const body = '{"name":"Jane Smith","phoneNumber":"+33123456789"}';
  const request = send({ url: '/contacts', method: 'POST', headers: defaultHeaders, body });
  expect(request).toMatchObject({ method: 'POST', body });
  expect(request.headers).toEqual({
    Authorization: `Bearer ${KEY}`,
    'Content-Type': 'application/json',
  });
  expect(JSON.parse(String(request.body))).toEqual({
    name: 'Jane Smith',
    phoneNumber: '+33123456789',
  });
  expect(send({ url: '/webhooks', method: 'GET' }).body).toBeUndefined();
});

test("the help says the key is added already, and the body's type", () => {
  const help = Object.fromEntries(params.map((p) => [p.name, String(p.help)]));
  expect(help.headers).toMatch(/authorization.*already/i);
  expect(help.body).toMatch(/JSON/);
  expect(params.find((p) => p.name === 'body')?.type).toBe('any');
});

test("the bundle holds the answer's body, headers and status", () => {
  const answer = { status: 200, body: { success: true, data: [] }, headers: { 'x-id': 'r1' } };
  expect(outcomeOf(WITH_BASE, communication, answer, {})).toEqual({
    output: { body: answer.body, headers: answer.headers, statusCode: 200 },
    data: undefined,
  });
});
