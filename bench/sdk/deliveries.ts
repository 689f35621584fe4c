/**
 * The deliveries every contender verifies: the same body bytes, signed as each one's scheme
 * wants (ISAO's header for ours and the floor, Standard Webhooks' three headers for the peers).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { signedDelivery } from '../../sdk/src/testing';

export const SECRET = 'isao-bench-signing-secret';
/** Standard Webhooks' secrets are base64 (svix's with a `whsec_` prefix). */
export const PEER_SECRET = Buffer.from(SECRET).toString('base64');

export interface Delivery {
  body: Buffer;
  /** ISAO's headers (for ours and the floor). */
  headers: Record<string, string>;
  /** Standard Webhooks' headers for the same bytes (for standardwebhooks and svix). */
  peerHeaders: Record<string, string>;
}

/** A contact.created delivery of about `bytes` bytes (its `notes` padded), with a new event id. */
export const delivery = (bytes: number, now = Date.now()): Delivery => {
  const eventId = `evt_bench_${randomUUID()}`;
  const bare = signedDelivery('contact.created', { secret: SECRET, eventId, now });
  const notes = 'Met at the fair; wants a demo in spring. '.repeat(
    Math.max(0, Math.ceil((bytes - bare.body.length) / 42)),
  );
  const sent = signedDelivery('contact.created', {
    secret: SECRET,
    eventId,
    now,
    data: { notes },
  });
  const body = Buffer.from(sent.body);
  const id = `msg_${eventId}`;
  const timestamp = String(Math.floor(now / 1000));
  const peerSignature = createHmac('sha256', Buffer.from(PEER_SECRET, 'base64'))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64');
  return {
    body,
    headers: sent.headers,
    peerHeaders: {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${peerSignature}`,
    },
  };
};
