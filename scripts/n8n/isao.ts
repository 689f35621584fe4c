/**
 * The ISAO side of the end-to-end run: the sandbox's subscriptions and events, a delivery posted
 * as ISAO posts it, and what the Zapier app's trigger makes of the same bytes (to compare).
 */
import path from 'node:path';
import { isRecord } from '../../core/inputs';
import { hookBundle, zapierHeaders } from '../../sandbox/hook-bundle';
import { startLocalZapier } from '../../sandbox/local-zapier';
import type { Sandbox } from '../../sandbox/server';
import { SIGNATURE_HEADER, type Envelope } from '../../sandbox/webhooks';
import { field, type Json } from './rest';
import { check } from './steps';

const APP = path.resolve(__dirname, '..', '..', '..', 'index.js');

/** The sandbox's subscriptions (GET /webhooks) targeting `url`. */
export const subscriptionsFor = async (sandbox: Sandbox, url: string): Promise<Json[]> => {
  const { body } = await sandbox.call('GET', '/webhooks');
  const data = field(body, 'data');
  return (Array.isArray(data) ? data : []).filter(isRecord).filter((s) => s.target_url === url);
};

/** Adds a contact in ISAO; returns its id and the event ISAO made of it (and delivers). */
export const addContact = async (
  sandbox: Sandbox,
  contact: Json,
): Promise<{ id: string; event: Envelope }> => {
  const res = await sandbox.call('POST', '/contacts', contact);
  const id = field(field(res.body, 'data'), 'id');
  const event = sandbox.events.at(-1);
  check(
    res.status === 201 && typeof id === 'string' && event?.event === 'contact.created',
    `the sandbox made no contact.created for ${JSON.stringify(contact)}`,
  );
  return { id, event };
};

/** POSTs exact bytes to n8n as ISAO's webhook delivery does (sandbox/webhooks.ts headers). */
export const deliver = async (url: string, raw: Buffer, event: Envelope, signature: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'ISAO-Webhooks/sandbox',
      'X-Isao-Event': event.event,
      'X-Isao-Event-Id': event.metadata.eventId,
      'X-Isao-Delivery-Attempt': '1',
      [SIGNATURE_HEADER]: signature,
    },
    body: raw,
  });
  return { status: res.status, body: await res.text() };
};

/** What the Zapier app's New Contact trigger makes of the same delivery (perform, via core). */
export const zapierRecords = async (
  sandbox: Sandbox,
  secret: string,
  raw: Buffer,
  signature: string,
): Promise<Json[]> => {
  const zapier = await startLocalZapier(APP, { ISAO_API_URL: sandbox.baseUrl });
  try {
    const records = await zapier.run('triggers.new_contact.operation.perform', {
      authData: { api_key: sandbox.apiKey, webhook_secret: secret },
      subscribeData: {},
      ...hookBundle(
        raw.toString('utf8'),
        zapierHeaders({ 'content-type': 'application/json', 'x-isao-hmac-sha256': signature }),
      ),
    });
    check(Array.isArray(records), 'the Zapier trigger returned no list');
    return records.filter(isRecord);
  } finally {
    await zapier.close();
  }
};

/** The keys whose values differ between two records, for a failure message. */
export const differences = (a: Json, b: Json): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
