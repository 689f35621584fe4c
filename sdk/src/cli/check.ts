/**
 * `isao check URL --secret S`: a receiver graded as ISAO's deliveries would stress it, one line
 * of a report card each. What a receiver must do: take a valid delivery (2xx within ISAO's 30 s),
 * refuse a tampered one (a letter changed after signing), an unsigned and a stale one (4xx: never
 * run them), run one event once when it arrives five times at once (one answer says handled; the
 * others say duplicate, as a 200 whose JSON has `duplicates` and no `handled`, or
 * `duplicate: true`, or are 503 in-flight), and take the bytes as sent: emoji and U+2028, a
 * pretty-printed body, a body arriving in slow chunks.
 * An effect cannot be seen from outside: the duplicate line grades the answers.
 */
import type { IsaoEvent } from '../../../core/events';
import { isRecord } from '../../../core/inputs';
import { delivered, ISAO_DELIVERY } from '../../../core/schedule';
import { DEDUP_TTL_SECONDS } from '../../../core/signatures';
import { signedDelivery, type DeliveryOptions, type SignedDelivery } from '../testing';
import type { Output } from './output';
import { described, send, type Sent } from './send';

export interface Grade {
  check: string;
  passed: boolean;
  /** What the receiver answered. */
  got: string;
  /** What to fix, on a failure. */
  fix?: string;
}

const TIMEOUT = { timeoutMs: ISAO_DELIVERY.timeoutMs };

const refused = ({ status = 0 }: Sent): boolean => status >= 400 && status < 500;

/** What an answer says it did: handled, duplicate, in flight (503), or something else. */
export const kindOf = (sent: Sent): 'handled' | 'duplicate' | 'in-flight' | 'other' => {
  if (sent.status === 503) return 'in-flight';
  if (!delivered(sent.status)) return 'other';
  let body: unknown;
  try {
    // Stryker disable next-line StringLiteral: no text and any text that is not JSON read alike
    body = JSON.parse(sent.text ?? '');
  } catch {
    // not JSON: a plain answer, handled (below)
  }
  if (!isRecord(body)) return 'handled';
  const counted = typeof body.duplicates === 'number' && body.duplicates > 0 && !body.handled;
  return counted || body.duplicate === true ? 'duplicate' : 'handled';
};

/** A delivery of the event under check, signed with its secret unless the options say. */
type Make = (options?: Partial<DeliveryOptions>) => SignedDelivery;

interface Case {
  check: string;
  run: (url: URL, make: Make) => Promise<Grade>;
}

/** A check sending one delivery and expecting it taken (2xx) or refused (4xx). */
const one = (
  check: string,
  expect: 'taken' | 'refused',
  build: (make: Make) => {
    body: Uint8Array;
    headers: Record<string, string>;
    /** Where to cut the body, its pieces sent `gapMs` apart (send.ts). */
    cuts?: readonly number[];
  },
  fix: string,
  gapMs = 0,
): Case => ({
  check,
  run: async (url, make) => {
    const { body, headers, cuts } = build(make);
    const sent = await send(url, body, headers, { ...TIMEOUT, cuts, gapMs });
    const passed = expect === 'taken' ? delivered(sent.status) : refused(sent);
    return { check, passed, got: described(sent), ...(passed ? {} : { fix }) };
  },
});

const encoder = new TextEncoder();

/**
 * A delivery's text with the first letter of data.id in upper case (every event's sample has one,
 * a letter first): the body keeps its length and shape, so that only the signature can tell.
 */
