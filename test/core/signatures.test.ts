/**
 * The signature check and the replay rule every platform applies (core/signatures.ts); through
 * Zapier's runtime: test/lib/delivery.signatures.test.ts, through n8n's: test/n8n/.
 */
import { createHmac } from 'node:crypto';
import {
  DEDUP_TTL_SECONDS,
  EPOCH_MS_FROM,
  EPOCH_US_FROM,
  headerValue,
  replayProblem,
  signatureProblem,
} from '../../core/signatures';

const SECRET = 'whsec_test';
const BODY = '{"event":"contact.created","data":{"id":"c1"}}';
const digest = (body: string | Buffer, secret = SECRET) =>
  createHmac('sha256', secret).update(body).digest();

describe('signatures', () => {
  it('accepts the HMAC of the raw body in base64, base64url, hex and after sha256=, as text or bytes', () => {
    const bytes = digest(BODY);
    for (const header of [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex').toUpperCase(),
      `sha256=${bytes.toString('hex')}`,
    ]) {
      expect(signatureProblem(SECRET, BODY, header)).toBeUndefined();
      expect(signatureProblem(SECRET, Buffer.from(BODY), header)).toBeUndefined();
    }
  });

  it('names what is wrong: no header, not a 32-byte digest, another body or secret', () => {
    expect(signatureProblem(SECRET, BODY, undefined)).toEqual({
      kind: 'missing',
      message:
        'Rejected an unsigned webhook: a signing secret is set, but the request had no X-Isao-Hmac-Sha256 header.',
    });
    expect(signatureProblem(SECRET, BODY, digest(BODY).subarray(1).toString('hex'))).toEqual({
      kind: 'malformed',
      message:
        'Rejected a webhook with a malformed X-Isao-Hmac-Sha256 header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".',
    });
    const mismatch = {
      kind: 'mismatch',
      message:
        'Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret.',
    };
    expect(signatureProblem(SECRET, `${BODY} `, digest(BODY).toString('base64'))).toEqual(mismatch);
    expect(signatureProblem(SECRET, BODY, digest(BODY, 'other').toString('base64'))).toEqual(
      mismatch,
    );
  });

  it('without a body to check, says so once the header is known to be a digest', () => {
    const header = digest(BODY).toString('base64');
    expect(signatureProblem(SECRET, undefined, header)).toEqual({
      kind: 'unread',
      message: 'Could not verify the webhook signature: no raw request body was passed.',
    });
    expect(signatureProblem(SECRET, undefined, 'x')?.kind).toBe('malformed');
    expect(signatureProblem(SECRET, undefined, undefined)?.kind).toBe('missing');
  });

  it('reads the body bytes as they are: UTF-8 text and its bytes sign alike', () => {
    const body = '{"name":"Zoë"}';
    const header = digest(Buffer.from(body, 'utf8')).toString('base64');
    expect(signatureProblem(SECRET, body, header)).toBeUndefined();
    expect(signatureProblem(SECRET, Buffer.from(body, 'latin1'), header)?.kind).toBe('mismatch');
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

describe('the replay rule', () => {
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

  it('tells epoch seconds, milliseconds and microseconds by magnitude: from 10^11 ms, from 10^14 µs', () => {
    expect(EPOCH_MS_FROM).toBe(1e11);
    const now = Date.parse('2024-11-08T12:00:00.000Z');
    // 10^11 ms is 1973-03-03: a replay
    expect(replayProblem('100000000000', null, now)).toBe(
      'Rejected a replayed webhook: the signed event is from "100000000000" (1973-03-03T09:46:40.000Z), older than the 2-hour window in which ISAO delivers and retries events',
    );
    // just below, seconds: the year 5138, not a replay
    expect(replayProblem('99999999999', null, now)).toBeUndefined();
    // from 10^14 on, microseconds: 10^14 µs is 1973-03-03 again, a replay
    expect(EPOCH_US_FROM).toBe(1e14);
    expect(replayProblem('100000000000000', null, now)).toBe(
      'Rejected a replayed webhook: the signed event is from "100000000000000" (1973-03-03T09:46:40.000Z), older than the 2-hour window in which ISAO delivers and retries events',
    );
    // just below, milliseconds: the year 5138, not a replay
    expect(replayProblem('99999999999999', null, now)).toBeUndefined();
    // the window's edge in seconds, as in ISO 8601
    const edge = String((now - DEDUP_TTL_SECONDS * 1000) / 1000);
    expect(replayProblem(edge, null, now)).toBeUndefined();
    expect(replayProblem(edge, null, now + 1)).toBe(
      `Rejected a replayed webhook: the signed event is from "${edge}" (2024-11-08T10:00:00.000Z), older than the 2-hour window in which ISAO delivers and retries events`,
    );
    // not an epoch number: as Date.parse reads it (or not at all)
    expect(replayProblem('-5', null, now)).toMatch(/^Rejected a replayed webhook: .* "-5", older/);
    expect(replayProblem('1.5e9', null, now)).toBeUndefined();
    expect(replayProblem('17310618OO', null, now)).toBeUndefined();
  });
});
