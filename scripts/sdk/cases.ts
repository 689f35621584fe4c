/**
 * The conformance cases: the bytes, headers, secrets and time of each delivery; vectors.ts
 * gives each its expected outcome from the core. Every body is built here, so the bytes are
 * exactly what is signed (an emoji, U+2028, invalid UTF-8, a byte order mark).
 */
import { createHash, createHmac } from 'node:crypto';
import { EVENT_NAMES, sampleOf } from '../../core/events';
import { SIGNATURE_HEADER } from '../../core/signatures';

export interface Case {
  name: string;
  secrets: readonly string[];
  now: number;
  body: Uint8Array;
  headers: readonly [string, string][];
}

const SECRET = 'whsec_conformance_current';
const PREVIOUS = 'whsec_conformance_previous';
const COMPANY = 'cmb72clgt0003145mvfrg8iyh';
export const NOW = Date.parse('2024-11-08T12:00:00.000Z');
const MINUTE = 60_000;
const WINDOW = 2 * 60 * MINUTE;

const iso = (ms: number): string => new Date(ms).toISOString();

/** An ISAO envelope, a minute old unless told otherwise. */
const envelope = (
  event: string,
  data: unknown,
  {
    id = 'evt_conf_0001',
    timestamp = iso(NOW - MINUTE),
  }: { id?: string; timestamp?: unknown } = {},
) => ({ event, timestamp, data, metadata: { companyId: COMPANY, eventId: id, source: 'api' } });

const CONTACT = envelope('contact.created', sampleOf('contact.created'));

const encoder = new TextEncoder();
const bytesOf = (body: unknown): Uint8Array =>
  body instanceof Uint8Array
    ? body
    : encoder.encode(typeof body === 'string' ? body : JSON.stringify(body));

const digest = (secret: string, body: Uint8Array): Buffer =>
  createHmac('sha256', secret).update(body).digest();
const base64 = (bytes: Buffer): string => bytes.toString('base64');

interface Options {
  secrets?: readonly string[];
  /** Who signs: a secret, or null for no signature header. */
  signWith?: string | null;
  /** How the digest is written in the header. */
  write?: (digest: Buffer) => string;
  /** The headers, given the signature header's value (default: Content-Type and it). */
  headers?: (signature: string) => [string, string][];
  now?: number;
}

const delivery = (name: string, body: unknown, options: Options = {}): Case => {
  const bytes = bytesOf(body);
  const signWith = options.signWith === undefined ? SECRET : options.signWith;
  const signature = signWith === null ? '' : (options.write ?? base64)(digest(signWith, bytes));
  const sent: [string, string][] = signWith === null ? [] : [[SIGNATURE_HEADER, signature]];
  const headers = options.headers?.(signature) ?? [['Content-Type', 'application/json'], ...sent];
  return {
    name,
    secrets: options.secrets ?? [SECRET],
    now: options.now ?? NOW,
    body: bytes,
    headers,
  };
};

const flipped = (body: unknown): Uint8Array => {
  const bytes = Uint8Array.from(bytesOf(body));
  bytes[10] = (bytes[10] ?? 0) ^ 0x01;
  return bytes;
};

const signatures: Case[] = [
  delivery('signature: base64, as ISAO sends it', CONTACT),
  delivery('signature: base64 without padding', CONTACT, {
    write: (d) => base64(d).replace(/=+$/, ''),
  }),
  delivery('signature: base64url', CONTACT, { write: (d) => d.toString('base64url') }),
  delivery('signature: base64url padded', CONTACT, { write: (d) => `${d.toString('base64url')}=` }),
  delivery('signature: hex', CONTACT, { write: (d) => d.toString('hex') }),
  delivery('signature: hex in capitals', CONTACT, {
    write: (d) => d.toString('hex').toUpperCase(),
  }),
  delivery('signature: sha256= and hex', CONTACT, { write: (d) => `sha256=${d.toString('hex')}` }),
  delivery('signature: SHA256= and base64', CONTACT, { write: (d) => `SHA256=${base64(d)}` }),
  delivery('signature: header name in lower case', CONTACT, {
    headers: (signature) => [[SIGNATURE_HEADER.toLowerCase(), signature]],
  }),
  delivery('signature: spaces around the value', CONTACT, { write: (d) => `  ${base64(d)} ` }),
  delivery('rotation: signed with the previous secret, both given', CONTACT, {
    secrets: [SECRET, PREVIOUS],
    signWith: PREVIOUS,
  }),
  delivery('rotation: signed with the current secret, both given', CONTACT, {
    secrets: [PREVIOUS, SECRET],
  }),
  delivery('rotation: signed with a secret not given', CONTACT, {
    secrets: [SECRET, PREVIOUS],
    signWith: 'whsec_someone_else',
  }),
  delivery('signature: another secret', CONTACT, { signWith: 'whsec_someone_else' }),
  delivery('signature: one byte of the body flipped', flipped(CONTACT), {
    write: () => base64(digest(SECRET, bytesOf(CONTACT))),
  }),
  delivery(
    'signature: the body re-serialised (pretty-printed) after signing',
    JSON.stringify(CONTACT, null, 2),
    {
      write: () => base64(digest(SECRET, bytesOf(CONTACT))),
    },
  ),
  delivery('signature: 31 bytes of hex', CONTACT, { write: (d) => d.toString('hex').slice(2) }),
  delivery('signature: a SHA-1 digest', CONTACT, {
    write: () => createHash('sha1').update(bytesOf(CONTACT)).digest('hex'),
  }),
  delivery('signature: base64 with a stray character', CONTACT, {
    write: (d) => `${base64(d).slice(0, 20)}!${base64(d).slice(21)}`,
  }),
  delivery('signature: 33 bytes of base64', CONTACT, {
    write: (d) => base64(Buffer.concat([d, Buffer.from([0])])),
  }),
  delivery('signature: header empty', CONTACT, { write: () => '' }),
  delivery('signature: header missing', CONTACT, { signWith: null }),
  delivery('signature: header sent twice, the same value', CONTACT, {
    headers: (signature) => [
      [SIGNATURE_HEADER, signature],
      [SIGNATURE_HEADER, signature],
    ],
  }),
  delivery('signature: header sent twice, one of them wrong', CONTACT, {
    headers: (signature) => [
      [SIGNATURE_HEADER, signature],
      [SIGNATURE_HEADER, base64(digest('whsec_someone_else', bytesOf(CONTACT)))],
    ],
  }),
];

