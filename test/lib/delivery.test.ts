/**
 * Webhook signatures (through the real core runtime) and exactly-once delivery (against a cache
 * stub that honours `nx` and TTL, which createAppTester's in-memory mock ignores).
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { hookBundle } from '../../sandbox/hook-bundle';
import { signWebhook } from '../../sandbox/signing';
import App from '../../src';
import {
  CACHE_CONCURRENCY,
  CACHE_TIMEOUT_MS,
  dedupKey,
  firstDeliveries,
} from '../../src/lib/delivery';
import { DEDUP_TTL_SECONDS } from '../../core/signatures';
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

/** A contact.created webhook body; `timestamp` is written as given (a number, or none). */
const body = (eventId = 'evt_1', timestamp: unknown = new Date().toISOString()) =>
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

const MALFORMED =
  'Rejected a webhook with a malformed X-Isao-Hmac-Sha256 header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".';
const MISMATCH =
  "Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret. Check that the Webhook Signing Secret in this Zap's ISAO connection matches the one in your ISAO webhook settings.";

/** The HMAC of `raw` as hex. */
const hexSign = (raw: string) => Buffer.from(sign(raw), 'base64').toString('hex');

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

  it('verifies a body starting with a byte-order mark over its bytes, then reads the JSON after it', async () => {
    const raw = `\uFEFF${body('evt_bom')}`;
    // what Zapier hands perform for a body it could not parse: the request itself
    const echo = { method: 'POST', headers: {}, content: raw, querystring: {} };
    const signedWith = (signature: string) =>
      fullBundle({
        authData: { api_key: 'k', webhook_secret: SECRET },
        subscribeData: { subscription_id: 'sub_1' },
        rawRequest: {
          method: 'POST',
          querystring: '',
          content: raw,
          headers: { 'Http-X-Isao-Hmac-Sha256': signature },
        },
        cleanedRequest: echo,
      });

    const out = await run(signedWith(sign(raw)));
    // the mark is part of the signed bytes: a signature over the text without it is refused
    const unmarked = await caught(() => run(signedWith(sign(raw.slice(1)))));

    expect(out).toEqual([expect.objectContaining({ id: 'contact_1', isao_event_key: 'evt_bom' })]);
    expect(errorText(unmarked)).toBe(MISMATCH);
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
    ['of 63 hex digits', 'a'.repeat(63)],
    ['of 65 hex digits', 'a'.repeat(65)],
    ['of 16 bytes in hex', 'a'.repeat(32)],
    ['that is only the prefix', 'sha256='],
    ['with a prefix of another hash', `sha1=${'a'.repeat(64)}`],
  ])('rejects a signature %s without crashing', async (_what, signature) => {
    const error = await caught(() =>
      run(delivery(body(), { 'Http-X-Isao-Hmac-Sha256': signature })),
    );
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(MALFORMED);
  });

  it.each([
    ['lower-case hex', hexSign],
    ['upper-case hex', (raw: string) => hexSign(raw).toUpperCase()],
    ['hex after sha256=', (raw: string) => `sha256=${hexSign(raw)}`],
    ['hex after SHA256=', (raw: string) => `SHA256=${hexSign(raw)}`],
    ['base64 after sha256=', (raw: string) => `sha256=${sign(raw)}`],
    [
      'unpadded base64url after sha256=',
      (raw: string) =>
        `sha256=${sign(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
    ],
  ])('accepts the same HMAC as %s', async (_what, encode) => {
    const raw = body();
    const out = await run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': encode(raw) }));
    expect(out.map((r) => r.id)).toEqual(['contact_1']);
  });

  it.each([
    ['hex', (raw: string) => hexSign(raw.replace('"Ada"', '"Eve"'))],
    ['hex after sha256=', (raw: string) => `sha256=${sign(raw, 'other')}`],
    ['any 32 bytes of hex', () => 'a'.repeat(64)],
  ])('compares the bytes of a %s signature: a wrong one does not match', async (_what, make) => {
    const raw = body();
    const error = await caught(() => run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': make(raw) })));
    expect(error.name).toBe('HaltedError');
    expect(errorText(error)).toBe(MISMATCH);
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
    ['junk before its prefix', (sig: string) => `xsha256=${sig}`],
    ['the prefix twice', (sig: string) => `sha256=sha256=${sig}`],
    ['white space inside', (sig: string) => `${sig.slice(0, 10)} ${sig.slice(10)}`],
    ['three padding characters', (sig: string) => `${sig.replace(/=+$/, '')}===`],
    ['junk before its hex', (sig: string) => `!${Buffer.from(sig, 'base64').toString('hex')}`],
    ['junk after its hex', (sig: string) => `${Buffer.from(sig, 'base64').toString('hex')}!`],
    ['hex then padding', (sig: string) => `${Buffer.from(sig, 'base64').toString('hex')}=`],
  ])(
    'rejects a valid signature with %s as malformed (the format check is strict)',
    async (_what, garble) => {
      const raw = body();
      const error = await caught(() =>
        run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': garble(sign(raw)) })),
      );
      expect(error.name).toBe('HaltedError');
      expect(errorText(error)).toBe(MALFORMED);
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

  it('takes a raw body that is not text for no body: refused, never a crash', async () => {
    const raw = body();
    // what a proxy or an older runtime may pass, as it arrives over the wire: the body parsed
    const bundle: Bundle = JSON.parse(
      JSON.stringify({
        ...delivery(raw, {}),
        rawRequest: { headers: { 'X-Isao-Hmac-Sha256': sign(raw) }, content: JSON.parse(raw) },
      }),
    );
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
    expect(errorText(error)).toBe(MISMATCH);
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

  it.each([
    ['epoch seconds', (ms: number) => Math.floor(ms / 1000)],
    ['epoch milliseconds', (ms: number) => ms],
    ['epoch seconds as a string', (ms: number) => String(Math.floor(ms / 1000))],
    ['epoch milliseconds as a string', (ms: number) => String(ms)],
    ['epoch seconds with a fraction', (ms: number) => ms / 1000],
    ['epoch microseconds', (ms: number) => ms * 1000 + 456],
    ['epoch microseconds as a string', (ms: number) => String(ms * 1000 + 456)],
  ])(
    'reads a timestamp in %s: an old one is a replay, a recent one is delivered',
    async (_what, as) => {
      const old = Date.now() - (DEDUP_TTL_SECONDS + 60) * 1000;
      const raw = body('evt_old', as(old));
      const error = await caught(() =>
        run(delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw) })),
      );
      expect(error.name).toBe('HaltedError');
      const at = new Date(Math.floor(old / 1000) * 1000).toISOString().slice(0, 19);
      expect(errorText(error)).toMatch(
        new RegExp(
          `^Rejected a replayed webhook: the signed event "evt_old" is from "${String(as(old)).replace('.', '\\.')}" \\(${at}\\.\\d{3}Z\\), older than the 2-hour window`,
        ),
      );
      const recent = body('evt_recent', as(Date.now() - 60_000));
      expect(await run(delivery(recent, { 'Http-X-Isao-Hmac-Sha256': sign(recent) }))).toHaveLength(
        1,
      );
    },
  );

  it.each([
    ['no timestamp', undefined],
    ['an unreadable timestamp', 'yesterday'],
    ['a timestamp that is not text or a number', { at: 1 }],
  ])('delivers a signed event with %s, and still drops its retry', async (_what, timestamp) => {
    const { cache } = cacheStub();
    const { z } = stubZ(cache);
    const raw = body('evt_undated', timestamp);
    const bundle = delivery(raw, { 'Http-X-Isao-Hmac-Sha256': sign(raw) });
    expect((await perform(z, bundle)).map((r) => r.id)).toEqual(['contact_1']);
    expect(await perform(z, bundle)).toEqual([]);
  });

  it('without any secret, events pass unchecked (as before signing was set up)', async () => {
    const raw = body('evt_u', '2020-01-01T00:00:00.000Z');
    const bundle = {
      ...delivery(raw, { 'Http-X-Isao-Hmac-Sha256': 'garbage' }),
      authData: { api_key: 'k' },
    };
    expect(await run(bundle)).toHaveLength(1);
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
