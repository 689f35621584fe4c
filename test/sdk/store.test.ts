/**
 * The de-duplication store's contract (sdk/src/store.ts), on the memory store, with the time
 * passed in: first, duplicate, in flight; a lease that runs out; owner tokens; the bound.
 */
import { MemoryStore, OrderedMap, type Claim } from '../../sdk/src/store';

const LEASE = { leaseMs: 1000 };
const KEEP = { keepMs: 60_000 };

const tokenOf = (claim: Claim): string => {
  if (claim.state !== 'first') throw new Error(`expected a first claim, got ${claim.state}`);
  return claim.token;
};

describe('MemoryStore', () => {
  it('answers first, then in flight while the lease holds, then duplicate once completed', () => {
    const store = new MemoryStore();
    const token = tokenOf(store.claim('evt_1', { now: 0, ...LEASE }));
    expect(store.claim('evt_1', { now: 999, ...LEASE })).toEqual({
      state: 'in-flight',
      until: 1000,
    });
    expect(store.claim('evt_2', { now: 10, ...LEASE }).state).toBe('first');
    expect(store.complete('evt_1', token, { now: 500, ...KEEP })).toBe(true);
    expect(store.claim('evt_1', { now: 501, ...LEASE })).toEqual({ state: 'duplicate' });
    expect(store.claim('evt_1', { now: 60_499, ...LEASE })).toEqual({ state: 'duplicate' });
    // kept for keepMs from its completion, then forgotten
    expect(store.claim('evt_1', { now: 60_500, ...LEASE }).state).toBe('first');
  });

  it('gives a claim whose lease ran out to the next one: a crashed worker loses no event', () => {
    const store = new MemoryStore();
    const crashed = tokenOf(store.claim('evt_1', { now: 0, ...LEASE }));
    expect(store.claim('evt_1', { now: 999, ...LEASE }).state).toBe('in-flight');
    const retry = tokenOf(store.claim('evt_1', { now: 1000, ...LEASE }));
    expect(retry).not.toBe(crashed);
    // the late worker can neither complete nor release the new claim
    expect(store.complete('evt_1', crashed, { now: 1001, ...KEEP })).toBe(false);
    expect(store.release('evt_1', crashed)).toBe(false);
    expect(store.claim('evt_1', { now: 1002, ...LEASE })).toEqual({
      state: 'in-flight',
      until: 2000,
    });
    expect(store.complete('evt_1', retry, { now: 1003, ...KEEP })).toBe(true);
    expect(store.claim('evt_1', { now: 1004, ...LEASE }).state).toBe('duplicate');
  });

  it('forgets a released claim, so the retry runs it; a release or completion of nothing is false', () => {
    const store = new MemoryStore();
    const token = tokenOf(store.claim('evt_1', { now: 0, ...LEASE }));
    expect(store.release('evt_1', token)).toBe(true);
    expect(store.release('evt_1', token)).toBe(false);
    expect(store.complete('evt_1', token, { now: 1, ...KEEP })).toBe(false);
    expect(store.size).toBe(0);
    const again = tokenOf(store.claim('evt_1', { now: 2, ...LEASE }));
    expect(store.complete('evt_1', again, { now: 3, ...KEEP })).toBe(true);
    // a completed id cannot be released by its old token
    expect(store.release('evt_1', again)).toBe(false);
    expect(store.claim('evt_1', { now: 4, ...LEASE }).state).toBe('duplicate');
  });

  it('holds at most maxEntries ids: expired ones go first, then the oldest completed', () => {
    const store = new MemoryStore(3);
    const a = tokenOf(store.claim('a', { now: 0, ...LEASE }));
    const b = tokenOf(store.claim('b', { now: 0, ...LEASE }));
    store.claim('c', { now: 0, leaseMs: 10 });
    store.complete('b', b, { now: 1, ...KEEP });
    store.complete('a', a, { now: 2, ...KEEP });
    // c's lease ran out: it goes, a and b stay
    expect(store.claim('d', { now: 20, ...LEASE }).state).toBe('first');
    expect(store.size).toBe(3);
    expect(store.claim('b', { now: 21, ...LEASE }).state).toBe('duplicate');
    // full of live ids: the oldest completed (b, completed first) makes room
    expect(store.claim('e', { now: 22, ...LEASE }).state).toBe('first');
    expect(store.claim('a', { now: 23, ...LEASE }).state).toBe('duplicate');
    expect(store.claim('b', { now: 24, ...LEASE }).state).toBe('first');
    expect(store.size).toBe(3);
  });

  it('refuses a claim when every id it holds is being handled now', () => {
    const store = new MemoryStore(2);
    store.claim('a', { now: 0, ...LEASE });
    store.claim('b', { now: 0, ...LEASE });
    expect(() => store.claim('c', { now: 1, ...LEASE })).toThrow(
      'The memory store holds 2 events being handled now and no room for another: answer later.',
    );
    // an id it holds is answered, full or not
    expect(store.claim('a', { now: 1, ...LEASE }).state).toBe('in-flight');
  });

  it('drops every expired id, but no live completion, to make room', () => {
    const store = new MemoryStore(3);
    store.complete('a', tokenOf(store.claim('a', { now: 0, ...LEASE })), { now: 0, keepMs: 10 });
    store.complete('b', tokenOf(store.claim('b', { now: 0, ...LEASE })), { now: 0, keepMs: 20 });
    store.complete('c', tokenOf(store.claim('c', { now: 0, ...LEASE })), { now: 0, ...KEEP });
    // a and b expired by 20 (a lease or keep ends at its last millisecond): both go, c stays
    expect(store.claim('d', { now: 20, ...LEASE }).state).toBe('first');
    expect(store.size).toBe(2);
    expect(store.claim('c', { now: 21, ...LEASE }).state).toBe('duplicate');
  });

  it('gives an id claimed again its new place in the order, so its old lease does not block', () => {
    const store = new MemoryStore(3);
    store.claim('a', { now: 0, leaseMs: 10 });
    store.claim('b', { now: 5, leaseMs: 10 });
    // a's lease ran out: claimed again, it now expires after b
    expect(store.claim('a', { now: 12, leaseMs: 10 }).state).toBe('first');
    store.claim('c', { now: 13, leaseMs: 10 });
    // full: b, expired, makes room
    expect(store.claim('d', { now: 16, leaseMs: 10 }).state).toBe('first');
    expect(store.claim('a', { now: 17, leaseMs: 10 }).state).toBe('in-flight');
    // a completion past its keep, claimed again, is held once
    const one = new MemoryStore(2);
    one.complete('x', tokenOf(one.claim('x', { now: 0, ...LEASE })), { now: 0, keepMs: 10 });
    expect(one.claim('x', { now: 10, ...LEASE }).state).toBe('first');
    expect(one.size).toBe(1);
  });

  it('needs a whole number of entries', () => {
    expect(new MemoryStore(1).maxEntries).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new MemoryStore(bad)).toThrow(
        'MemoryStore needs maxEntries, a whole number from 1.',
      );
    }
  });
});

