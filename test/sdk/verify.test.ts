/**
 * verify and verifyOrThrow beyond the vectors: every shape of input a framework may hand over,
 * the options, the words of each refusal, and that nothing a request holds makes them throw.
 */
import { createHmac } from 'node:crypto';
import { DEDUP_TTL_SECONDS, replayProblem, signatureProblem } from '../../core/signatures';
import { PARSED_BODY, WebhookVerificationError } from '../../sdk/src/problems';
import { verify, verifyOrThrow } from '../../sdk/src/verify';
import * as web from '../../sdk/src/verify-web';
import { outcome } from './helpers';
import { pseudoRandomBytes } from './seeded';

const SECRET = 'whsec_verify_test';
const NOW = Date.parse('2024-11-08T12:00:00.000Z');
const BODY = JSON.stringify({
  event: 'deal.won',
  timestamp: '2024-11-08T11:59:00.000Z',
  data: { id: 'deal_1', title: 'Won', value: 10 },
  metadata: { eventId: 'evt_v1', companyId: 'c1', source: 'api' },
});
const sign = (body: string | Uint8Array, secret = SECRET) =>
  createHmac('sha256', secret).update(body).digest('base64');
const HEADER = 'x-isao-hmac-sha256';
const options = { secrets: SECRET, now: NOW };

/** Both paths' results, which must be the same. */
const both = async (
  raw: unknown,
  headers: unknown,
  given: Parameters<typeof verify>[2] = options,
) => {
  // @ts-expect-error: what a JavaScript caller or a framework may pass, whatever the types say
  const node = verify(raw, headers, given);
  // @ts-expect-error: the same
  expect(await web.verify(raw, headers, given)).toEqual(node);
  return node;
};

