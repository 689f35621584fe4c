/**
 * What verifies a delivery and reads its JSON, per contender: ours (the package's `verify`,
 * which also reads the envelope into typed events and records), the floor (node:crypto's HMAC,
 * `timingSafeEqual` and `JSON.parse`, by hand) and the two Standard Webhooks libraries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { verify } from '../../sdk/src/index';
import { SIGNATURE_HEADER } from '../../core/signatures';
import { PEER_SECRET, SECRET, type Delivery } from './deliveries';

/** Verifies one delivery; returns something of its content, so no work is optimised away. */
export type Contender = (delivery: Delivery) => unknown;

/** The floor: what a careful hand-written receiver does and no less. */
export const floorCheck = (body: Buffer, signature: string | undefined): unknown => {
  const expected = createHmac('sha256', SECRET).update(body).digest();
  const given = Buffer.from(signature ?? '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Error('floor: the signature does not match');
  }
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  return parsed;
};

const standard = new StandardWebhook(PEER_SECRET);
const svix = new SvixWebhook(PEER_SECRET);

export const CONTENDERS = {
  ours: (delivery) => {
    const result = verify(delivery.body, delivery.headers, { secrets: SECRET });
    if (!result.ok) throw new Error(`ours: ${result.message}`);
    return result.events[0]?.record;
  },
  floor: (delivery) => floorCheck(delivery.body, delivery.headers[SIGNATURE_HEADER]),
  standardwebhooks: (delivery) => {
    standard.verify(delivery.body, delivery.peerHeaders);
    return true;
  },
  svix: (delivery) => {
    svix.verify(delivery.body, delivery.peerHeaders);
    return true;
  },
} satisfies Record<string, Contender>;

export type ContenderName = keyof typeof CONTENDERS;

/** The bare node:http handler: the floor's work on the request's bytes, then 200. */
export const bareHandler = (req: IncomingMessage, res: ServerResponse): void => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const signature = req.headers[SIGNATURE_HEADER.toLowerCase()];
    floorCheck(Buffer.concat(chunks), typeof signature === 'string' ? signature : undefined);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true, message: 'Handled.' }));
  });
};
