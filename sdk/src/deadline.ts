/**
 * One delivery's deadline (receiver.ts): a timer that aborts the handlers' signal and settles
 * `reached` when it passes, and `passed`, which says at once whether it has. The receiver races
 * what it waits for (a store's answer, a handler's) against it. An answer that is no promise (the
 * memory store's, a handler that returns nothing) is taken as it is, without a race: the timer
 * cannot fire before it is read, so it would win the race anyway, one tick and two promises later.
 * For the same reason the timer is started only when something is first waited for: a
 * delivery whose store and handlers all answer at once never yields to the event loop, where
 * alone a timer can fire, so it needs none. Started late, the timer counts the time already
 * spent (a monotonic clock read at the start), so the deadline passes when it would have.
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
  private readonly controller = new AbortController();
  private readonly began = performance.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private settles: Promise<typeof DEADLINE> | undefined;

  constructor(
    private readonly ms: number,
    private readonly reason: () => unknown,
  ) {}

  /**
   * Aborted with `reason()` when it passes, before `reached` settles. Node makes a controller's
   * signal when it is first asked for (or aborted): a delivery whose handlers never read it
   * makes none.
   */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Settles with DEADLINE when it passes; asking for it starts the timer. */
  get reached(): Promise<typeof DEADLINE> {
    this.settles ??= new Promise((resolve) => {
      this.timer = setTimeout(
        () => {
          this.passed = true;
          this.controller.abort(this.reason());
          resolve(DEADLINE);
        },
        // Stryker disable next-line MethodExpression: a delay below 0 fires as 0 does; newer Node warns of it
        Math.max(0, this.ms - (performance.now() - this.began)),
      );
    });
    return this.settles;
  }

  /** Stops the timer: the delivery is answered. */
  clear(): void {
    clearTimeout(this.timer);
  }

  /** `answer` as it is; one that is waited for (a promise) starts the timer, as a race does. */
  running<T>(answer: T): T {
    // Stryker disable next-line ConditionalExpression: a timer started for an answer taken at once cannot fire before the delivery, which never yields, clears it: only its cost differs
    if (isThenable(answer)) void this.reached;
    return answer;
  }

  /** What `answer` settles to; DEADLINE when the deadline passes first, or passed already. */
  race<T>(answer: T | PromiseLike<T>): T | typeof DEADLINE | Promise<T | typeof DEADLINE> {
    if (this.passed) return DEADLINE;
    // Stryker disable next-line ConditionalExpression: racing an answer that is no thenable settles to it too, before the timer can fire: skipping the race saves two promises, nothing else
    if (!isThenable(answer)) return answer;
    return Promise.race([answer, this.reached]);
  }
}

/**
 * What a handler is given: the deadline's signal, made when first read. A class, its getter on
 * the prototype: an object literal with a getter, made for each handler, cost a 64 KB delivery
 * about twice the CPU time of its verify (`npm run bench:sdk`), the young-generation collector
 * copying the delivery's data over and over; with the class, about as much as the verify.
 */
export class HandlerSignal {
  constructor(private readonly deadline: Deadline) {}

  get signal(): AbortSignal {
    return this.deadline.signal;
  }
}
