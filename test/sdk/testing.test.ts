/**
 * `@isao/webhooks/testing`: a signed sample delivery of any event of the table, as ISAO sends
 * it, with overrides: the exact bytes and headers a user's own tests send.
 */
import { EVENT_NAMES, sampleOf } from '../../core/events';
import { signatureProblem } from '../../core/signatures';
import { verify } from '../../sdk/src/verify';
import { sign, signedDelivery } from '../../sdk/src/testing';

const SECRET = 'whsec_testing';

describe('signedDelivery', () => {
  it.each(EVENT_NAMES.map((event) => [event]))('signs a sample %s as ISAO does', (event) => {
    const sent = signedDelivery(event, {
      secret: SECRET,
      eventId: 'evt_t1',
      now: Date.parse('2024-11-08T12:00:00.000Z'),
    });
    expect(JSON.parse(sent.text)).toEqual({
      event,
      timestamp: '2024-11-08T12:00:00.000Z',
      data: sampleOf(event),
      metadata: { companyId: 'cmb72clgt0003145mvfrg8iyh', eventId: 'evt_t1', source: 'api' },
    });
    expect(new TextDecoder().decode(sent.body)).toBe(sent.text);
    expect(sent.headers).toEqual({
      'Content-Type': 'application/json',
      'User-Agent': 'ISAO-Webhooks/test',
      'X-Isao-Event': event,
      'X-Isao-Event-Id': 'evt_t1',
      'X-Isao-Hmac-Sha256': sign(SECRET, sent.body),
    });
    // the core itself vouches for the signature
    expect(signatureProblem(SECRET, sent.body, sent.headers['X-Isao-Hmac-Sha256'])).toBeUndefined();
    const result = verify(sent.body, sent.headers, {
      secrets: SECRET,
      now: Date.parse('2024-11-08T12:00:01.000Z'),
    });
    expect(result.ok && result.events.map((e) => [e.name, e.id])).toEqual([[event, 'evt_t1']]);
  });

  it('lays overrides over the sample, and draws a new event id each time', () => {
    const sent = signedDelivery('contact.created', {
      secret: SECRET,
      data: { email: 'ada@example.com', tags: ['vip'] },
      timestamp: 1731067200,
      companyId: 'company_2',
      source: 'import',
      headers: { 'X-Trace': 't1', 'User-Agent': 'mine' },
    });
    const body: Record<string, unknown> = JSON.parse(sent.text);
    expect(body).toMatchObject({
      timestamp: 1731067200,
      data: { ...sampleOf('contact.created'), email: 'ada@example.com', tags: ['vip'] },
      metadata: { companyId: 'company_2', source: 'import', eventId: sent.eventId },
    });
    expect(sent.eventId).toMatch(/^evt_test_[0-9a-f-]{36}$/);
    expect(signedDelivery('contact.created', { secret: SECRET }).eventId).not.toBe(sent.eventId);
    expect(sent.headers).toMatchObject({ 'X-Trace': 't1', 'User-Agent': 'mine' });
  });

  it('takes 0 and empty overrides as given, not as the defaults', () => {
    const zero = signedDelivery('deal.won', {
      secret: SECRET,
      timestamp: 0,
      eventId: '',
      companyId: '',
      source: '',
    });
    expect(JSON.parse(zero.text)).toMatchObject({
      timestamp: 0,
      metadata: { companyId: '', eventId: '', source: '' },
    });
    expect(zero.headers['X-Isao-Event-Id']).toBe('');
    const epoch = signedDelivery('deal.won', { secret: SECRET, now: 0 });
    expect(JSON.parse(epoch.text)).toMatchObject({ timestamp: '1970-01-01T00:00:00.000Z' });
  });

  it('sends exact bytes of its own, signed as they are, or no signature at all', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x7b]);
    const raw = signedDelivery('deal.won', { secret: SECRET, body: bytes });
    expect(raw.body).toBe(bytes);
    expect(raw.headers['X-Isao-Hmac-Sha256']).toBe(sign(SECRET, bytes));
    expect(verify(raw.body, raw.headers, { secrets: SECRET })).toMatchObject({
      status: 400,
      problem: 'encoding',
    });
    const unsigned = signedDelivery('deal.won', { secret: null });
    expect(unsigned.headers).not.toHaveProperty('X-Isao-Hmac-Sha256');
    expect(verify(unsigned.body, unsigned.headers, { secrets: SECRET })).toMatchObject({
      status: 401,
      problem: 'missing',
    });
  });
});
