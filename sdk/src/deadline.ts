/**
 * One delivery's deadline (receiver.ts): a timer that aborts the handlers' signal and settles
 * `reached` when it passes, and `passed`, which says at once whether it has. The receiver races
 * what it waits for (a store's answer, a handler's) against it. An answer that is no promise (the
 * memory store's, a handler that returns nothing) is taken as it is, without a race: the timer
 * cannot fire before it is read, so it would win the race anyway, one tick and two promises later.
 */

export const DEADLINE = Symbol('deadline');

/** Whether a value is waited for, as `await` waits: a promise, or any other thenable. */
export const isThenable = (value: unknown): value is PromiseLike<unknown> => {
  // Stryker disable next-line BooleanLiteral: taking a value that is no thenable for one only races it, which settles to it too (see race)
  if (typeof value !== 'object' && typeof value !== 'function') return false;
  // Stryker disable next-line BooleanLiteral: the same, for null
  if (value === null) return false;
  // Stryker disable next-line ConditionalExpression: the same, for an object without a `then` method
  return typeof Reflect.get(value, 'then') === 'function';
};

/**
 * What a call answers, or what it threw as a rejected promise: a store that throws at once is
 * treated as one whose promise rejects.
 */
export const attempt = <T>(call: () => T): T | Promise<never> => {
  try {
    return call();
  } catch (cause) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the store threw, as it is: onError gets it as the cause
    return Promise.reject(cause);
  }
};

export class Deadline {
  /** Whether it passed: `reached` tells the same only a tick later. */
  passed = false;
  /** Settles with DEADLINE when it passes. */
  readonly reached: Promise<typeof DEADLINE>;
  /** Aborted with `reason()` when it passes, before `reached` settles. */
  readonly signal: AbortSignal;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(ms: number, reason: () => unknown) {
    const controller = new AbortController();
    this.signal = controller.signal;
    let reach: (value: typeof DEADLINE) => void = () => undefined;
    this.reached = new Promise((resolve) => {
      reach = resolve;
    });
    this.timer = setTimeout(() => {
      this.passed = true;
      controller.abort(reason());
      reach(DEADLINE);
    }, ms);
  }

  /** Stops the timer: the delivery is answered. */
  clear(): void {
    clearTimeout(this.timer);
  }

  /** What `answer` settles to; DEADLINE when the deadline passes first, or passed already. */
  race<T>(answer: T | PromiseLike<T>): T | typeof DEADLINE | Promise<T | typeof DEADLINE> {
    if (this.passed) return DEADLINE;
    // Stryker disable next-line ConditionalExpression: racing an answer that is no thenable settles to it too, before the timer can fire: skipping the race saves two promises, nothing else
    if (!isThenable(answer)) return answer;
    return Promise.race([answer, this.reached]);
  }
}
