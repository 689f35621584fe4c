/** One webhook carrying many events: each de-duplicated on its own, against the same cache stub. */
import {
  CACHE_CONCURRENCY,
  CACHE_TIMEOUT_MS,
  dedupKey,
  firstDeliveries,
} from '../../src/lib/delivery';
import { cacheStub, fullBundle, stubZ } from '../helpers';
import { perform, unsigned } from './delivery.setup';

describe('one webhook, many events', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  const ids = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];

  it('a hung cache delays the whole batch by one timeout, not one per event', async () => {
    jest.useFakeTimers();
    const set = jest.fn(() => new Promise<never>(() => undefined));
    const { z, warn } = stubZ({ set });
    let result: boolean[] | undefined;
    const pending = firstDeliveries(z, unsigned('e1'), ids, 1000).then((r) => (result = r));
    // all six cache calls are in flight at once
    await jest.advanceTimersByTimeAsync(0);
    expect(set).toHaveBeenCalledTimes(6);
    await jest.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    await pending;
    // one timeout for the batch (a per-event wait would still be pending here), all delivered
    expect(result).toEqual([true, true, true, true, true, true]);
    // one line for the batch, not one per event
    expect(warn.mock.calls).toEqual([
      [
        'ISAO: could not check 6 events for duplicates (event "e1": no answer within 1 s; and 5 more); delivering them anyway.',
      ],
    ]);
  });

  it('perform delivers a six-event webhook behind a hung cache after one timeout', async () => {
    jest.useFakeTimers();
    const { z } = stubZ({ set: () => new Promise<never>(() => undefined) });
    const bundle = fullBundle({
      authData: { api_key: 'k' },
      cleanedRequest: ids.map((eventId, i) => ({
        event: 'contact.created',
        data: { id: `contact_${String(i)}` },
        metadata: { eventId },
      })),
    });
    let out: Record<string, unknown>[] | undefined;
    const pending = perform(z, bundle).then((r) => (out = r));
    await jest.advanceTimersByTimeAsync(CACHE_TIMEOUT_MS);
    await pending;
    expect(out?.map((r) => r.id)).toEqual(ids.map((_e, i) => `contact_${String(i)}`));
  });

  /**
   * A cache whose calls each answer after `delayMs` (on the jest clock when faked, else on the
   * next turn of the event loop), counting the calls in flight at once.
   */
  const slowCache = (delayMs: number, holder: unknown = null) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const answer = <T>(value: T) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<T>((resolve) =>
        setTimeout(() => {
          inFlight -= 1;
          resolve(value);
        }, delayMs),
      );
    };
    const set = jest.fn(() => answer(holder === null));
    const cache = { set, get: () => answer(holder) };
    return { cache, set, peak: () => maxInFlight };
  };

  it(`checks thousands of events at most ${String(CACHE_CONCURRENCY)} at a time, and delivers them all`, async () => {
    expect(CACHE_CONCURRENCY).toBe(20);
    const { cache, set, peak } = slowCache(0);
    const { z, warn } = stubZ(cache);
    const count = 3000;
    const bundle = fullBundle({
      authData: { api_key: 'k' },
      cleanedRequest: Array.from({ length: count }, (_e, i) => ({
        event: 'contact.created',
        data: { id: `contact_${String(i)}` },
        metadata: { eventId: `evt_${String(i)}` },
      })),
    });
    const out = await perform(z, bundle);
    expect(out).toHaveLength(count);
    expect(set).toHaveBeenCalledTimes(count);
    expect(peak()).toBe(CACHE_CONCURRENCY);
    expect(warn).not.toHaveBeenCalled();
  });

  it('delivers the events left unchecked at the deadline, with one line counting them, and starts no call after it', async () => {
    jest.useFakeTimers();
    // every key already holds another attempt's claim: each event checked in time is dropped
    const { cache, set, peak } = slowCache(150, 'f'.repeat(32));
    const { z, warn } = stubZ(cache);
    const many = Array.from({ length: 1000 }, (_e, i) => `e${String(i)}`);
    let result: boolean[] | undefined;
    const pending = firstDeliveries(z, unsigned('e1'), many, 1000).then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(1000);
    await pending;
    // 20 at a time, 300 ms each (a false set, then the read-back): 3 rounds (60 events) answered
    // by 900 ms, the 4th still pending at the deadline, the rest never started
    expect(result?.filter((first) => !first)).toHaveLength(60);
    expect(result?.slice(0, 60).every((first) => !first)).toBe(true);
    expect(result?.slice(60).every(Boolean)).toBe(true);
    expect(set).toHaveBeenCalledTimes(80);
    expect(peak()).toBe(CACHE_CONCURRENCY);
    expect(warn.mock.calls).toEqual([
      [
        'ISAO: could not check 940 events for duplicates (event "e60": no answer within 1 s; and 939 more); delivering them anyway.',
      ],
    ]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(set).toHaveBeenCalledTimes(80);
  });

  it('starts no read-back after the deadline: a late false counts as unchecked, and is delivered', async () => {
    jest.useFakeTimers();
    const get = jest.fn(() => Promise.resolve('f'.repeat(32)));
    const set = () =>
      new Promise<boolean>((resolve) =>
        setTimeout(() => {
          resolve(false);
        }, 1500),
      );
    const { z, warn } = stubZ({ set, get });
    const pending = firstDeliveries(z, unsigned('e1'), ['e1'], 1000);
    await jest.advanceTimersByTimeAsync(2000);
    expect(await pending).toEqual([true]);
    expect(get).not.toHaveBeenCalled();
    expect(warn.mock.calls).toEqual([
      [
        'ISAO: could not check event "e1" for duplicates (no answer within 1 s); delivering it anyway.',
      ],
    ]);
  });

  it('leaves no timer behind once the cache has answered', async () => {
    jest.useFakeTimers();
    const { cache } = cacheStub();
    const { z } = stubZ(cache);
    expect(await firstDeliveries(z, unsigned('e1'), ids)).toEqual(ids.map(() => true));
    expect(jest.getTimerCount()).toBe(0);
    expect(await firstDeliveries(z, unsigned('e1'), ['e1'])).toEqual([false]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('spends no cache call and no timer on a batch without event ids', async () => {
    jest.useFakeTimers();
    const timers = jest.spyOn(global, 'setTimeout');
    const set = jest.fn();
    const { z } = stubZ({ set });
    expect(await firstDeliveries(z, unsigned(undefined), [null, null])).toEqual([true, true]);
    expect(set).not.toHaveBeenCalled();
    expect(timers).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('checks only the events with an id in a mixed batch, and still drops their retries', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    expect(await firstDeliveries(z, unsigned(undefined), [null, 'e1'])).toEqual([true, true]);
    expect(await firstDeliveries(z, unsigned(undefined), [null, 'e1'])).toEqual([true, false]);
    expect(calls.map(([key]) => key)).toEqual([
      'isao:delivered:sub_1:e1',
      'isao:delivered:sub_1:e1',
    ]);
  });

  it('keys deliveries by hook id, then target URL, then "unsubscribed" without a subscription', () => {
    const bundle = (subscribeData?: Record<string, unknown>, targetUrl?: string) =>
      fullBundle({ subscribeData, targetUrl });
    expect(dedupKey(bundle({ id: 'hook_1' }), 'e')).toBe('isao:delivered:hook_1:e');
    expect(dedupKey(bundle(undefined, 'https://hooks/1'), 'e')).toBe(
      'isao:delivered:https%3A%2F%2Fhooks%2F1:e',
    );
    expect(dedupKey(bundle(undefined), 'e')).toBe('isao:delivered:unsubscribed:e');
  });

  it('keys no two different (subscription, event id) pairs alike, whatever they contain', () => {
    const key = (sub: string, eventId: string) => dedupKey(unsigned(undefined, sub), eventId);
    expect(key('a:b', 'c')).not.toBe(key('a', 'b:c'));
    expect(key('a%3Ab', 'c')).not.toBe(key('a:b', 'c'));
    expect(key('sub_1', 'evt_1')).toBe('isao:delivered:sub_1:evt_1');
  });
});
