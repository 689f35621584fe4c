/**
 * `@isao/webhooks/testing`: deliveries signed as ISAO signs them, for a receiver's own tests. A
 * delivery is an event of the table with its sample record (the core's, as the Zapier editor
 * shows it), in ISAO's envelope, as exact bytes with the headers ISAO sends; overrides change
 * any part, and `body` replaces the bytes outright (a tampered or malformed delivery).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { sampleOf, type IsaoEvent } from '../../core/events';
import type { RawRecord } from '../../core/entities';
import { SIGNATURE_HEADER } from '../../core/signatures';
import { systemNow } from './pipeline';

/** The signature header's value ISAO sends for these bytes: base64 HMAC-SHA256. */
export const sign = (secret: string, body: string | Uint8Array): string =>
  createHmac('sha256', secret).update(body).digest('base64');

export interface DeliveryOptions {
  /** The secret to sign with; null sends no signature. */
  secret: string | null;
  /** Fields laid over the event's sample record. */
  data?: RawRecord;
  /** `metadata.eventId` (default: a new random one). */
  eventId?: string;
  /** `timestamp` as sent (default: `now` as ISO 8601). */
  timestamp?: string | number;
  /** The time of the event, in epoch ms (default: now). */
  now?: number;
  companyId?: string;
  source?: string;
  /** The exact body to send instead of the envelope (signed as it is). */
  body?: string | Uint8Array;
  /** More headers, or other values for ISAO's. */
  headers?: Record<string, string>;
}

export interface SignedDelivery {
  /** The exact bytes to send. */
  body: Uint8Array;
  /** The same bytes as text. */
  text: string;
  headers: Record<string, string>;
  /** The event's id (`metadata.eventId`). */
  eventId: string;
}

const encoder = new TextEncoder();

/** A delivery of `event` as ISAO sends it, signed with `secret`. */
export const signedDelivery = (event: IsaoEvent, options: DeliveryOptions): SignedDelivery => {
  const eventId = options.eventId ?? `evt_test_${randomUUID()}`;
  const envelope = {
    event,
    timestamp: options.timestamp ?? new Date(options.now ?? systemNow()).toISOString(),
    data: { ...sampleOf(event), ...options.data },
    metadata: {
      companyId: options.companyId ?? 'cmb72clgt0003145mvfrg8iyh',
      eventId,
      source: options.source ?? 'api',
    },
  };
  const given = options.body ?? JSON.stringify(envelope);
  const body = typeof given === 'string' ? encoder.encode(given) : given;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'ISAO-Webhooks/test',
    'X-Isao-Event': event,
    'X-Isao-Event-Id': eventId,
    ...(options.secret === null ? {} : { [SIGNATURE_HEADER]: sign(options.secret, body) }),
    ...options.headers,
  };
  return { body, text: new TextDecoder().decode(body), headers, eventId };
};
