/**
 * How ISAO's answers wrap their data and lists (core/api.ts), read alike by every platform.
 */
import { unwrapData, unwrapList } from '../../core/api';

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
