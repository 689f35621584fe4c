/**
 * Webhook signatures (through the real core runtime) and exactly-once delivery (against a cache
 * stub that honours `nx` and TTL, which createAppTester's in-memory mock ignores).
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { hookBundle } from '../../sandbox/hook-bundle';
import { signWebhook } from '../../sandbox/signing';
import App from '../../src';
import {
  CACHE_TIMEOUT_MS,
  DEDUP_TTL_SECONDS,
  dedupKey,
  firstDeliveries,
  headerValue,
  replayProblem,
} from '../../src/lib/delivery';
import {
  appTester,
  cacheStub,
  caught,
  errorText,
  fullBundle,
  runtimeCacheKeys,
  stubZ,
  type BundleParts,
} from '../helpers';

const SECRET = 'whsec_connection';
const sign = (raw: string, secret = SECRET) => signWebhook(secret, raw);

const perform = async (z: ZObject, bundle: Bundle) =>
  App.triggers.new_contact.operation.perform(z, bundle);

const body = (eventId = 'evt_1', timestamp = new Date().toISOString()) =>
  JSON.stringify({
    event: 'contact.created',
    timestamp,
    data: { id: 'contact_1', name: 'Ada' },
    metadata: { companyId: 'cmp_1', eventId, source: 'api' },
  });

/** A delivery as Zapier hands it to perform: parsed body, raw body, `Http-` headers. */
const delivery = (raw: string, headers: Record<string, string>, extra: BundleParts = {}) =>
  fullBundle({
    authData: { api_key: 'k', webhook_secret: SECRET },
    subscribeData: { subscription_id: 'sub_1' },
    ...hookBundle(raw, headers),
    ...extra,
  });

const run = (bundle: Bundle) => appTester(perform, bundle);

