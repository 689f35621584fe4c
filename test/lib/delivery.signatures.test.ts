/** Webhook signatures, through the real core runtime: what is accepted, what is rejected and with which message. */
import type { Bundle } from 'zapier-platform-core';
import { DEDUP_TTL_SECONDS } from '../../core/signatures';
import { cacheStub, caught, errorText, fullBundle, stubZ } from '../helpers';
import {
  SECRET,
  sign,
  perform,
  body,
  delivery,
  run,
  MALFORMED,
  MISMATCH,
  hexSign,
} from './delivery.setup';

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
