/**
 * ISAO's webhook signature, made the one way for whoever sends a signed webhook (the sandbox, the
 * bench, the tests): the `X-Isao-Hmac-Sha256` header's value is the base64 HMAC-SHA256 of the
 * exact body bytes, keyed with the signing secret. The app only verifies it (src/lib/delivery.ts,
 * `verifySignature`) and never imports this file, so it cannot pass its own check by sharing code
 * with the signer. Node built-ins only: the bench's measured processes load it.
 */
import { createHmac } from 'node:crypto';

/** The signature header's value for this body (a string is signed as its UTF-8 bytes). */
export const signWebhook = (secret: string, body: string | Buffer): string =>
  createHmac('sha256', secret).update(body).digest('base64');
