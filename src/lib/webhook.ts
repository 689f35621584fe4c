/**
 * The Zapier side of reading a webhook: which of the bundle's two copies of the body to read
 * (core/webhook.ts reads it), and a body with nothing to process as a deliberate halt.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { isRecord } from '../../core/inputs';
import {
  EMPTY_BODY,
  eventsIn,
  readWebhook,
  without,
  type WebhookItems,
  type WebhookRead,
} from '../../core/webhook';

/** What Zapier puts in cleanedRequest when it could not parse the body: the request itself. */
const REQUEST_ECHO = ['method', 'headers', 'content'];

/** The items, or a halt (visible in the Zap's history; nobody is notified) when there are none. */
const orHalt = (z: ZObject, read: WebhookRead): WebhookItems => {
  if ('nothing' in read) throw new z.errors.HaltedError(read.nothing);
  return read;
};

/**
 * The webhook's events. The raw body is read whenever Zapier passes it: exactly the bytes whose
 * signature was checked, and free of what Zapier adds to `cleanedRequest` (the URL's query
 * parameters as `querystring`; for a body it could not parse, the request itself as `{method,
 * querystring, headers, content}`). `cleanedRequest`, minus those, is the fallback.
 */
export const webhookEvents = (z: ZObject, bundle: Bundle): WebhookItems => {
  const raw = bundle.rawRequest?.content;
  const cleaned: unknown = bundle.cleanedRequest;
  if (typeof raw === 'string' && raw.trim()) {
    // Zapier parsed these same bytes into cleanedRequest: reuse its parse, without the
    // `querystring` it may add, unless the body itself has one (then only the raw body tells)
    if (!raw.includes('"querystring"')) {
      if (Array.isArray(cleaned) && cleaned.length > 0) return orHalt(z, eventsIn(cleaned));
      if (isRecord(cleaned) && !REQUEST_ECHO.every((key) => key in cleaned)) {
        const body = 'querystring' in cleaned ? without(cleaned, ['querystring']) : cleaned;
        if (body) return orHalt(z, eventsIn(body));
      }
    }
    return orHalt(z, readWebhook(raw));
  }
  if (Array.isArray(cleaned) && cleaned.length > 0) return orHalt(z, eventsIn(cleaned));
  if (isRecord(cleaned) && !REQUEST_ECHO.every((key) => key in cleaned)) {
    const body = without(cleaned, ['querystring']);
    if (body) return { events: [body], unreadable: [] };
  }
  throw new z.errors.HaltedError(EMPTY_BODY);
};
