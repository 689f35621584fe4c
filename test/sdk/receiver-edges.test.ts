/**
 * The receiver at its edges: what a handler may answer (nothing, null, a thenable that is not a
 * promise), the deadline once a delivery is answered or already passed, claims that come back
 * late, a completion that kept nothing, and an unknown item without a name.
 */
import {
  MemoryStore,
  RetryableError,
  Webhooks,
  type Claim,
  type DedupStore,
  type WebhookError,
} from '../../sdk/src/index';
import { delivery as sentOf, NOW, receive, SECRET } from './receiving';
import { sleep } from './stores/fixture';

/** A deal.won delivery with this event id (and body, when given). */
const delivery = (eventId: string, body?: string) => sentOf('deal.won', eventId, body);

const later = <T>(value: T, ms: number): Promise<T> =>
  new Promise((resolve) => {
    setTimeout(() => {
      resolve(value);
    }, ms);
  });

/** Two deal.won items in one body: the first with `first` as its id, the second with `second`. */
const twoItems = (first: string, second: string | undefined) =>
  delivery(
    'unused',
    JSON.stringify([
      { event: 'deal.won', metadata: { eventId: first }, data: { id: 'd1', title: 'first' } },
      {
        event: 'deal.won',
        ...(second === undefined ? {} : { metadata: { eventId: second } }),
        data: { id: 'd2', title: 'second' },
      },
    ]),
  );

/** A memory store whose completion takes 80 ms, and which records its releases. */
const slowCompletions = () => {
  const memory = new MemoryStore();
  const released: string[] = [];
  const store: DedupStore = {
    claim: (id, lease) => memory.claim(id, lease),
    complete: (id, token, keep) => later(memory.complete(id, token, keep), 80),
    release: (id, token) => {
      released.push(id);
      return memory.release(id, token);
    },
  };
  return { store, released };
};

describe('the receiver', () => {
  it('answers 200 for a handler that returns null, and 503 at the deadline for a thenable function that never settles', async () => {
    const webhooks = new Webhooks({ secrets: SECRET, deadline: 30, now: () => NOW });
    let answer: unknown = null;
    webhooks.on('deal.won', () => answer);
    expect(await receive(webhooks)).toMatchObject({ status: 200, body: { handled: 1 } });
    answer = Object.assign(() => undefined, { then: () => undefined });
    expect(await receive(webhooks, delivery('e2'))).toMatchObject({
      status: 503,
      body: { problem: 'deadline' },
    });
  });

  // an async handler is raced against the deadline, which starts its timer: answering stops it
  it.each([
    ['a plain', (): Promise<void> | undefined => undefined],
    ['an async', (): Promise<void> | undefined => Promise.resolve()],
  ])(
    'leaves the signal of a delivery it answered alone once the deadline’s time has passed (%s handler)',
    async (_kind, answer) => {
      const webhooks = new Webhooks({ secrets: SECRET, deadline: 20, now: () => NOW });
      const signals: AbortSignal[] = [];
      webhooks.on('deal.won', (_event, { signal }) => {
        signals.push(signal);
        return answer();
      });
      expect((await receive(webhooks)).status).toBe(200);
      await sleep(60);
      expect(signals.map((signal) => signal.aborted)).toEqual([false]);
    },
  );

  it('past the deadline, claims no further event: the answer names the store, the claim is given back', async () => {
    const { store, released } = slowCompletions();
    const webhooks = new Webhooks({ secrets: SECRET, store, deadline: 40, now: () => NOW });
    const ran: unknown[] = [];
    webhooks.on('deal.won', (event) => {
      ran.push(event.data.title);
    });
    expect(await receive(webhooks, twoItems('a1', 'a2'))).toEqual({
      status: 503,
      body: {
        ok: false,
        problem: 'deadline',
        message:
          'The de-duplication store did not answer for event deal.won "a2" within 40 ms. ISAO will retry it.',
      },
    });
    await sleep(10);
    expect(ran).toEqual(['first']);
    expect(released).toEqual(['a2']);
  });

  it('hands a handler met past the deadline the aborted signal, with the deadline as its reason', async () => {
    const { store } = slowCompletions();
    const webhooks = new Webhooks({ secrets: SECRET, store, deadline: 40, now: () => NOW });
    const seen: unknown[] = [];
    webhooks.on('deal.won', (event, { signal }) => {
      if (event.id === null) seen.push(signal.aborted, signal.reason);
    });
    expect((await receive(webhooks, twoItems('b1', undefined))).status).toBe(503);
    await sleep(10);
    expect(seen).toEqual([true, new RetryableError('The deadline passed.')]);
  });

  it('gives back no late claim that is not its own (a duplicate or one in flight)', async () => {
    for (const late of [{ state: 'duplicate' }, { state: 'in-flight', until: NOW }] as const) {
      const released: string[] = [];
      const store: DedupStore = {
        claim: (): Promise<Claim> => later(late, 60),
        complete: () => true,
        release: (id) => {
          released.push(id);
          return true;
        },
      };
      const webhooks = new Webhooks({ secrets: SECRET, store, deadline: 20, now: () => NOW });
      expect((await receive(webhooks)).body.problem).toBe('deadline');
      await sleep(80);
      expect(released).toEqual([]);
    }
  });

  it('answers 503 when the store’s completion kept nothing, with the store’s reason cut at 200 characters', async () => {
    const memory = new MemoryStore();
    const reason = `the transaction could not commit: ${'x'.repeat(300)}`;
    const cause = new RetryableError(reason);
    let fail = true;
    const store: DedupStore = {
      claim: (id, lease) => memory.claim(id, lease),
      complete: (id, token, keep) => {
        if (!fail) return memory.complete(id, token, keep);
        memory.release(id, token);
        throw cause;
      },
      release: (id, token) => memory.release(id, token),
    };
    const webhooks = new Webhooks({ secrets: SECRET, store, now: () => NOW });
    const errors: WebhookError[] = [];
    webhooks.onError((error) => errors.push(error));
    const handler = jest.fn();
    webhooks.on('deal.won', handler);
    const answer = {
      status: 503,
      body: {
        ok: false,
        problem: 'store',
        message: `Event deal.won "e1" was not kept: ${reason.slice(0, 200)}. ISAO will retry it.`,
      },
    };
    const sent = delivery('e1');
    expect(await receive(webhooks, sent)).toEqual(answer);
    expect(errors.map(({ answer: told, cause: why }) => [told, why])).toEqual([[answer, cause]]);
    // ISAO's retry runs the event again
    fail = false;
    expect((await receive(webhooks, sent)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('refusing unknown events, names an item without an event name as such', async () => {
    const webhooks = new Webhooks({ secrets: SECRET, unknownEvents: 'refuse', now: () => NOW });
    const sent = delivery('e1', JSON.stringify({ data: { id: 'x1' } }));
    expect(await receive(webhooks, sent)).toEqual({
      status: 400,
      body: {
        ok: false,
        problem: 'unknown',
        message: 'This receiver refuses events it does not know: "a record without an event name".',
      },
    });
  });
});