describe('verify', () => {
  it('gives the events, their data as sent and the core record, and which secret matched', async () => {
    const result = await both(BODY, { [HEADER]: sign(BODY) });
    expect(result).toMatchObject({ ok: true, signedWith: 0, unknown: [], skipped: [] });
    if (!result.ok) throw new Error(result.message);
    const [event] = result.events;
    expect(event?.name).toBe('deal.won');
    expect(event?.data).toEqual({ id: 'deal_1', title: 'Won', value: 10 });
    expect(event?.record).toMatchObject({
      id: 'deal_1',
      title: 'Won',
      stage: null,
      isao_event_key: 'evt_v1',
    });
    expect(event?.record.isao_event).toEqual({
      type: 'deal.won',
      id: 'evt_v1',
      occurred_at: '2024-11-08T11:59:00.000Z',
      source: 'api',
      company_id: 'c1',
    });
  });

  it('reads headers from fetch Headers, node arrays and plain objects in any case', async () => {
    const signature = sign(BODY);
    for (const headers of [
      new Headers({ 'X-Isao-Hmac-Sha256': signature }),
      { 'X-ISAO-HMAC-SHA256': signature },
      { [HEADER]: [signature] },
    ]) {
      expect((await both(BODY, headers)).ok).toBe(true);
    }
  });

  it('refuses a header that is not one text with 400 or 401 and a reason, never a throw', async () => {
    const signature = sign(BODY);
    const repeated = await both(BODY, { [HEADER]: [signature, signature] });
    expect(repeated).toMatchObject({ ok: false, status: 401, problem: 'malformed' });
    expect(!repeated.ok && repeated.message).toMatch(/sent more than once/);
    const cased = await both(BODY, { [HEADER]: signature, 'X-Isao-Hmac-Sha256': signature });
    expect(cased).toMatchObject({ status: 401, problem: 'malformed' });
    for (const value of [42, { value: signature }, [signature, 7], true]) {
      const result = await both(BODY, { [HEADER]: value });
      expect(result).toMatchObject({ ok: false, status: 400, problem: 'header' });
      expect(!result.ok && result.message).toMatch(/X-Isao-Hmac-Sha256 header must be text/);
    }
    for (const headers of [undefined, null, 'x', 42, []]) {
      expect(await both(BODY, headers)).toMatchObject({ status: 401, problem: 'missing' });
    }
  });

  it('takes the body as a string, a Buffer, any typed view or an ArrayBuffer', async () => {
    const bytes = Buffer.from(BODY);
    const headers = { [HEADER]: sign(BODY) };
    const copy = Uint8Array.from(bytes);
    for (const raw of [
      bytes,
      copy,
      copy.buffer,
      new DataView(copy.buffer),
      new Uint8Array([0, ...copy]).subarray(1),
    ]) {
      expect((await both(raw, headers)).ok).toBe(true);
    }
  });

  it('answers 500 with the fix for a parsed body or none, never a bad signature', async () => {
    const headers = { [HEADER]: sign(BODY) };
    const parsed = await both(JSON.parse(BODY), headers);
    expect(parsed).toEqual({ ok: false, status: 500, problem: 'unread', message: PARSED_BODY });
    expect(PARSED_BODY).toMatch(/before express\.json\(\)/);
    for (const raw of [undefined, null]) {
      const none = await both(raw, headers);
      expect(none).toMatchObject({ ok: false, status: 500, problem: 'unread' });
      expect(!none.ok && none.message).toMatch(/pass the request's raw body/);
    }
  });

  it('refuses unreadable bodies only once the signature vouches for them', async () => {
    const bom = `\uFEFF${BODY}`;
    expect(await both(bom, { [HEADER]: sign(bom) })).toMatchObject({ status: 400, problem: 'bom' });
    const latin1 = Buffer.from(BODY.replace('Won', 'Gagné'), 'latin1');
    expect(await both(latin1, { [HEADER]: sign(latin1) })).toMatchObject({
      status: 400,
      problem: 'encoding',
    });
    expect(await both(latin1, { [HEADER]: sign(BODY) })).toMatchObject({
      status: 401,
      problem: 'mismatch',
    });
    expect(await both('', { [HEADER]: sign('') })).toMatchObject({ status: 400, problem: 'empty' });
    expect(await both('', {})).toMatchObject({ status: 401, problem: 'missing' });
  });

  it('names the secrets in a mismatch, and how to put it right', async () => {
    const one = await both(BODY, { [HEADER]: sign(BODY, 'other') });
    expect(!one.ok && one.message).toMatch(/under the signing secret\. Either the body changed/);
    const two = await both(
      BODY,
      { [HEADER]: sign(BODY, 'other') },
      { ...options, secrets: [SECRET, 'old'] },
    );
    expect(!two.ok && two.message).toMatch(/under any of the 2 signing secrets/);
    expect(!two.ok && two.message).toMatch(/body parser or proxy re-serialised it/);
  });

  it('tells which secret of a rotation matched, secrets trimmed as the platforms trim them', async () => {
    const headers = { [HEADER]: sign(BODY, 'previous') };
    const result = await both(BODY, headers, {
      ...options,
      secrets: [` ${SECRET}\n`, ' previous '],
    });
    expect(result).toMatchObject({ ok: true, signedWith: 1 });
  });

  it('throws a TypeError for options that cannot work: they are the code’s mistake', () => {
    for (const secrets of ['', '  ', [], [SECRET, ''], [42], undefined]) {
      // @ts-expect-error: what a JavaScript caller may pass
      expect(() => verify(BODY, {}, { secrets })).toThrow(
        /`secrets` must be the webhook's signing secret/,
      );
    }
    for (const tolerance of [-1, Number.NaN, Infinity, '60']) {
      // @ts-expect-error: the same
      expect(() => verify(BODY, {}, { secrets: SECRET, tolerance })).toThrow(
        /`tolerance` must be a finite number/,
      );
    }
    expect(() => verify(BODY, {}, { secrets: SECRET, now: -1 })).toThrow(/`now` must be/);
  });

  it('refuses replays past `tolerance` seconds, from the body timestamp only', async () => {
    const at = (ms: number) => BODY.replace('2024-11-08T11:59:00.000Z', new Date(ms).toISOString());
    const tolerance = 60;
    const old = at(NOW - 61_000);
    const refused = await both(old, { [HEADER]: sign(old) }, { ...options, tolerance });
    expect(refused).toMatchObject({ status: 401, problem: 'replay' });
    expect(!refused.ok && refused.message).toMatch(
      /"evt_v1" is from "2024-11-08T11:58:59.000Z" \(read as 2024-11-08T11:58:59.000Z\), older than the replay window of 60 s/,
    );
    const fresh = at(NOW - 59_000);
    expect((await both(fresh, { [HEADER]: sign(fresh) }, { ...options, tolerance })).ok).toBe(true);
  });

  it('takes `now` and `tolerance` as given, 0 included: not the system clock, not the default', async () => {
    // at epoch 0 the body's event is in the future, never a replay (the system clock is years on)
    expect((await both(BODY, { [HEADER]: sign(BODY) }, { secrets: SECRET, now: 0 })).ok).toBe(true);
    // a window of 0 s refuses an event a second old, which the default 2-hour window takes
    const refused = await both(BODY, { [HEADER]: sign(BODY) }, { ...options, tolerance: 0 });
    expect(refused).toMatchObject({ status: 401, problem: 'replay' });
    expect(!refused.ok && refused.message).toMatch(/older than the replay window of 0 s/);
  });

  it('names what it skipped, with the event id when there is one', async () => {
    const stale = JSON.stringify([
      { event: 'deal.won', timestamp: '2024-11-08T01:00:00.000Z', data: { id: 'd1' } },
      {
        event: 'deal.won',
        timestamp: '2024-11-08T01:00:00.000Z',
        data: { id: 'd2' },
        metadata: { eventId: 'evt_old' },
      },
    ]);
    const refused = await both(stale, { [HEADER]: sign(stale) });
    expect(refused).toEqual({
      ok: false,
      status: 401,
      problem: 'replay',
      message:
        'Nothing in the webhook can be used. The signed event is from "2024-11-08T01:00:00.000Z" (read as 2024-11-08T01:00:00.000Z), older than the replay window of 7200 s: a request captured and sent again, or a clock far off. (and 1 more)',
    });
    const mixed = JSON.stringify([
      { event: 42, data: { id: 'd1' } },
      { event: 'x', data: {}, metadata: { eventId: 'evt_bad' } },
      JSON.parse(BODY),
    ]);
    const result = await both(mixed, { [HEADER]: sign(mixed) });
    expect(result.ok && result.skipped).toEqual([
      'The webhook item is an envelope whose "event" is not an event name ("42").',
      'The webhook item "evt_bad" is an envelope whose "event" is not an event name ("x").',
    ]);
  });

  it('draws the default window where the core draws it', async () => {
    for (const age of [
      -1,
      0,
      1,
      1000,
      DEDUP_TTL_SECONDS * 1000 - 1,
      DEDUP_TTL_SECONDS * 1000,
      DEDUP_TTL_SECONDS * 1000 + 1,
      1e10,
    ]) {
      const stamp = String((NOW - age) / 1000);
      const body = BODY.replace('"2024-11-08T11:59:00.000Z"', stamp);
      const result = await both(body, { [HEADER]: sign(body) });
      expect({ age, ok: result.ok }).toEqual({
        age,
        ok: replayProblem(stamp, 'evt_v1', NOW) === undefined,
      });
    }
  });

  it('never throws for what a request holds, and both paths agree on it', async () => {
    const randomBytes = pseudoRandomBytes('verify never throws');
    const headerForms = (body: Uint8Array) => [
      sign(body),
      randomBytes(32).toString('base64'),
      randomBytes((randomBytes(1)[0] ?? 0) % 70).toString('hex'),
      randomBytes(20).toString('latin1'),
      `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    ];
    for (let i = 0; i < 200; i += 1) {
      const body = i % 2 === 0 ? randomBytes(i) : Buffer.from(BODY.slice(0, i % BODY.length));
      for (const header of headerForms(body)) {
        const result = await both(body, { [HEADER]: header });
        expect([200, 400, 401]).toContain(result.ok ? 200 : result.status);
      }
    }
  });
});

describe('verifyOrThrow', () => {
  it('returns the verified delivery, or throws the refusal with its status and kind', async () => {
    expect(verifyOrThrow(BODY, { [HEADER]: sign(BODY) }, options).events).toHaveLength(1);
    expect((await web.verifyOrThrow(BODY, { [HEADER]: sign(BODY) }, options)).events).toHaveLength(
      1,
    );
    const attempts = [
      () => verifyOrThrow(BODY, {}, options),
      () => web.verifyOrThrow(BODY, {}, options),
    ];
    for (const attempt of attempts) {
      const error: unknown = await Promise.resolve()
        .then(attempt)
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error).toMatchObject({
        name: 'WebhookVerificationError',
        status: 401,
        problem: 'missing',
      });
      expect(String(error)).toMatch(
        /WebhookVerificationError: The request has no X-Isao-Hmac-Sha256 header/,
      );
    }
  });

  it('refuses what the core refuses: the node path is the core check', () => {
    const header = sign(BODY).slice(1);
    const result = verify(BODY, { [HEADER]: header }, options);
    expect(outcome(result)).toEqual({
      ok: false,
      status: 401,
      problem: signatureProblem(SECRET, BODY, header)?.kind,
    });
  });
});
