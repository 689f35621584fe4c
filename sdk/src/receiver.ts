/**
 * The receiver: verify a delivery, claim each event id (store.ts), run the handlers registered
 * for its name within a deadline, and answer as ISAO needs. ISAO waits 30 s and retries a
 * non-2xx answer up to 3 times with the same event id, so:
 *
 * - 200: every event was handled (or was a duplicate, not run again). A store that could not
 *   mark one done (it failed, or its claim had expired) is told to onError: a retry may run it.
 * - 400 / 401: refused (problems.ts); retrying the same bytes will not help.
 * - 503: retry later: a handler threw a RetryableError, the deadline passed, another worker is
 *   handling the event now, the store failed (fail closed), or its completion of an event
 *   handled kept nothing or did not answer in time (the deadline, or the lease if longer; the
 *   retry finds the event a duplicate if it was kept after all). The claims not completed are
 *   released first, waited for no longer than that, so ISAO's retry runs those events.
 * - 500: a handler threw any other error. Released too, so ISAO's retry runs it again (it
 *   retries any non-2xx): an event is never dropped for a bug. To drop one on purpose, return.
 *
 * A body's events run in order, one at a time; at the first that cannot complete now, the rest
 * wait for the retry. An event id's claim is completed once every item carrying it has run.
 */
import { EVENT_NAMES, isIsaoEvent, type IsaoEvent } from '../../core/events';
import { quote } from '../../core/inputs';
import { DEDUP_TTL_SECONDS } from '../../core/signatures';
import { attempt, Deadline, DEADLINE, HandlerSignal } from './deadline';
import { refuse, type ProblemKind, type ProblemStatus } from './problems';
import { receiverOptions, type WebhooksOptions } from './receiver-options';
import type { HeaderSource, RawBody } from './request';
import type { DedupStore } from './store';
import type { AnyIsaoEvent, EventOf, VerifyOptions, VerifyResult } from './types';

/** Throw it from a handler to have ISAO retry the event (answered 503, its claim released). */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
}

/** Why a delivery was not handled in full, as the receiver's onError handlers get it. */
export type FailureKind = 'retryable' | 'failed' | 'deadline' | 'in-flight' | 'store';

export interface Answer {
  status: ProblemStatus | 200 | 503;
  body: {
    ok: boolean;
    message: string;
    problem?: ProblemKind | FailureKind;
    handled?: number;
    duplicates?: number;
  };
}

/** What onError handlers get: a refusal, or a failure with the event it happened on. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    readonly answer: Answer,
    readonly event?: AnyIsaoEvent,
    options?: { cause?: unknown },
  ) {
    super(answer.body.message, options);
  }
}

export interface HandlerContext {
  /** Aborted when the deadline passes: stop, the event will be retried. */
  signal: AbortSignal;
}

type Handler = (event: AnyIsaoEvent, context: HandlerContext) => unknown;

export type Verifier = (
  raw: RawBody,
  headers: HeaderSource,
  options: VerifyOptions,
) => VerifyResult | Promise<VerifyResult>;

const answer = (status: Answer['status'], body: Answer['body']): Answer => ({ status, body });

const failure = (kind: FailureKind, message: string): Answer =>
  answer(kind === 'failed' ? 500 : 503, { ok: false, problem: kind, message });

const named = (event: AnyIsaoEvent): string =>
  `${event.name}${event.id === null ? '' : ` ${quote(event.id, 60)}`}`;

/** Whether the event is one of `names`: narrows it to their events. */
const isOneOf = <E extends IsaoEvent>(
  event: AnyIsaoEvent,
  names: readonly E[],
): event is EventOf<E> =>
  // Stryker disable next-line ConditionalExpression: a handler is listed only under the names it was given, so the event is one of them (the check narrows its type)
  names.some((name) => name === event.name);

/** Why a delivery stops before its end: the answer, and what caused it. */
interface Stop {
  stop: Answer;
  cause?: unknown;
}

