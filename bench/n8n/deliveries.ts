/**
 * What `npm run bench:n8n` sends: ISAO's signed webhook delivery, as the sandbox sends one
 * (sandbox/webhooks.ts: the event envelope, its headers, `X-Isao-Hmac-Sha256` = base64
 * HMAC-SHA256 of the exact body bytes). A single delivery is one `contact.created` event of
 * exactly 1,024 bytes (the realistic contact of bench/fixtures.ts, its notes filling it up); a
 * batch is 100 such events in one JSON array, signed as one body. Every event has its own
 * `eventId`, so no de-duplication drops it; the same bytes go to every workflow measured.
 */
import { randomUUID } from 'node:crypto';
import { SIGNATURE_HEADER } from '../../core/signatures';
import { signWebhook } from '../../sandbox/signing';
import { record } from '../fixtures';

/** The signing secret of the ISAO credential and of the user's Crypto credential. */
export const SECRET = 'whsec_isao_n8n_bench_7d2e';
export const EVENT = 'contact.created';
export const DELIVERY_BYTES = 1024;
export const BATCH_RECORDS = 100;

export interface Delivery {
  /** The exact bytes sent, and signed. */
  body: Buffer;
  /** The headers ISAO sends, the signature among them. */
  headers: Record<string, string>;
  /** Its events' ids, in order. */
  eventIds: string[];
}

const NOTES =
  'Met at the Lyon trade fair; wants a demo of group scheduling for three clinics, follow up in May. ';

/** One event of exactly DELIVERY_BYTES bytes (every character here is one byte). */
const event = (n: number) => {
  const eventId = `evt_${randomUUID()}`;
  const data = { ...record('contact', n), notes: '' };
  const value = {
    event: EVENT,
    timestamp: new Date().toISOString(),
    data,
    metadata: { companyId: 'cmb72clgt0003145mvfrg8iyh', eventId, source: 'api' },
  };
  const missing = DELIVERY_BYTES - JSON.stringify(value).length;
  data.notes = NOTES.repeat(Math.ceil(missing / NOTES.length)).slice(0, missing);
  return { value, eventId };
};

const signed = (value: unknown, eventIds: string[]): Delivery => {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return {
    body,
    eventIds,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'ISAO-Webhooks/bench',
      'X-Isao-Event': EVENT,
      'X-Isao-Event-Id': eventIds[0] ?? '',
      'X-Isao-Delivery-Attempt': '1',
      [SIGNATURE_HEADER]: signWebhook(SECRET, body),
    },
  };
};

/** One signed event of DELIVERY_BYTES bytes; `n` tells its contact apart. */
export const single = (n: number): Delivery => {
  const { value, eventId } = event(n);
  return signed(value, [eventId]);
};

/** BATCH_RECORDS signed events in one JSON array, one body. */
export const batch = (n: number): Delivery => {
  const events = Array.from({ length: BATCH_RECORDS }, (_, i) => event(n * BATCH_RECORDS + i));
  return signed(
    events.map((e) => e.value),
    events.map((e) => e.eventId),
  );
};

/** The same delivery with one byte of its body changed, its signature kept: it must be refused. */
export const tampered = (delivery: Delivery): Delivery => ({
  ...delivery,
  body: Buffer.from(delivery.body.toString('utf8').replace('Jane', 'Jany'), 'utf8'),
});
