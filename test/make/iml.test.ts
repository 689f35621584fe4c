/**
 * The IML evaluator the Make tests run the app through (test/make/iml/): the examples of Make's
 * documentation give what the documentation says, and what it does not describe throws.
 */
import { evaluateSection, evaluateString } from './iml/evaluate';
import { parseExpression } from './iml/parse';
import { bundlesOf, outcomeOf, requestOf } from './iml/runtime';

const run = (source: string, scope: Record<string, unknown> = {}) => evaluateString(source, scope);

describe("the documentation's examples", () => {
  test('strings, dot paths, backticked keys, conditionals', () => {
    expect(run("{{'Hello, ' + item.name}}", { item: { name: 'Ana' } })).toBe('Hello, Ana');
    expect(run('{{"Hello, " + item.name}}', { item: { name: 'Ana' } })).toBe('Hello, Ana');
    expect(run('{{headers.`X-HOOK-TYPE`}}', { headers: { 'X-HOOK-TYPE': 'ping' } })).toBe('ping');
    expect(run('{{if(body.id > 100, body.user, false)}}', { body: { id: 101, user: 'u' } })).toBe(
      'u',
    );
    expect(run('{{if(body.id > 100, body.user, false)}}', { body: { id: 7, user: 'u' } })).toBe(
      false,
    );
    expect(
      run('{{ifempty(body.username, body.user)}}', { body: { username: '', user: 'u' } }),
    ).toBe('u');
    expect(
      run('{{ifempty(body.username, body.user)}}', { body: { username: null, user: 'u' } }),
    ).toBe('u');
    expect(run('{{ifempty(body.username, body.user)}}', { body: { username: 0, user: 'u' } })).toBe(
      0,
    );
    expect(run('{{!body.error}}', { body: {} })).toBe(true);
  });

  test('one expression keeps its value; text with expressions is text', () => {
    const scope = { body: { data: { id: 1 } } };
    expect(run('{{body.data}}', scope)).toEqual({ id: 1 });
    expect(run('id {{body.data.id}}', scope)).toBe('id 1');
    expect(run('[{{body.missing}}]', scope)).toBe('[]');
    expect(() => run('data: {{body.data}}', scope)).toThrow('a collection inside text');
  });

  test('the spread key merges a collection into the object', () => {
    const section = { '{{...}}': "{{toCollection(parameters.h, 'key', 'value')}}", b: '2' };
    const parameters = {
      h: [
        { key: 'a', value: '1' },
        { key: 'b', value: 'x' },
      ],
    };
    expect(evaluateSection(section, { parameters })).toEqual({ a: '1', b: '2' });
    expect(evaluateSection(section, { parameters: {} })).toEqual({ b: '2' });
  });

  test('text and array functions', () => {
    const scope = { p: ' a, b ,,a ' };
    expect(run("{{split(trim(p.x), ',')}}", { p: { x: ' a,b ' } })).toEqual(['a', 'b']);
    expect(run('{{replace(p, /\\s*,\\s*/g, ",")}}', scope)).toBe(' a,b,,a ');
    expect(run("{{deduplicate(remove(split('a,,b,a', ','), emptystring))}}", scope)).toEqual([
      'a',
      'b',
    ]);
    expect(run("{{join(flatten(add(emptyarray, split('a,b', ','), 'c')), '-')}}")).toBe('a-b-c');
    expect(run("{{get(x, 'a.b')}}", { x: { a: { b: 3 } } })).toBe(3);
    expect(run("{{get(x, 'l.1')}}", { x: { l: ['first'] } })).toBe('first');
    expect(run("{{length(split('a,b', ','))}}")).toBe(2);
    expect(run('{{replace("+44 (0) 20", /^(\\+\\d+) \\(0\\)/, "$1")}}')).toBe('+44 20');
  });
});