const INVALID_UTF8 = Uint8Array.from([
  ...bytesOf('{"event":"contact.created","data":{"name":"'),
  0xc3,
  0x28,
  ...bytesOf('"}}'),
]);

const bodies: Case[] = [
  delivery(
    'body: an emoji in a name',
    envelope('contact.created', { ...sampleOf('contact.created'), name: 'Zoë 🎉 Smith' }),
  ),
  delivery(
    'body: U+2028 and U+2029 in a value',
    envelope('contact.updated', {
      ...sampleOf('contact.updated'),
      position: 'Head\u2028of\u2029Ops',
    }),
  ),
  delivery('body: pretty-printed as sent', JSON.stringify(CONTACT, null, 2)),
  delivery('body: invalid UTF-8, signed', INVALID_UTF8),
  delivery('body: invalid UTF-8, unsigned', INVALID_UTF8, { signWith: null }),
  delivery('body: empty, signed', ''),
  delivery('body: empty, unsigned', '', { signWith: null }),
  delivery('body: only white space, signed', ' \n\t '),
  delivery(
    'body: a UTF-8 byte order mark first',
    Uint8Array.from([0xef, 0xbb, 0xbf, ...bytesOf(CONTACT)]),
  ),
  delivery('body: not JSON', 'event=contact.created&id=contact_123'),
  delivery('body: JSON, not an event', '"contact.created"'),
  delivery('body: an empty list', '[]'),
];

const at = (timestamp: unknown, id = 'evt_conf_time') =>
  envelope('deal.won', sampleOf('deal.won'), { id, timestamp });
const STALE = NOW - WINDOW - MINUTE;
/** A date neither ISO 8601 nor RFC 2822 that JavaScript's Date.parse reads: 2024/11/08 09:59:00 UTC. */
const slashed = (ms: number): string =>
  `${iso(ms).slice(0, 19).replace(/-/g, '/').replace('T', ' ')} UTC`;

const timestamps: Case[] = [
  delivery('timestamp: ISO 8601, three hours old', at(iso(NOW - 3 * 60 * MINUTE))),
  delivery('timestamp: epoch seconds', at((NOW - MINUTE) / 1000)),
  delivery('timestamp: epoch seconds, stale', at(STALE / 1000)),
  delivery('timestamp: epoch milliseconds', at(NOW - MINUTE)),
  delivery('timestamp: epoch milliseconds, stale', at(STALE)),
  delivery('timestamp: epoch microseconds as text', at(String((NOW - MINUTE) * 1000))),
  delivery('timestamp: epoch microseconds, stale', at(String(STALE * 1000))),
  delivery(
    'timestamp: epoch seconds with a fraction, as text',
    at(`${String((NOW - MINUTE) / 1000)}.25`),
  ),
  delivery('timestamp: exactly at the edge of the window', at(iso(NOW - WINDOW))),
  delivery('timestamp: one millisecond past the window', at(iso(NOW - WINDOW - 1))),
  delivery('timestamp: a day in the future', at(iso(NOW + 24 * 60 * MINUTE))),
  delivery('timestamp: a date only Date.parse reads, stale', at(slashed(STALE))),
  delivery('timestamp: unreadable', at('tomorrow morning')),
  delivery('timestamp: none', { ...at(''), timestamp: undefined }),
  delivery('timestamp: a stale body under a fresh timestamp header', at(iso(STALE)), {
    headers: (signature) => [
      [SIGNATURE_HEADER, signature],
      ['X-Isao-Timestamp', iso(NOW)],
    ],
  }),
  delivery('timestamp: a fresh body under a stale timestamp header', at(iso(NOW - MINUTE)), {
    headers: (signature) => [
      [SIGNATURE_HEADER, signature],
      ['X-Isao-Timestamp', iso(STALE)],
    ],
  }),
];

