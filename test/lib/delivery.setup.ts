/**
 * What the delivery tests (test/lib/delivery.*.test.ts) share: new_contact's perform through the
 * real core runtime, a webhook body, a delivery as Zapier hands it over (signed or not) and the
 * signature messages.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { hookBundle } from '../../sandbox/hook-bundle';
import { signWebhook } from '../../sandbox/signing';
import App from '../../src';
import { appTester, fullBundle, type BundleParts } from '../helpers';

export const SECRET = 'whsec_connection';
export const sign = (raw: string, secret = SECRET) => signWebhook(secret, raw);

export const perform = async (z: ZObject, bundle: Bundle) =>
  App.triggers.new_contact.operation.perform(z, bundle);

/** A contact.created webhook body; `timestamp` is written as given (a number, or none). */
export const body = (eventId = 'evt_1', timestamp: unknown = new Date().toISOString()) =>
  JSON.stringify({
    event: 'contact.created',
    timestamp,
    data: { id: 'contact_1', name: 'Ada' },
    metadata: { companyId: 'cmp_1', eventId, source: 'api' },
  });

/** A delivery as Zapier hands it to perform: parsed body, raw body, `Http-` headers. */
export const delivery = (raw: string, headers: Record<string, string>, extra: BundleParts = {}) =>
  fullBundle({
    authData: { api_key: 'k', webhook_secret: SECRET },
    subscribeData: { subscription_id: 'sub_1' },
    ...hookBundle(raw, headers),
    ...extra,
  });

export const run = (bundle: Bundle) => appTester(perform, bundle);

export const MALFORMED =
  'Rejected a webhook with a malformed X-Isao-Hmac-Sha256 header: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after "sha256=".';
export const MISMATCH =
  "Rejected a webhook whose X-Isao-Hmac-Sha256 signature does not match its body: it was altered or signed with another secret. Check that the Webhook Signing Secret in this Zap's ISAO connection matches the one in your ISAO webhook settings.";

/** The HMAC of `raw` as hex. */
export const hexSign = (raw: string) => Buffer.from(sign(raw), 'base64').toString('hex');

export const unsigned = (
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
