/**
 * How ISAO's answers wrap their data and lists (core/api.ts), read alike by every platform, and
 * which base URLs are refused, in messages that show no secret.
 */
import { apiUrlProblem, unwrapData, unwrapList } from '../../core/api';
import { refusedSecretUrls, showsASecret, URL_KEY } from './secret-urls';

describe('answers', () => {
  it('unwraps {success, data} envelopes, and never returns the envelope itself', () => {
    expect(unwrapData({ success: true, data: [1] })).toEqual([1]);
    expect(unwrapData({ success: true })).toBeUndefined();
    expect(unwrapData({ data: { id: 1 } })).toEqual({ id: 1 });
    expect(unwrapData({ id: 1, name: 'a', data: 'x', more: 1 })).toEqual({
      id: 1,
      name: 'a',
      data: 'x',
      more: 1,
    });
    expect(unwrapData([{ id: 1 }])).toEqual([{ id: 1 }]);
  });

  it('takes a body with data beside envelope keys only as an envelope', () => {
    expect(unwrapData({ data: 1, status: 'ok', meta: {} })).toBe(1);
    const envelope = { data: [1], meta: {}, links: {}, total: 1, count: 1, page: 1 };
    expect(unwrapData({ ...envelope, message: 'ok', pagination: {} })).toEqual([1]);
    expect(unwrapData({ data: 1, a: 1, b: 1, c: 1 })).toEqual({ data: 1, a: 1, b: 1, c: 1 });
    expect(unwrapData({ id: 'c1', data: 'x' })).toEqual({ id: 'c1', data: 'x' });
    expect(unwrapData({ meta: {}, total: 0 })).toEqual({ meta: {}, total: 0 });
    expect(unwrapData('text')).toBe('text');
    expect(unwrapData(null)).toBeNull();
  });

  it('finds the items of a list answer in the common envelopes, and nothing else', () => {
    const items = [{ id: 1 }];
    expect(unwrapList(items)).toBe(items);
    expect(unwrapList({ data: items, meta: {}, links: {}, total: 1 })).toBe(items);
    expect(unwrapList({ success: true, data: { items, total: 1 } })).toBe(items);
    expect(unwrapList({ success: true, data: { data: items } })).toBe(items);
    expect(unwrapList({ items, page: 1 })).toBe(items);
    expect(unwrapList({ results: items, count: 1 })).toBe(items);
    expect(unwrapList({ results: items, count: 1, next: null, previous: null })).toBe(items);
    expect(unwrapList({ data: items, current_page: 1, per_page: 15 })).toBe(items);
    expect(unwrapList({ items, next_cursor: 'c2' })).toBe(items);
    // a record (it has an id) holding a list is a record; a list key without a list is no list
    expect(unwrapList({ id: 1, items })).toBeUndefined();
    expect(unwrapList({ items: 'x', next_cursor: 'c2' })).toBeUndefined();
    expect(unwrapList({ items: 'none', results: items, next: 'p2' })).toBe(items);
    expect(unwrapList({ items: 'x' })).toBeUndefined();
    expect(unwrapList({ success: true })).toBeUndefined();
    expect(unwrapList({ id: 1 })).toBeUndefined();
    expect(unwrapList('text')).toBeUndefined();
    expect(unwrapList({ total: 0 })).toBeUndefined();
    // only the named list keys hold items, not a key that merely reads "undefined"
    expect(unwrapList({ undefined: items })).toBeUndefined();
  });
});

describe('a base URL that cannot be used', () => {
  const setting = { name: 'Base URL', fix: 'Fix it.' };
  const problem = (value: string | undefined, secrets: readonly unknown[] = []) =>
    apiUrlProblem(value, setting, secrets);

  it.each(refusedSecretUrls('api.isao.test', '/v1'))(
    'is refused without showing a secret it holds: %s',
    (_what, url, says) => {
      expect(problem(url)).toContain(says);
      expect(showsASecret(problem(url) ?? '')).toBe(false);
    },
  );

  it.each([
    ['https://api.isao.test', undefined],
    [' http://localhost:4010/v1 ', undefined],
    ['http://127.0.0.1', undefined],
    ['http://[::1]:4010', undefined],
    ['', undefined],
    ['  ', undefined],
    ['isao', 'Base URL is not a URL. Fix it.'],
    [
      'http://api.isao.test',
      'Base URL "http://api.isao.test" must use https (plain http only for this machine: localhost, 127.0.0.1 or [::1], where the ISAO sandbox runs). Fix it.',
    ],
    ['https://api.isao.test/?', 'Base URL "https://api.isao.test?" must be a plain base URL'],
    ['https://u@api.isao.test/v1', 'Base URL "https://[redacted]@api.isao.test/…" must be'],
    ['https://:p@api.isao.test', 'Base URL "https://[redacted]@api.isao.test" must be'],
    ['https://api.isao.test/v1?a=1#', '"https://api.isao.test/…?[redacted]#" must'],
    ['https://api.isao.test#f?q', '"https://api.isao.test#[redacted]" must'],
    ['https://api.isao.test/v1#', '"https://api.isao.test/…#" must'],
    ['ftp://api.isao.test:2121/v1', '"ftp://api.isao.test:2121/…" must use https'],
    ['mailto:me@api.isao.test', '"mailto:/…" must use https'],
    ['foo://api.isao.test', '"foo://api.isao.test" must use https'],
    ['foo://api.isao.test/v1', '"foo://api.isao.test/…" must use https'],
  ])('%j: %s', (value, says) => {
    if (says === undefined) expect(problem(value)).toBeUndefined();
    else expect(problem(value)).toContain(says);
  });

  it('redacts what the caller knows is secret from the little it shows (a key typed as the host)', () => {
    expect(problem(`http://${URL_KEY}.example`, [URL_KEY])).toContain(
      '"http://[redacted].example" must use https',
    );
    expect(problem(`https://${URL_KEY}.example?`, [URL_KEY])).toContain(
      '"https://[redacted].example?" must be',
    );
  });
});