export class Receiver {
  private readonly handlers = new Map<IsaoEvent, Handler[]>();
  private readonly anyHandlers: Handler[] = [];
  // Stryker disable next-line ArrayDeclaration: an entry that is no function throws when called, which report ignores as it does any failing onError handler
  private readonly errorHandlers: ((error: WebhookError) => unknown)[] = [];
  private readonly verifyOptions: Omit<VerifyOptions, 'now'>;
  private readonly store: DedupStore;
  private readonly deadlineMs: number;
  private readonly leaseMs: number;
  private readonly storeWaitMs: number;
  private readonly unknownEvents: 'ignore' | 'refuse';
  private readonly now: () => number;

  constructor(
    options: WebhooksOptions,
    private readonly verifier: Verifier,
  ) {
    ({
      verifyOptions: this.verifyOptions,
      store: this.store,
      deadlineMs: this.deadlineMs,
      leaseMs: this.leaseMs,
      storeWaitMs: this.storeWaitMs,
      unknownEvents: this.unknownEvents,
      now: this.now,
    } = receiverOptions(options));
  }

  /** Runs `handler` for each event of these names, its `data` and `record` typed by the name. */
  on<E extends IsaoEvent>(
    events: E | readonly E[],
    handler: (event: EventOf<E>, context: HandlerContext) => unknown,
  ): this {
    // a name given twice runs the handler once
    const names: readonly E[] = typeof events === 'string' ? [events] : [...new Set(events)];
    for (const name of names) {
      if (!isIsaoEvent(name)) {
        throw new TypeError(
          `@isao/webhooks: ${quote(name, 40)} is not an ISAO event; the events are ${EVENT_NAMES.join(', ')}.`,
        );
      }
      const list = this.handlers.get(name) ?? [];
      list.push((event, context) => (isOneOf(event, names) ? handler(event, context) : undefined));
      this.handlers.set(name, list);
    }
    return this;
  }

  /** Runs `handler` for every ISAO event, after the handlers of its name. */
  onAny(handler: (event: AnyIsaoEvent, context: HandlerContext) => unknown): this {
    this.anyHandlers.push(handler);
    return this;
  }

  /** Hears every refusal and failure (what it throws is ignored). */
  onError(handler: (error: WebhookError) => unknown): this {
    this.errorHandlers.push(handler);
    return this;
  }

  /** Verifies a delivery and handles its events: the answer to give ISAO. Never throws. */
  async receive(raw: RawBody, headers: HeaderSource): Promise<Answer> {
    const result = await this.verifier(raw, headers, { ...this.verifyOptions, now: this.now() });
    if (!result.ok) {
      return this.report(
        answer(result.status, { ok: false, problem: result.problem, message: result.message }),
      );
    }
    const [unknown] = result.unknown;
    if (unknown !== undefined && this.unknownEvents === 'refuse') {
      const refusal = refuse(
        'unknown',
        `This receiver refuses events it does not know: ${quote(unknown.name ?? 'a record without an event name', 60)}.`,
      );
      return this.report(
        answer(refusal.status, { ok: false, problem: refusal.problem, message: refusal.message }),
      );
    }
    const deadline = new Deadline(
      this.deadlineMs,
      () => new RetryableError('The deadline passed.'),
    );
    // what the store's completions and releases are waited for until (receiver-options.ts)
    const storeWait = new Deadline(this.storeWaitMs, () => undefined);
    try {
      return await this.handle(result.events, deadline, storeWait);
    } finally {
      deadline.clear();
      // a wait's timer left running past the answer would keep the process up until it fires
      storeWait.clear();
    }
  }

  private report(given: Answer, event?: AnyIsaoEvent, cause?: unknown): Answer {
    const error = new WebhookError(given, event, { cause });
    for (const handler of this.errorHandlers) {
      try {
        void Promise.resolve(handler(error)).catch(() => undefined);
      } catch {
        // an error handler's own failure changes nothing of the answer
      }
    }
    return given;
  }