const APPOINTMENT = sampleOf('appointment.created');
const CUSTOM_FIELDS = [
  { label: 'Phone', value: '+33 6 12 34 56 78' },
  { label: 'Phone #', value: '42' },
  { label: '電話', value: 'yes' },
  { label: 'phone', value: 'a second Phone, left in fields' },
  { fieldId: 'pref-7', value: 0 },
  { label: 'Notes', value: null, extendedValue: 'from extendedValue' },
];

const envelopes: Case[] = [
  delivery(
    'envelope: every event of the table, one batch',
    EVENT_NAMES.map((event, i) =>
      envelope(event, sampleOf(event), { id: `evt_conf_all_${String(i)}` }),
    ),
  ),
  delivery('envelope: flat, the record beside the event', {
    event: 'deal.created',
    timestamp: iso(NOW - MINUTE),
    ...sampleOf('deal.created'),
  }),
  delivery('envelope: data null', envelope('deal.updated', null)),
  delivery('envelope: an event that is not a name', envelope('42', sampleOf('deal.lost'))),
  delivery('envelope: topic, payload.appointment', {
    data: {
      event: {
        topic: 'appointment_create',
        id: 'evt_conf_topic',
        occuredAt: iso(NOW - MINUTE),
        businessId: 20398,
        payload: { appointment: APPOINTMENT },
      },
    },
  }),
  delivery('envelope: topic, the payload itself', {
    data: {
      event: {
        topic: 'appointment_update',
        eventId: 'evt_conf_topic_2',
        occurredAt: iso(NOW - MINUTE),
        appId: 'scheduler',
        payload: sampleOf('appointment.updated'),
      },
    },
  }),
  delivery('envelope: topic unknown to the table', {
    data: {
      event: { topic: 'invoice_paid', id: 'evt_conf_topic_3', payload: { id: 'inv_1', total: 90 } },
    },
  }),
  delivery(
    'envelope: an event unknown to the table, carrying no record',
    envelope('invoice.voided', null),
  ),
  delivery(
    'envelope: an event unknown to the table',
    envelope('invoice.paid', { id: 'inv_1', total: 90 }),
  ),
  delivery('envelope: a bare record', sampleOf('contact.created')),
  delivery(
    'envelope: appointment custom fields',
    envelope('appointment.created', { ...APPOINTMENT, fields: CUSTOM_FIELDS }),
  ),
  delivery(
    'envelope: a record without an id takes the event id',
    envelope(
      'contact.updated',
      { name: 'No Id', email: 'no.id@example.com' },
      { id: 'evt_conf_noid' },
    ),
  ),
  delivery('envelope: no event id and no record id', {
    event: 'contact.updated',
    timestamp: iso(NOW - MINUTE),
    data: { name: 'Nobody' },
  }),
];

const batches: Case[] = [
  delivery('batch: events, an unknown one, a malformed one and an item that is not an object', [
    envelope('deal.won', sampleOf('deal.won'), { id: 'evt_conf_b1' }),
    envelope('invoice.paid', { id: 'inv_2' }, { id: 'evt_conf_b2' }),
    envelope('7', {}, { id: 'evt_conf_b3' }),
    7,
    envelope('contact.created', sampleOf('contact.created'), { id: 'evt_conf_b4' }),
  ]),
  delivery('batch: only items that are not objects', [1, 'two', null]),
  delivery('batch: a stale event beside a fresh one', [
    at(iso(STALE), 'evt_conf_stale'),
    at(iso(NOW - MINUTE), 'evt_conf_fresh'),
  ]),
  delivery('batch: every event stale', [
    at(iso(STALE), 'evt_conf_s1'),
    at(STALE / 1000, 'evt_conf_s2'),
  ]),
  delivery('duplicate ids: the same event twice in one batch', [CONTACT, CONTACT]),
  delivery('duplicate ids: one event id, two different deals', [
    envelope(
      'deal.updated',
      { ...sampleOf('deal.updated'), id: 'deal_1' },
      { id: 'evt_conf_same' },
    ),
    envelope(
      'deal.updated',
      { ...sampleOf('deal.updated'), id: 'deal_2' },
      { id: 'evt_conf_same' },
    ),
  ]),
  delivery('duplicate ids: one contact, two updates', [
    envelope('contact.updated', sampleOf('contact.updated'), { id: 'evt_conf_u1' }),
    envelope('contact.updated', sampleOf('contact.updated'), { id: 'evt_conf_u2' }),
  ]),
];

export const CASES: readonly Case[] = [
  ...signatures,
  ...bodies,
  ...timestamps,
  ...envelopes,
  ...batches,
];