export const tampered = (text: string): string =>
  text.replace(/(?<="data":\{"id":")[a-z]/, (letter) => letter.toUpperCase());

/** The emoji line's name: a character of 2, 4, 2 and 3 bytes in UTF-8. */
const NAME = 'Zoë 🚀 Ünal\u2028line two';

const CASES: readonly Case[] = [
  one(
    'a valid event is taken (2xx within 30 s)',
    'taken',
    (make) => make(),
    'Answer 2xx within 30 s once the signature is verified; do slow work after answering, or within a deadline.',
  ),
  one(
    'a tampered copy is refused (4xx)',
    'refused',
    (make) => {
      const sent = make();
      return { body: encoder.encode(tampered(sent.text)), headers: sent.headers };
    },
    'Verify the X-Isao-Hmac-Sha256 signature over the exact bytes received, and answer 401 when it does not match.',
  ),
  one(
    'an unsigned event is refused (4xx)',
    'refused',
    (make) => make({ secret: null }),
    'Refuse a delivery without an X-Isao-Hmac-Sha256 header (401): anyone can POST to your URL.',
  ),
  one(
    'a stale event is refused (4xx)',
    'refused',
    (make) => make({ now: Date.now() - (DEDUP_TTL_SECONDS + 3600) * 1000 }),
    'Refuse a signed event whose timestamp is older than the replay window (2 hours), so a captured delivery cannot be sent again.',
  ),
  {
    check: 'the same event 5 times at once runs once (one handled, others duplicate or 503)',
    run: async (url, make) => {
      const check =
        'the same event 5 times at once runs once (one handled, others duplicate or 503)';
      const delivery = make();
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => send(url, delivery.body, delivery.headers, TIMEOUT)),
      );
      const retry = await send(url, delivery.body, delivery.headers, TIMEOUT);
      const kinds = burst.map(kindOf);
      const handled = kinds.filter((kind) => kind === 'handled').length;
      const passed =
        handled === 1 && kinds.every((kind) => kind !== 'other') && kindOf(retry) === 'duplicate';
      const got = `${kinds.join(', ')}; a retry after them: ${kindOf(retry)} (${described(retry)})`;
      return {
        check,
        passed,
        got,
        ...(passed
          ? {}
          : {
              fix: 'Claim each metadata.eventId before running it: a second request for the same id answers 503 while the first runs, and 200 with duplicates: 1 (not handled again) once it completed. @isao/webhooks does this.',
            }),
      };
    },
  },
  one(
    'emoji and U+2028 in the body are taken',
    'taken',
    (make) => {
      const sent = make({ data: { name: NAME } });
      // cut inside each character of more than one byte: a receiver decoding each piece as
      // text by itself garbles them
      let offset = 0;
      const cuts = Array.from(sent.text).flatMap((char) => {
        const at = offset;
        offset += encoder.encode(char).length;
        return offset - at > 1 ? [at + 1] : [];
      });
      return { ...sent, cuts };
    },
    'Verify the bytes as received, not text decoded (piece by piece) and encoded again.',
    50,
  ),
  one(
    'a pretty-printed body is taken',
    'taken',
    (make) => {
      const base = make();
      const text = JSON.stringify(JSON.parse(base.text), null, 2);
      return make({ body: text, eventId: base.eventId });
    },
    'Verify the bytes as received: a body parser that re-serialises the JSON changes them.',
  ),
  one(
    'a body arriving in slow chunks is taken',
    'taken',
    (make) => {
      const sent = make();
      const size = Math.ceil(sent.body.length / 5);
      // in 5 pieces
      return { ...sent, cuts: [1, 2, 3, 4].map((n) => n * size) };
    },
    'Read the whole body before verifying it, however slowly it arrives.',
    300,
  ),
];

export const CHECK_COUNT = CASES.length;

/** Grades the receiver at `url`: every check, in order, each with its own event id. */
export const check = async (
  url: URL,
  event: IsaoEvent,
  secret: string,
  out: Output,
): Promise<boolean> => {
  const grades: Grade[] = [];
  out.line(`isao check ${url.href} (${event})`);
  for (const [i, item] of CASES.entries()) {
    out.progress(`[${String(i + 1)}/${String(CASES.length)}] ${item.check}…`);
    const grade = await item.run(url, (options) => signedDelivery(event, { secret, ...options }));
    grades.push(grade);
    const mark = grade.passed ? out.paint('green', 'PASS') : out.paint('red', 'FAIL');
    out.line(`${mark}  ${grade.check}: ${grade.got}`);
    if (grade.fix !== undefined) out.line(out.paint('dim', `      fix: ${grade.fix}`));
  }
  const failed = grades.filter((grade) => !grade.passed).length;
  out.data({ url: url.href, event, passed: failed === 0, grades });
  out.line(
    failed === 0
      ? out.paint('green', `${String(grades.length)} of ${String(grades.length)} checks passed.`)
      : out.paint('red', `${String(failed)} of ${String(grades.length)} checks failed.`),
  );
  return failed === 0;
};
