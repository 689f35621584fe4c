/**
 * The conformance vectors' expected outcomes, from the core alone: the signature by
 * `signatureProblem` (core/signatures.ts) under each secret, the body by `eventsIn`
 * (core/webhook.ts), each event's record by `deliveryOf` (core/delivery.ts) over the whole body,
 * as a Zapier or n8n trigger reads it, replays included. Any receiver (the node and web paths of
 * @isao/webhooks, the Python package to come) must reach the same outcome from the same bytes.
 * The cases are in cases.ts; `npm run sdk:generate` writes conformance/vectors.json.
 */
import { deliveryOf } from '../../core/delivery';
import { EVENT_NAMES, EVENTS, isIsaoEvent } from '../../core/events';
import type { RawRecord } from '../../core/entities';
import type { EventRecord } from '../../core/records';
import {
  DEDUP_TTL_SECONDS,
  headerValue,
  replayProblem,
  SIGNATURE_HEADER,
  signatureProblem,
} from '../../core/signatures';
import { eventsIn, unwrapEvent, type WebhookItems } from '../../core/webhook';
import { PROBLEMS, type ProblemKind } from '../../sdk/src/problems';
import { CASES, type Case } from './cases';

export interface ExpectedEvent {
  name: string;
  id: string | null;
  occurredAt: string | null;
  data: RawRecord;
  record: EventRecord;
}

export interface ExpectedUnknown {
  name: string | null;
  id: string | null;
  occurredAt: string | null;
  data: RawRecord | null;
}

export type Expected =
  | {
      ok: true;
      signedWith: number;
      events: ExpectedEvent[];
      unknown: ExpectedUnknown[];
      skipped: number;
    }
  | { ok: false; status: number; problem: ProblemKind };

export interface Vector {
  name: string;
  secrets: string[];
  /** The time to judge replays at, epoch milliseconds. */
  now: number;
  /** The exact bytes, and their text when they are UTF-8. */
  body: { base64: string; text?: string };
  /** As on the wire, in order; a repeated header is read as its values joined by ", ". */
  headers: [string, string][];
  expected: Expected;
}

const refused = (problem: ProblemKind): Expected => ({
  ok: false,
  status: PROBLEMS[problem],
  problem,
});

/** The signature header as the core reads it from the wire's pairs. */
const headerOf = (headers: readonly [string, string][]): string | undefined => {
  const values = headers
    .filter(([name]) => name.toLowerCase() === SIGNATURE_HEADER.toLowerCase())
    .map(([, value]) => value);
  return headerValue({ [SIGNATURE_HEADER]: values.join(', ') }, SIGNATURE_HEADER);
};

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body's items, or why it holds none (the core's reading, after a UTF-8 decoder's). */
const itemsOf = (bytes: Uint8Array): WebhookItems | ProblemKind => {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return 'encoding';
  }
  if (text.startsWith('\uFEFF')) return 'bom';
  if (!text.trim()) return 'empty';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'json';
  }
  const read = eventsIn(parsed);
  return 'nothing' in read ? 'not-event' : read;
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The events of a verified body, in its order, as the core's triggers deliver them. */
const eventsOf = (read: WebhookItems, now: number): Expected => {
  const options = { signed: true, now, filters: undefined };
  // each event's records over the whole body: what its trigger delivers (repeats dropped)
  const delivered = new Map(
    EVENT_NAMES.map((event) => [event, deliveryOf(EVENTS[event], read, options).records]),
  );
  const events: ExpectedEvent[] = [];
  const unknown: ExpectedUnknown[] = [];
  let skipped = read.unreadable.length;
  let replays = 0;
  for (const item of read.events) {
    const { malformed, event: name, entity, meta } = unwrapEvent(item);
    const id = meta.id ?? null;
    const occurredAt = meta.occurred_at ?? null;
    const replay = replayProblem(occurredAt, id, now) !== undefined;
    if (malformed !== undefined) {
      skipped += 1;
    } else if (isIsaoEvent(name)) {
      const one = { events: [item], unreadable: [] };
      const [record] = deliveryOf(EVENTS[name], one, options).records;
      const [next] = delivered.get(name) ?? [];
      if (record === undefined || entity === undefined) {
        skipped += 1;
        // unsigned, the item has a record: the signed reading refused it as a replay
        if (deliveryOf(EVENTS[name], one, { ...options, signed: false }).records.length > 0) {
          replays += 1;
        }
      } else if (next !== undefined && same(next, record)) {
        delivered.get(name)?.shift();
        events.push({ name, id, occurredAt, data: entity, record });
      }
    } else if (replay) {
      skipped += 1;
      replays += 1;
    } else {
      unknown.push({ name: name ?? null, id, occurredAt, data: entity ?? null });
    }
  }
  if (events.length === 0 && unknown.length === 0 && skipped > 0) {
    return refused(replays === skipped ? 'replay' : 'unusable');
  }
  return { ok: true, signedWith: -1, events, unknown, skipped };
};

/** What the core makes of a case. */
export const expectedOf = ({ secrets, body, headers, now }: Case): Expected => {
  const header = headerOf(headers);
  const problems = secrets.map((secret) => signatureProblem(secret, body, header));
  const signedWith = problems.findIndex((problem) => problem === undefined);
  if (signedWith < 0) {
    // missing and malformed do not depend on the secret
    const kind = problems[0]?.kind;
    return refused(kind === 'missing' || kind === 'malformed' ? kind : 'mismatch');
  }
  const read = itemsOf(body);
  if (typeof read === 'string') return refused(read);
  const expected = eventsOf(read, now);
  return expected.ok ? { ...expected, signedWith } : expected;
};

/** Every case with its expected outcome. */
export const vectors = (): { about: string; rules: Record<string, unknown>; cases: Vector[] } => ({
  about:
    'Conformance vectors for ISAO webhook receivers, generated from the ISAO core by scripts/sdk/vectors.ts (npm run sdk:generate): never edit by hand. A receiver given `body` (its exact bytes) and `headers`, with `secrets` and the time `now`, must reach `expected`: the problem kind and HTTP status of a refusal, or the events in the body order (name, event id, timestamp, data as sent, the record the core shapes), the items naming no event of the table, and how many items were left out.',
  rules: {
    signatureHeader: SIGNATURE_HEADER,
    signature:
      'HMAC-SHA256 of the exact body bytes keyed with a secret (its UTF-8 bytes); 32 bytes as base64 or base64url (padded or not) or hex (either case), optionally after "sha256=" (any case). A repeated header is read as its values joined by ", ", which is no signature.',
    replayWindowSeconds: DEDUP_TTL_SECONDS,
    timestamp:
      'The envelope `timestamp` (never a header): ISO 8601, or an epoch number in seconds (below 1e11), milliseconds (from 1e11) or microseconds (from 1e14). Older than the window: refused; in the future or unreadable: accepted.',
    statuses: PROBLEMS,
  },
  cases: CASES.map((c) => {
    let text: string | undefined;
    try {
      text = UTF8.decode(c.body);
    } catch {
      text = undefined;
    }
    return {
      name: c.name,
      secrets: [...c.secrets],
      now: c.now,
      body: {
        base64: Buffer.from(c.body).toString('base64'),
        ...(text === undefined ? {} : { text }),
      },
      headers: c.headers.map(([name, value]): [string, string] => [name, value]),
      expected: expectedOf(c),
    };
  }),
});
