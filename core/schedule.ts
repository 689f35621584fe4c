/**
 * How ISAO delivers a webhook, as every sender here imitates it (the sandbox's delivery, the
 * `isao trigger --like-isao` of @isao/webhooks): each attempt waits at most 30 s for an answer;
 * a non-2xx answer, a timeout or a connection error is retried up to 3 times with the same bytes
 * and event id, after a backoff that doubles (1 s, 2 s, 4 s: ISAO's guide gives no backoff, so
 * this one is the sandbox's choice). The transport and the waiting are the caller's.
 */

export interface DeliverySchedule {
  /** Retries after the first attempt (ISAO: up to 3). */
  retries: number;
  /** Delay before retry n is backoffMs × 2^(n-1). */
  backoffMs: number;
  /** Per attempt (ISAO: 30 s). */
  timeoutMs: number;
}

export const ISAO_DELIVERY: DeliverySchedule = { retries: 3, backoffMs: 1000, timeoutMs: 30_000 };

/** Whether an attempt's answer ends the delivery: a 2xx status. */
export const delivered = (status: number | undefined): boolean =>
  // Stryker disable next-line ConditionalExpression: `undefined >= 200` is false as well; the check is there for the type
  status !== undefined && status >= 200 && status < 300;

/** What one attempt came to: the receiver's status, or why there was none. */
export interface Attempted {
  status?: number;
  error?: string;
}

/**
 * Attempts a delivery on the schedule: `attempt(n)` (1 for the first try) sends it, or resolves
 * undefined when the delivery must stop (the sender closed, the subscription removed). Resolves
 * with every attempt's result and how it ended.
 */
export const deliverOnSchedule = async <R extends Attempted>(
  schedule: DeliverySchedule,
  attempt: (n: number) => Promise<R | undefined>,
  wait: (ms: number) => Promise<void>,
): Promise<{ attempts: R[]; outcome: 'delivered' | 'given up' | 'stopped' }> => {
  const attempts: R[] = [];
  for (let n = 1; n <= schedule.retries + 1; n += 1) {
    const result = await attempt(n);
    if (result === undefined) return { attempts, outcome: 'stopped' };
    attempts.push(result);
    if (delivered(result.status)) return { attempts, outcome: 'delivered' };
    if (n <= schedule.retries) await wait(schedule.backoffMs * 2 ** (n - 1));
  }
  return { attempts, outcome: 'given up' };
};