  /** The event's claim: its token, a duplicate, or why the delivery stops here. */
  private async claim(
    event: AnyIsaoEvent,
    id: string,
    deadline: Deadline,
  ): Promise<{ token: string } | 'duplicate' | Stop> {
    const claiming = attempt(() =>
      this.store.claim(id, { now: this.now(), leaseMs: this.leaseMs }),
    );
    let claim;
    try {
      claim = await deadline.race(claiming);
    } catch (cause) {
      const message = `Could not claim event ${named(event)}: the de-duplication store failed. ISAO will retry it.`;
      return { stop: failure('store', message), cause };
    }
    if (claim === DEADLINE) {
      // a claim answered after the deadline is given back at once
      void Promise.resolve(claiming)
        .then((late) => (late.state === 'first' ? this.store.release(id, late.token) : undefined))
        .catch(() => undefined);
      const message = `The de-duplication store did not answer for event ${named(event)} within ${String(this.deadlineMs)} ms. ISAO will retry it.`;
      return { stop: failure('deadline', message) };
    }
    if (claim.state === 'in-flight') {
      const message = `Event ${named(event)} is being handled by another request now. ISAO will retry it.`;
      return { stop: failure('in-flight', message) };
    }
    return claim.state === 'duplicate' ? 'duplicate' : { token: claim.token };
  }

  /** Runs the event's handlers, then onAny's, one at a time; why it stopped, if it did. */
  private async run(event: AnyIsaoEvent, deadline: Deadline): Promise<Stop | undefined> {
    // the signal is asked for only by a handler that reads it (deadline.ts)
    const context = (): HandlerContext => new HandlerSignal(deadline);
    try {
      for (const handler of [...(this.handlers.get(event.name) ?? []), ...this.anyHandlers]) {
        // past the deadline (a store's completion outlasted it), a handler is still called, its
        // answer not waited for; before it, one that answers at once is not raced (deadline.ts)
        const ran = deadline.passed
          ? Promise.race([
              Promise.resolve().then(() => handler(event, context())),
              deadline.reached,
            ])
          : handler(event, context());
        if ((await deadline.race(ran)) === DEADLINE) {
          const message = `The handlers of event ${named(event)} did not finish within ${String(this.deadlineMs)} ms. ISAO will retry it.`;
          return { stop: failure('deadline', message) };
        }
      }
    } catch (cause) {
      const message =
        cause instanceof RetryableError
          ? `A handler asked to retry event ${named(event)}: ${quote(cause.message, 200)}. ISAO will retry it.`
          : `A handler failed on event ${named(event)}. ISAO will retry it.`;
      return {
        stop: failure(cause instanceof RetryableError ? 'retryable' : 'failed', message),
        cause,
      };
    }
    return undefined;
  }

