/**
 * `isao trigger EVENT --forward-to URL`: deliveries built from the event table's sample (the
 * package's testing helper, signedDelivery), signed with the secret, sent one after another.
 * With `--like-isao`, each is sent on ISAO's schedule (core/schedule.ts, as the sandbox
 * delivers): 30 s per attempt, up to 3 retries with the same bytes and event id, in order.
 */
import { sampleOf, type IsaoEvent } from '../../../core/events';
import type { RawRecord } from '../../../core/entities';
import { isRecord } from '../../../core/inputs';
import { deliverOnSchedule, delivered, ISAO_DELIVERY } from '../../../core/schedule';
import { signedDelivery, type DeliveryOptions } from '../testing';
import { UsageError, type Output } from './output';
import { described, send, type Sent } from './send';

export interface TriggerArgs {
  event: IsaoEvent;
  forwardTo: URL;
  secret: string | null;
  sets: readonly string[];
  times: number;
  likeIsao: boolean;
}

/** A `--set` value: JSON when it reads as JSON (`42`, `true`, `["a"]`), else the text itself. */
const valueOf = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/** `data.a.b=value` laid over the record (a copy); a part that is not an object is replaced. */
const setIn = (record: RawRecord, path: readonly string[], value: unknown): RawRecord => {
  const [head, ...tail] = path;
  // Stryker disable next-line ConditionalExpression: overrides never passes an empty path (a guard for the type)
  if (head === undefined) return record;
  const inner = record[head];
  return {
    ...record,
    [head]: tail.length === 0 ? value : setIn(isRecord(inner) ? inner : {}, tail, value),
  };
};

const EXPECTED =
  'expected data.FIELD=VALUE (a dotted path under data), eventId=ID or timestamp=TIME';

/** The delivery's overrides from every `--set`: `data.…`, `eventId`, `timestamp`. */
export const overrides = (event: IsaoEvent, sets: readonly string[]): Partial<DeliveryOptions> => {
  let data = sampleOf(event);
  const options: Partial<DeliveryOptions> = {};
  for (const set of sets) {
    const refused = (what: string): UsageError =>
      new UsageError(`--set ${JSON.stringify(set)}: ${what}.`);
    const at = set.indexOf('=');
    if (at === -1) throw refused(EXPECTED);
    const key = set.slice(0, at);
    const value = set.slice(at + 1);
    const [root, ...path] = key.split('.');
    if (root === 'data' && path.length > 0 && path.every(Boolean)) {
      data = setIn(data, path, valueOf(value));
    } else if (key === 'eventId' || key === 'metadata.eventId') {
      if (!value.trim()) throw refused('an event id cannot be blank');
      options.eventId = value;
    } else if (key === 'timestamp') {
      const parsed = valueOf(value);
      options.timestamp = typeof parsed === 'number' ? parsed : value;
    } else {
      throw refused(EXPECTED);
    }
  }
  return { ...options, data };
};

const wait = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** What the answer said, on one short line. */
const said = (sent: Sent): string =>
  sent.text ? `: ${sent.text.replace(/\s+/g, ' ').slice(0, 200)}` : '';

export const trigger = async (args: TriggerArgs, out: Output): Promise<boolean> => {
  const options = overrides(args.event, args.sets);
  // said once the command line is known to be good
  if (args.secret === null)
    out.line('No --secret (or ISAO_WEBHOOK_SECRET), or a blank one: sending unsigned deliveries.');
  const schedule = args.likeIsao ? ISAO_DELIVERY : { ...ISAO_DELIVERY, retries: 0 };
  const report = [];
  for (let n = 1; n <= args.times; n += 1) {
    const delivery = signedDelivery(args.event, { ...options, secret: args.secret });
    const { attempts, outcome } = await deliverOnSchedule(
      schedule,
      async (attempt) => {
        const sent = await send(
          args.forwardTo,
          delivery.body,
          { ...delivery.headers, 'X-Isao-Delivery-Attempt': String(attempt) },
          // its timeoutMs: ISAO's 30 s per attempt
          schedule,
        );
        const mark = delivered(sent.status) ? out.paint('green', '✓') : out.paint('red', '✗');
        out.line(
          `${mark} ${String(n)}/${String(args.times)} ${args.event} ${delivery.eventId} attempt ${String(attempt)}: ${described(sent)}${said(sent)}`,
        );
        if (!delivered(sent.status) && attempt <= schedule.retries) {
          out.progress(
            `  retrying in ${String((schedule.backoffMs * 2 ** (attempt - 1)) / 1000)} s`,
          );
        }
        return { ...sent, attempt };
      },
      wait,
    );
    report.push({ eventId: delivery.eventId, delivered: outcome === 'delivered', attempts });
  }
  out.data({ event: args.event, forwardTo: args.forwardTo.href, deliveries: report });
  const failed = report.filter((item) => !item.delivered).length;
  out.line(
    failed === 0
      ? `${String(report.length)} delivered.`
      : out.paint(
          'red',
          `${String(failed)} of ${String(report.length)} not delivered (no 2xx answer).`,
        ),
  );
  return failed === 0;
};
