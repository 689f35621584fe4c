/**
 * The receiver's own options (receiver.ts), read once when it is made: a TypeError names one that
 * cannot work, as readOptions (pipeline.ts) does for the verify options. A deadline or lease is
 * the delay of a timer, which holds at most 2^31 − 1 ms (about 24.8 days): a longer one, like
 * Infinity or NaN, fires at once, which would answer every delivery that waits 503.
 */
import { readOptions, systemNow } from './pipeline';
import { MemoryStore, type DedupStore } from './store';
import type { VerifyOptions } from './types';

export interface WebhooksOptions extends Omit<VerifyOptions, 'now'> {
  /** Where event ids are claimed (default: a MemoryStore). */
  store?: DedupStore;
  /** How long handlers may take for one delivery, in ms (default 10 000; ISAO waits 30 000). */
  deadline?: number;
  /**
   * How long a claim holds if its worker dies, in ms (default: the deadline plus 5 000). The
   * store's completion or release is waited for until the deadline, or the lease if longer,
   * counted from the delivery's start: a completion not answered by then is answered 503.
   */
  lease?: number;
  /** Events not in the table: acknowledged unhandled (`ignore`, the default) or refused (400). */
  unknownEvents?: 'ignore' | 'refuse';
  /** The clock, in epoch ms (default: the system's). */
  now?: () => number;
}

export const DEFAULT_DEADLINE_MS = 10_000;
const LEASE_MARGIN_MS = 5_000;
/** The longest delay a timer holds. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/** `value` in ms, or `fallback` when not given; a TypeError names `name` when it cannot work. */
const delayOf = (value: unknown, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_DELAY_MS)) {
    const given = typeof value === 'number' ? String(value) : `a ${typeof value}`;
    throw new TypeError(
      `@isao/webhooks: \`${name}\` must be a number of milliseconds from 0 to ${String(MAX_DELAY_MS)} (a timer holds no longer); it is ${given}.`,
    );
  }
  return value;
};

export interface ReceiverOptions {
  verifyOptions: Omit<VerifyOptions, 'now'>;
  store: DedupStore;
  deadlineMs: number;
  leaseMs: number;
  /** How long a completion or release is waited for: the deadline, or the lease if longer. */
  storeWaitMs: number;
  unknownEvents: 'ignore' | 'refuse';
  now: () => number;
}

/** The options with their defaults; a TypeError names one that cannot work. */
export const receiverOptions = ({
  store,
  deadline,
  lease,
  unknownEvents,
  now,
  ...verifyOptions
}: WebhooksOptions): ReceiverOptions => {
  // a bad secret or tolerance is the code's mistake: say so now, not at the first delivery
  readOptions({ ...verifyOptions, now: 0 });
  const deadlineMs = delayOf(deadline, 'deadline', DEFAULT_DEADLINE_MS);
  const leaseMs = delayOf(lease, 'lease', Math.min(deadlineMs + LEASE_MARGIN_MS, MAX_DELAY_MS));
  return {
    verifyOptions,
    store: store ?? new MemoryStore(),
    deadlineMs,
    leaseMs,
    // while the lease holds, the claim is still this delivery's: its completion can be kept
    storeWaitMs: Math.max(deadlineMs, leaseMs),
    // Stryker disable next-line StringLiteral: only 'refuse' is acted on, any other value ignores
    unknownEvents: unknownEvents ?? 'ignore',
    now: now ?? systemNow,
  };
};