describe('what the documentation does not describe throws', () => {
  test.each([
    ["ifempty(a; 'b')", "';' between arguments"],
    ['a[1]', 'an index'],
    ['a.b(1)', 'a call on a path'],
    ['f(a).b', 'unexpected text'],
    ["'a\\'b'", 'an escape'],
    ['a - 1', 'unexpected text'],
    ['a * 1', 'unexpected text'],
    ['', 'expected a value'],
  ])('%s', (source, why) => {
    expect(() => parseExpression(source)).toThrow(why);
  });

  test.each([
    ['{{nope(1)}}', 'no function nope()'],
    ['{{missing.x}}', 'no variable missing'],
    ['{{trim(1)}}', 'trim() takes text'],
    ["{{join(x, ',')}}", 'join() on an item that is not text'],
    ["{{replace('a', 'a', 'b')}}", 'replace() with a text search'],
    ["{{'a' + z.y}}", '+ with an empty value'],
    ['{{ifempty(1)}}', 'ifempty() takes 2 arguments'],
    ["{{'a' < 2}}", '< between'],
  ])('%s', (source, why) => {
    expect(() => run(source, { x: [{}], z: {} })).toThrow(why);
  });
});

describe("Make's handling of a call", () => {
  const base = {
    baseUrl: 'https://api.example.com',
    headers: { authorization: 'Bearer {{connection.key}}' },
    response: {
      error: { message: 'base {{statusCode}}', '404': { message: 'missing', type: 'DataError' } },
    },
  };
  const scope = { connection: { key: 'k' }, parameters: { h: [{ key: 'x', value: '1' }] } };

  test('headers as an object merge into the base, as one expression replace it', () => {
    const merged = requestOf(
      { base },
      { url: '/a', headers: { '{{...}}': "{{toCollection(parameters.h, 'key', 'value')}}" } },
      scope,
    );
    expect(merged).toMatchObject({ url: 'https://api.example.com/a', method: 'GET' });
    expect(merged.headers).toEqual({ authorization: 'Bearer k', x: '1' });
    const replaced = requestOf(
      { base },
      { url: '/a', headers: "{{toCollection(parameters.h, 'key', 'value')}}" },
      scope,
    );
    expect(replaced.headers).toEqual({ x: '1' });
    expect(requestOf({ base: undefined }, { url: 'https://b/c' }, scope).headers).toEqual({});
  });

  test('a body is JSON, or with type text the text itself', () => {
    expect(requestOf({ base }, { url: '/a', body: { a: '{{connection.key}}' } }, scope).body).toBe(
      '{"a":"k"}',
    );
    expect(requestOf({ base }, { url: '/a', body: '{"a":1}' }, scope).body).toBe('"{\\"a\\":1}"');
    expect(requestOf({ base }, { url: '/a', body: '{"a":1}', type: 'text' }, scope).body).toBe(
      '{"a":1}',
    );
    expect(() => requestOf({ base }, { url: '/a', body: { a: 1 }, type: 'text' }, scope)).toThrow(
      'body sent as text',
    );
  });

  test('an error status is worded by its entry or the default; a 2xx by valid, then output', () => {
    const call = {
      url: '/a',
      response: { valid: { condition: '{{body.ok}}', message: 'not ok', type: 'DataError' } },
    };
    expect(outcomeOf({ base }, call, { status: 404, body: {} }, scope)).toEqual({
      error: { type: 'DataError', message: 'missing' },
    });
    expect(outcomeOf({ base }, call, { status: 418, body: {} }, scope)).toEqual({
      error: { type: 'RuntimeError', message: 'base 418' },
    });
    expect(outcomeOf({ base }, call, { status: 200, body: { ok: false } }, scope)).toEqual({
      error: { type: 'DataError', message: 'not ok' },
    });
    expect(outcomeOf({ base }, call, { status: 200, body: { ok: true } }, scope)).toEqual({
      output: { ok: true },
      data: undefined,
    });
  });
});

test("a webhook's iterate gives one bundle per kept item", () => {
  const communication = {
    iterate: { container: '{{body.items}}', condition: '{{item.keep}}' },
    output: { id: '{{item.id}}', sig: '{{headers.sig}}' },
  };
  const delivery = { body: { items: [{ id: 1, keep: true }, { id: 2 }] }, headers: { sig: 's' } };
  expect(bundlesOf(communication, delivery, {})).toEqual([{ id: 1, sig: 's' }]);
  expect(() => bundlesOf(communication, { body: { items: {} }, headers: {} }, {})).toThrow(
    'not a list',
  );
  expect(bundlesOf({ output: { b: '{{body}}' } }, { body: 1, headers: {} }, {})).toEqual([
    { b: 1 },
  ]);
});