  /**
   * Marks the event id done; a store that cannot (it fails, or answers false: the claim was no
   * longer in force) is told to onError, and the delivery goes on (the event was handled). A
   * store whose completion kept nothing (a transaction that could not commit) throws a
   * RetryableError: the delivery then stops with 503 (`keptNothing`: its claim is released), so
   * ISAO's retry runs the event again. A completion not answered within storeWaitMs may yet keep
   * it or not: the delivery stops with 503, the claim not released; the retry finds the event a
   * duplicate if it was kept, and runs it again if not.
   */
  private async complete(
    event: AnyIsaoEvent,
    [id, token]: readonly [string, string],
    deadline: Deadline,
    storeWait: Deadline,
  ): Promise<(Stop & { keptNothing?: true }) | undefined> {
    const keepMs = (this.verifyOptions.tolerance ?? DEDUP_TTL_SECONDS) * 1000;
    let done;
    try {
      // the deadline's timer is started too: what follows in the body meets it passed
      const completing = deadline.running(
        this.store.complete(id, token, { now: this.now(), keepMs }),
      );
      done = await storeWait.race(completing);
    } catch (cause) {
      if (cause instanceof RetryableError) {
        const message = `Event ${named(event)} was not kept: ${cause.message.slice(0, 200)}. ISAO will retry it.`;
        return { stop: failure('store', message), cause, keptNothing: true };
      }
      const message = `Event ${named(event)} was handled, but the de-duplication store could not mark it done: a retry may run it again.`;
      this.report(failure('store', message), event, cause);
      return undefined;
    }
    if (done === DEADLINE) {
      const message = `Event ${named(event)} was handled, but the de-duplication store did not say within ${String(this.storeWaitMs)} ms whether it was kept. ISAO will retry it: a retry runs it again unless it was kept.`;
      return { stop: failure('deadline', message) };
    }
    if (!done) {
      const message = `Event ${named(event)} was handled, but its claim had expired before it could be marked done (the \`lease\` of ${String(this.leaseMs)} ms ran out): a retry or another worker may run it again. Set a \`lease\` longer than its handlers take.`;
      this.report(failure('store', message), event);
    }
    return undefined;
  }

  /** The events in order, each claimed, run and completed; the answer once done or stopped. */
  private async handle(
    events: readonly AnyIsaoEvent[],
    deadline: Deadline,
    storeWait: Deadline,
  ): Promise<Answer> {
    const lastOf = new Map(
      // Stryker disable next-line ConditionalExpression: lastOf is read only for an id that is not null
      events.flatMap((event, i) => (event.id === null ? [] : [[event.id, i]])),
    );
    /** The claims this delivery holds and has not completed: released if it stops. */
    const held = new Map<string, string>();
    const claimed = new Set<string>();
    let handled = 0;
    let duplicates = 0;
    /** Releases the claims held, waiting for them no longer than storeWait; then the answer. */
    const stop = async ({ stop: given, cause }: Stop, event: AnyIsaoEvent): Promise<Answer> => {
      const releases = [...held].map(([id, token]) =>
        Promise.resolve()
          .then(() => this.store.release(id, token))
          .catch((failed: unknown) => {
            const message = `Could not release the claim of event id ${quote(id, 60)}: the de-duplication store failed. ISAO's retry finds it in flight until its \`lease\` of ${String(this.leaseMs)} ms runs out.`;
            this.report(failure('store', message), event, failed);
          }),
      );
      await storeWait.race(Promise.all(releases));
      return this.report(given, event, cause);
    };
    for (const [i, event] of events.entries()) {
      const { id } = event;
      if (id !== null && !held.has(id)) {
        // one claim answers for every item carrying the id
        const claim = claimed.has(id) ? 'duplicate' : await this.claim(event, id, deadline);
        claimed.add(id);
        if (claim === 'duplicate') {
          duplicates += 1;
          continue;
        }
        if ('stop' in claim) return stop(claim, event);
        held.set(id, claim.token);
      }
      const failed = await this.run(event, deadline);
      if (failed) return stop(failed, event);
      handled += 1;
      // Stryker disable next-line ConditionalExpression: held has no null key, so held.get would give undefined too (the check narrows the type)
      const token = id === null ? undefined : held.get(id);
      // Stryker disable next-line ConditionalExpression,LogicalOperator: an item with an id reaches here only with its claim held, so its token is there (the checks narrow the types)
      if (id !== null && token !== undefined && lastOf.get(id) === i) {
        const lost = await this.complete(event, [id, token], deadline, storeWait);
        // a completion that kept nothing is released with the rest; one that may have kept it is not
        if (lost?.keptNothing !== true) held.delete(id);
        if (lost) return stop(lost, event);
      }
    }
    const message = `Handled ${String(handled)} event(s)${duplicates > 0 ? `; ${String(duplicates)} already handled` : ''}.`;
    return answer(200, { ok: true, message, handled, duplicates });
  }
}