describe('signatures', () => {
  it.each([
    'Http-X-Isao-Hmac-Sha256',
    'X-Isao-Hmac-Sha256',
    'x-isao-hmac-sha256',
    'HTTP_X_ISAO_HMAC_SHA256',
  ])('accepts a valid signature in header %s', async (name) => {
    const raw = body();
    const out = await run(delivery(raw, { [name]: sign(raw) }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: 'contact_1', isao_event: { id: 'evt_1' } });
  });

  it('verifies the raw bytes, not a re-serialised object (whitespace, key order)', async () => {
    const raw = `{ "metadata": {"eventId":"evt_ws","source":"api"},\n  "data": {"name":"Ada","id":"contact_1"}, "timestamp": "${new Date().toISOString()}", "event": "contact.created" }`;
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
    const out = await run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw) }));
    expect(out[0]).toMatchObject({ id: 'contact_1', name: 'Ada' });
  });

  it('rejects a tampered body', async () => {
    const raw = body();
    const tampered = raw.replace('"Ada"', '"Eve"');
    const error = await caught(() =>
      run(delivery(tampered, { 'Http-X-Isao-Hmac-Sha256': sign(raw) })),
    );
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toContain('signature does not match its body');
  });

  it('rejects a body signed with another secret', async () => {
    const raw = body();
    const error = await caught(() =>
      run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw, 'other') })),
    );
    expect(errorText(error)).toContain('signature does not match its body');
  });

  it('rejects an unsigned event when a secret is set, saying how to fix it', async () => {
    const error = await caught(() => run(delivery(body(), {})));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      "Rejected an unsigned webhook: a signing secret is set, but the request had no X-Isao-Hmac-Sha256 header. Check that the Webhook Signing Secret in this Zap's ISAO connection matches the one in your ISAO webhook settings.",
    );
    const subscribeData = { subscription_id: 'sub_1', secret: 'whsec_subscription' };
    const bySubscription = await caught(() => run(delivery(body(), {}, { subscribeData })));
    expect(errorText(bySubscription)).toBe(
      'Rejected an unsigned webhook: a signing secret is set, but the request had no X-Isao-Hmac-Sha256 header. The secret in use is the one ISAO returned when this Zap subscribed: turn the Zap off and on again so that ISAO and Zapier agree on a new one.',
    );
  });

  it.each([
    ['of another length', Buffer.alloc(16, 1).toString('base64')],
    ['that is not base64', '!!!not-base64!!!'],
    ['that is hex', 'a'.repeat(64)],
  ])('rejects a signature %s without crashing', async (_what, signature) => {
    const error = await caught(() =>
      run(delivery(body(), { 'Http-X-Isao-Hmac-Sha256': signature })),
    );
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toContain('malformed X-Isao-Hmac-Sha256');
  });

  it('accepts the URL-safe base64 alphabet (- and _), with or without padding', async () => {
    // a body whose signature has both + and / in standard base64
    let raw = body();
    for (let i = 0; !/\+.*\/|\/.*\+/.test(sign(raw)); i += 1) raw = body(`evt_${String(i)}`);
    const urlSafe = sign(raw).replace(/\+/g, '-').replace(/\//g, '_');
    expect(await run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': urlSafe }))).toHaveLength(1);
    const unpadded = urlSafe.replace(/=+$/, '');
    expect(await run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': unpadded }))).toHaveLength(1);
  });

  it.each([
    ['junk before it', (sig: string) => `!${sig}`],
    ['junk after it', (sig: string) => `${sig}!`],
    ['a scheme prefix', (sig: string) => `sha256=${sig}`],
    ['white space inside', (sig: string) => `${sig.slice(0, 10)} ${sig.slice(10)}`],
    ['three padding characters', (sig: string) => `${sig.replace(/=+$/, '')}===`],
  ])(
    'rejects a valid signature with %s as malformed (the format check is strict)',
    async (_what, garble) => {
      const raw = body();
      const error = await caught(() =>
        run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': garble(sign(raw)) })),
      );
      expect(error.name).toBe('HaltedError');
      expect(errorText(error)).toBe(
        'Rejected a webhook with a malformed X-Isao-Hmac-Sha256 header: expected the base64 of a 32-byte HMAC-SHA256.',
      );
    },
  );

  it('rejects a signed webhook that comes without its raw body (nothing to verify)', async () => {
    const raw = body();
    const bundle = {
      ...delivery(raw, {}),
      rawRequest: { headers: { 'X-Isao-Hmac-Sha256': sign(raw) } },
    };
    const error = await caught(() => run(bundle));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      'Could not verify the webhook signature: Zapier passed no raw request body.',
    );
  });

  it('rejects, without crashing, a webhook with no raw request at all when a secret is set', async () => {
    const bundle = { ...delivery(body(), {}), rawRequest: undefined };
    const error = await caught(() => run(bundle));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toMatch(/^Rejected an unsigned webhook/);
  });

  it("a secret returned by subscribe wins over the connection's", async () => {
    const raw = body();
    const subscribeData = { subscription_id: 'sub_1', secret: 'whsec_subscription' };
    const ok = await run(
      delivery(
        raw,
        { 'Http-X-Isao-Hmac-Sha256': sign(raw, 'whsec_subscription') },
        {
          subscribeData,
        },
      ),
    );
    expect(ok).toHaveLength(1);
    const error = await caught(() =>
      run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw) }, { subscribeData })),
    );
    expect(errorText(error)).toBe(
      'Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret. The secret in use is the one ISAO returned when this Zap subscribed: turn the Zap off and on again so that ISAO and Zapier agree on a new one.',
    );
    // the fix names the secret that was in force: the subscription's, not the connection's field
    expect(errorText(error)).toContain('the one ISAO returned when this Zap subscribed');
    expect(errorText(error)).not.toContain('Webhook Signing Secret');
  });

  it("a mismatch under the connection's secret points to the connection's field", async () => {
    const raw = body();
    const error = await caught(() =>
      run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw, 'other') })),
    );
    expect(errorText(error)).toBe(
      "Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret. Check that the Webhook Signing Secret in this Zap's ISAO connection matches the one in your ISAO webhook settings.",
    );
  });

  it('rejects a signed event older than the dedup window as a replay', async () => {
    const old = new Date(Date.now() - (DEDUP_TTL_SECONDS + 60) * 1000).toISOString();
    const raw = body('evt_old', old);
    const error = await caught(() => run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw) })));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(
      `Rejected a replayed webhook: the signed event "evt_old" is from "${old}", older than the 2-hour window in which ISAO delivers and retries events.`,
    );
    const recent = body('evt_recent', new Date(Date.now() - 60_000).toISOString());
    expect(await run(delivery(recent, { 'Http-X-Isao-Hmac-Sha256': sign(recent) }))).toHaveLength(
      1,
    );
  });

  it('counts as a replay only what is older than exactly 2 hours', () => {
    const at = '2024-11-08T10:00:00.000Z';
    const twoHours = Date.parse(at) + 2 * 60 * 60 * 1000;
    expect(DEDUP_TTL_SECONDS).toBe(7200);
    expect(replayProblem(at, 'evt_1', twoHours)).toBeUndefined();
    expect(replayProblem(at, 'evt_1', twoHours + 1)).toBe(
      `Rejected a replayed webhook: the signed event "evt_1" is from "${at}", older than the 2-hour window in which ISAO delivers and retries events`,
    );
    expect(replayProblem(at, null, twoHours + 1)).toBe(
      `Rejected a replayed webhook: the signed event is from "${at}", older than the 2-hour window in which ISAO delivers and retries events`,
    );
    expect(replayProblem('not a date', null, twoHours + 1)).toBeUndefined();
    expect(replayProblem(null, null, twoHours + 1)).toBeUndefined();
  });

  it('without any secret, events pass unchecked (as before signing was set up)', async () => {
    const raw = body('evt_u', '2020-01-01T00:00:00.000Z');
    const bundle = {
      ...delivery(raw, { 'Http-X-Isao-Hmac-Sha256': 'garbage' }),
      authData: { api_key: 'k' },
    };
    expect(await run(bundle)).toHaveLength(1);
  });

  it('finds headers whatever their spelling', () => {
    expect(headerValue({ 'Http-X-Isao-Hmac-Sha256': ' a ' }, 'X-Isao-Hmac-Sha256')).toBe('a');
    expect(headerValue({ other: 'b' }, 'X-Isao-Hmac-Sha256')).toBeUndefined();
    expect(headerValue(undefined, 'X-Isao-Hmac-Sha256')).toBeUndefined();
    // only a leading Http- is Zapier's: inside a name it is part of the name
    expect(headerValue({ 'X-Http-Token': 'a' }, 'X-Token')).toBeUndefined();
    expect(headerValue({ 'X-Isao-Hmac-Sha256': ['first', 'second'] }, 'X-Isao-Hmac-Sha256')).toBe(
      'first',
    );
  });
});

const unsigned = (
  eventId: string | undefined,
  subscriptionId = 'sub_1',
  event = 'contact.created',
) =>
  fullBundle({
    authData: { api_key: 'k' },
    subscribeData: { subscription_id: subscriptionId },
    cleanedRequest: {
      event,
      timestamp: '2024-11-08T10:30:00.000Z',
      data: { id: 'contact_1' },
      metadata: eventId ? { eventId } : {},
    },
  });

describe('exactly-once delivery', () => {
  it('drops a retried event on the same subscription, with one nx call of ≥ 1 h TTL', async () => {
    const { cache, calls } = cacheStub();
    const { z } = stubZ(cache);
    expect(await perform(z, unsigned('evt_1'))).toHaveLength(1);
    expect(await perform(z, unsigned('evt_1'))).toEqual([]);
    expect(calls).toEqual([
      ['isao:delivered:sub_1:evt_1', DEDUP_TTL_SECONDS, ['auth'], true],
      ['isao:delivered:sub_1:evt_1', DEDUP_TTL_SECONDS, ['auth'], true],
    ]);
    expect(DEDUP_TTL_SECONDS).toBeGreaterThanOrEqual(3600);
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
    expect(warn).toHaveBeenCalledTimes(6);
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