describe('the memory store’s ordered map', () => {
  /** Sets `key` and deletes it again: one entry left behind in the list. */
  const churn = (map: OrderedMap<object>, key: string) => {
    map.set(key, {});
    map.delete(key);
  };

  it('makes its list again once longer than twice the live entries and 64 more, not before', () => {
    const map = new OrderedMap<object>();
    map.set('kept', {});
    // each set lists one entry; with 2 live during it, the bound is 2 × 2 + 64 = 68
    for (let i = 0; i < 67; i += 1) churn(map, `k${String(i)}`);
    expect(map.listed).toBe(68);
    churn(map, 'k67');
    // made again from the Map at the 69th: the live entries only, with the one just set
    expect(map.listed).toBe(2);
    expect(map.size).toBe(1);
    // and so on, however many: the list stays within the bound
    for (let i = 0; i < 1000; i += 1) churn(map, `m${String(i)}`);
    expect(map.listed).toBeLessThanOrEqual(68);
  });

  it('keeps the order of setting through a remake: an entry set again is the newest', () => {
    const map = new OrderedMap<{ n: number }>();
    map.set('a', { n: 1 });
    map.set('b', { n: 2 });
    map.set('a', { n: 3 });
    expect(map.oldest()).toEqual(['b', { n: 2 }]);
    for (let i = 0; i < 100; i += 1) churn(map, `k${String(i)}`);
    expect(map.listed).toBeLessThan(100);
    expect(map.oldest()).toEqual(['b', { n: 2 }]);
    map.delete('b');
    expect(map.oldest()).toEqual(['a', { n: 3 }]);
    map.delete('a');
    expect(map.oldest()).toBeUndefined();
  });
});
