/**
 * Exactly-once delivery, against a cache stub that honours `nx` and TTL (which createAppTester's
 * in-memory mock ignores).
 */
import { CACHE_TIMEOUT_MS, firstDeliveries } from '../../src/lib/delivery';
import { DEDUP_TTL_SECONDS } from '../../core/signatures';
import { appTester, cacheStub, runtimeCacheKeys, stubZ } from '../helpers';
import { perform, unsigned } from './delivery.setup';

describe('exactly-once delivery', () => {
  it('drops a retried event on the same subscription, with one nx call of ≥ 1 h TTL', async () => {
    const { cache, calls, reads } = cacheStub();
    const { z } = stubZ(cache);
    expect(await perform(z, unsigned('evt_1'))).toHaveLength(1);
    expect(reads).toEqual([]);
    expect(await perform(z, unsigned('evt_1'))).toEqual([]);
    expect(calls).toEqual([
      ['isao:delivered:sub_1:evt_1', DEDUP_TTL_SECONDS, ['auth'], true],
      ['isao:delivered:sub_1:evt_1', DEDUP_TTL_SECONDS, ['auth'], true],
    ]);
    // the retry's false is read back, under the claim's own scope
    expect(reads).toEqual([['isao:delivered:sub_1:evt_1', ['auth']]]);
    expect(DEDUP_TTL_SECONDS).toBeGreaterThanOrEqual(3600);
  });

  it('claims with a random value of its own per perform call, which tells nothing', async () => {
    const values: unknown[] = [];
    const { z } = stubZ({
      set: (_key: string, value: unknown) => {
        values.push(value);
        return Promise.resolve(true);
      },
    });
    await firstDeliveries(z, unsigned('evt_1'), ['evt_1', 'evt_2']);
    await firstDeliveries(z, unsigned('evt_1'), ['evt_1']);
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toMatch(/^[0-9a-f]{32}$/);
    // one value for one call's events, another for the next call
    expect(values[0]).toBe(values[1]);
    expect(values[2]).not.toBe(values[0]);
  });

  /** A cache whose set answers false, and whose get answers `holder` (or fails). */
  const falseThenRead = (holder: () => Promise<unknown>, stored?: (value: unknown) => void) =>
    stubZ({
      set: (_key: string, value: unknown) => {
        stored?.(value);
        return Promise.resolve(false);
      },
      get: holder,
    });

  it('delivers a first-time event when the false was our own write answered again (a retried call)', async () => {
    // core's RPC client retried a set whose answer was lost: the retry found our own value
    let ours: unknown;
    const { z, warn } = falseThenRead(
      () => Promise.resolve(ours),
      (value) => (ours = value),
    );
    expect(await perform(z, unsigned('evt_r'))).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])(
    'delivers when the key reads back as %s (the cache did not keep it: e.g. rate-limited)',
    async (_what, holder) => {
      const { z, warn } = falseThenRead(() => Promise.resolve(holder));
      expect(await perform(z, unsigned('evt_rl'))).toHaveLength(1);
      expect(warn).not.toHaveBeenCalled();
    },
  );

  it.each([
    ["another attempt's value", 'f'.repeat(32)],
    ['the value an older version wrote', 1],
  ])('drops the event when the key holds %s (a true duplicate)', async (_what, holder) => {
    const { z, warn } = falseThenRead(() => Promise.resolve(holder));
    expect(await perform(z, unsigned('evt_dup'))).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('delivers, logged once, when reading the key back fails', async () => {
    const { z, warn } = falseThenRead(() => Promise.reject(new Error('zcache_get failed')));
    expect(await perform(z, unsigned('evt_g'))).toHaveLength(1);
    expect(warn.mock.calls).toEqual([
      [
        'ISAO: could not check event "evt_g" for duplicates (zcache_get failed); delivering it anyway.',
      ],
    ]);
  });

  it('counts an event id repeated in one list once, with one cache call (events without an id, every time)', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    expect(await firstDeliveries(z, unsigned('e1'), ['e1', null, 'e1', 'e2', null])).toEqual([
      true,
      true,
      false,
      true,
      true,
    ]);
    expect(calls.map(([key]) => key)).toEqual([
      'isao:delivered:sub_1:e1',
      'isao:delivered:sub_1:e2',
    ]);
    expect(await firstDeliveries(z, unsigned('e1'), ['e1', 'e1'])).toEqual([false, false]);
  });

  it('delivers the same event to two subscriptions (two Zaps)', async () => {
    const { cache } = cacheStub();
    const { z } = stubZ(cache);
    expect(await perform(z, unsigned('evt_2', 'sub_A'))).toHaveLength(1);
    expect(await perform(z, unsigned('evt_2', 'sub_B'))).toHaveLength(1);
  });

  it('delivers again once the TTL has passed', async () => {
    const { cache, advance } = cacheStub();
    const { z } = stubZ(cache);
    expect(await perform(z, unsigned('evt_3'))).toHaveLength(1);
    advance(DEDUP_TTL_SECONDS * 1000 - 1);
    expect(await perform(z, unsigned('evt_3'))).toEqual([]);
    advance(2);
    expect(await perform(z, unsigned('evt_3'))).toHaveLength(1);
  });

  it('always delivers events without an event id, without touching the cache', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    expect(await perform(z, unsigned(undefined))).toHaveLength(1);
    expect(await perform(z, unsigned(undefined))).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it('spends no cache call on events of another type', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    expect(await perform(z, unsigned('evt_4', 'sub_1', 'deal.won'))).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('fails open when the cache errors: delivered, logged once', async () => {
    const { z, warn } = stubZ({ set: () => Promise.reject(new Error('rpc is not available')) });
    expect(await perform(z, unsigned('evt_5'))).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain(
      'could not check event "evt_5" for duplicates (rpc is not available)',
    );
  });

  it('fails open when the cache does not answer in time: delivered, logged once', async () => {
    const { z, warn } = stubZ({ set: () => new Promise(() => undefined) });
    const bundle = unsigned('evt_7');
    expect(await firstDeliveries(z, bundle, ['evt_7'], 20)).toEqual([true]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain(
      'could not check event "evt_7" for duplicates (no answer within 0.02 s)',
    );
    expect(CACHE_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });

  it('delivers when the cache answers null (only false means seen before)', async () => {
    const { z } = stubZ({ set: () => Promise.resolve(null) });
    expect(await perform(z, unsigned('evt_8'))).toHaveLength(1);
  });

  it('uses the real runtime cache under the subscription + event id key', async () => {
    const out = await appTester(perform, unsigned('evt_6', 'sub_Z'));
    expect(out).toHaveLength(1);
    expect(runtimeCacheKeys()).toContain('isao:delivered:sub_Z:evt_6');
  });
});
