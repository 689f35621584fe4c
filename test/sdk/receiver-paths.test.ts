/**
 * The receiver's two ways of waiting give the same answers: a store or a handler that answers
 * at once is taken without a race against the deadline (sdk/src/deadline.ts), one that answers
 * with a promise is raced; and the memory store, which finds its oldest entry from a list of its
 * own (sdk/src/store.ts), answers every operation as a plain Map's order would.
 */
import {
  MemoryStore,
  RetryableError,
  Webhooks,
  type Claim,
  type DedupStore,
  type WebhookError,
} from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';

const SECRET = 'whsec_paths';
const NOW = Date.parse('2024-11-08T12:00:00.000Z');

const delivery = (eventId: string | undefined, body?: string) =>
  signedDelivery('deal.won', {
    secret: SECRET,
    ...(eventId === undefined ? {} : { eventId }),
    now: NOW - 1000,
    ...(body === undefined ? {} : { body }),
  });

/** The same store, answering at once or through promises. */
const asAsync = (store: DedupStore): DedupStore => ({
  claim: async (id, lease) => Promise.resolve(store.claim(id, lease)),
  complete: async (id, token, keep) => Promise.resolve(store.complete(id, token, keep)),
  release: async (id, token) => Promise.resolve(store.release(id, token)),
});

type Step = 'ok' | 'retry' | 'fail';

/** A run of deliveries through a receiver whose store and handlers answer at once or not. */
const scenario = async (wait: boolean) => {
  const memory = new MemoryStore();
  const errors: WebhookError[] = [];
  const seen: string[] = [];
  let steps: Step[] = [];
  const webhooks = new Webhooks({
    secrets: SECRET,
    store: wait ? asAsync(memory) : memory,
    now: () => NOW,
  });
  webhooks.onError((error) => errors.push(error));
  webhooks.on('deal.won', (event) => {
    const step = steps.shift() ?? 'ok';
    seen.push(`${String(event.id)} ${step}`);
    const act = () => {
      if (step === 'retry') throw new RetryableError('later');
      if (step === 'fail') throw new Error('broken');
      return step;
    };
    return wait ? Promise.resolve().then(act) : act();
  });
  const answers = [];
  for (const [id, plan] of [
    ['e1', ['ok']],
    ['e1', []],
    ['e2', ['retry']],
    ['e2', ['fail']],
    ['e2', ['ok']],
    [undefined, ['ok']], // an event without an id: nothing claimed
  ] as const) {
    steps = [...plan];
    const sent =
      id === undefined
        ? delivery(id, JSON.stringify({ event: 'deal.won', data: { id: 'd1' } }))
        : delivery(id);
    answers.push(await webhooks.receive(sent.body, sent.headers));
  }
  return { answers, seen, errors: errors.map((error) => error.answer), held: memory.size };
};

describe('a store and handlers answering at once', () => {
  it('give the answers of ones answering with promises', async () => {
    const now = await scenario(false);
    const later = await scenario(true);
    expect(now).toEqual(later);
    expect(now.answers.map((answer) => answer.status)).toEqual([200, 200, 503, 500, 200, 200]);
    expect(now.seen).toEqual(['e1 ok', 'e2 retry', 'e2 fail', 'e2 ok', 'null ok']);
  });

  it('a store that throws at once fails as one whose promise rejects', async () => {
    const answers = [];
    for (const fail of [
      () => {
        throw new Error('down');
      },
      () => Promise.reject(new Error('down')),
    ]) {
      const causes: unknown[] = [];
      const store: DedupStore = {
        claim: fail,
        complete: () => true,
        release: () => true,
      };
      const webhooks = new Webhooks({ secrets: SECRET, store, now: () => NOW });
      webhooks.onError((error) => causes.push(error.cause));
      const sent = delivery('e1');
      answers.push({ answer: await webhooks.receive(sent.body, sent.headers), causes });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.answer).toMatchObject({ status: 503, body: { problem: 'store' } });
    expect(answers[0]?.causes).toEqual([new Error('down')]);
  });
});

describe('past the deadline', () => {
  it('a store that claims late gives its claim back; a handler met after it is still called', async () => {
    const memory = new MemoryStore();
    const released: string[] = [];
    let claims = 0;
    const store: DedupStore = {
      // the first claim answers past the deadline
      claim: (id, lease): Claim | Promise<Claim> => {
        claims += 1;
        const claim = memory.claim(id, lease);
        return claims === 1
          ? new Promise((resolve) =>
              setTimeout(() => {
                resolve(claim);
              }, 80),
            )
          : claim;
      },
      // the completion outlasts the deadline: what follows it in the body meets it passed
      complete: (id, token, keep) =>
        new Promise((resolve) =>
          setTimeout(() => {
            resolve(memory.complete(id, token, keep));
          }, 80),
        ),
      release: (id, token) => {
        released.push(id);
        return memory.release(id, token);
      },
    };
    const calls: string[] = [];
    const webhooks = new Webhooks({ secrets: SECRET, store, deadline: 40, now: () => NOW });
    webhooks.on('deal.won', (event) => {
      calls.push(String(event.data.title));
    });
    const late = delivery('e1');
    expect(await webhooks.receive(late.body, late.headers)).toMatchObject({
      status: 503,
      body: { problem: 'deadline' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(released).toEqual(['e1']);
    expect(calls).toEqual([]);

    const body = JSON.stringify([
      { event: 'deal.won', metadata: { eventId: 'e2' }, data: { id: 'd1', title: 'first' } },
      { event: 'deal.won', data: { id: 'd2', title: 'second, no id' } },
    ]);
    const two = delivery(undefined, body);
    expect(await webhooks.receive(two.body, two.headers)).toMatchObject({
      status: 503,
      body: {
        problem: 'deadline',
        message: 'The handlers of event deal.won did not finish within 40 ms. ISAO will retry it.',
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['first', 'second, no id']);
  });
});

describe('the handlers’ signal', () => {
  it('is aborted with the deadline’s reason, whether first read before it passed or after', async () => {
    const memory = new MemoryStore();
    const store: DedupStore = {
      claim: (id, lease) => memory.claim(id, lease),
      // the first completion outlasts the deadline: the next event's handler meets it passed
      complete: (id, token, keep) =>
        new Promise((resolve) =>
          setTimeout(() => {
            resolve(memory.complete(id, token, keep));
          }, 80),
        ),
      release: (id, token) => memory.release(id, token),
    };
    const webhooks = new Webhooks({ secrets: SECRET, store, deadline: 40, now: () => NOW });
    const signals: { signal: AbortSignal; aborted: boolean }[] = [];
    webhooks.on('deal.won', (_event, context) => {
      signals.push({ signal: context.signal, aborted: context.signal.aborted });
    });
    const body = JSON.stringify([
      { event: 'deal.won', metadata: { eventId: 'e1' }, data: { id: 'd1', title: 'first' } },
      { event: 'deal.won', data: { id: 'd2', title: 'second, no id: not claimed' } },
    ]);
    const sent = delivery(undefined, body);
    expect((await webhooks.receive(sent.body, sent.headers)).body.problem).toBe('deadline');
    // a handler met past the deadline is called, its answer not waited for
    await new Promise((resolve) => setImmediate(resolve));
    expect(signals.map(({ aborted }) => aborted)).toEqual([false, true]);
    for (const { signal } of signals) {
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toEqual(new RetryableError('The deadline passed.'));
    }
  });
});

describe('a deadline met only after handlers that answered at once', () => {
  it('counts the time they took: the first handler to answer with a promise meets it passed', async () => {
    const webhooks = new Webhooks({ secrets: SECRET, deadline: 40, now: () => NOW });
    const seen: string[] = [];
    webhooks.on('deal.won', () => {
      // answers at once, after 60 ms of work: no timer could fire meanwhile
      const until = Date.now() + 60;
      for (let now = Date.now(); now < until; now = Date.now());
      seen.push('worked');
    });
    webhooks.onAny(() => {
      seen.push('waits');
      return new Promise((resolve) => setTimeout(resolve, 30));
    });
    const sent = delivery('e1');
    expect(await webhooks.receive(sent.body, sent.headers)).toMatchObject({
      status: 503,
      body: { problem: 'deadline' },
    });
    expect(seen).toEqual(['worked', 'waits']);
  });
});

/** The memory store as it was: the oldest entry found by each Map's own iterator. */
class MapOrderStore {
  private readonly claims = new Map<string, { token: string; until: number }>();
  private readonly done = new Map<string, { until: number }>();
  private issued = 0;
  constructor(private readonly max: number) {}
  claim(id: string, now: number, leaseMs: number): string {
    const completed = this.done.get(id);
    if (completed && completed.until > now) return 'duplicate';
    const held = this.claims.get(id);
    if (held && held.until > now) return `in-flight ${String(held.until)}`;
    this.done.delete(id);
    this.claims.delete(id);
    if (this.claims.size + this.done.size >= this.max) {
      for (const map of [this.done, this.claims]) {
        for (const [key, { until }] of map) {
          if (until > now) break;
          map.delete(key);
        }
      }
      if (this.claims.size + this.done.size >= this.max) {
        const [first] = this.done.keys();
        if (first === undefined) return 'full';
        this.done.delete(first);
      }
    }
    this.issued += 1;
    this.claims.set(id, { token: `claim-${String(this.issued)}`, until: now + leaseMs });
    return `first claim-${String(this.issued)}`;
  }
  complete(id: string, token: string, now: number, keepMs: number): boolean {
    if (this.claims.get(id)?.token !== token) return false;
    this.claims.delete(id);
    this.done.set(id, { until: now + keepMs });
    return true;
  }
  release(id: string, token: string): boolean {
    return this.claims.get(id)?.token === token && this.claims.delete(id);
  }
}

describe('the memory store', () => {
  it('answers a long run of claims, completions and releases as a Map’s order would', () => {
    const store = new MemoryStore(4);
    const model = new MapOrderStore(4);
    // a fixed pseudo-random run: ids from a small pool, time moving, leases and keeps of two
    // lengths, so expired entries sit behind live ones and the list is made again many times
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    let now = 0;
    const tokens = new Map<string, string>();
    const answers: [string, string][] = [];
    for (let step = 0; step < 5000; step += 1) {
      now += next(30);
      const id = `e${String(next(12))}`;
      const op = next(10);
      if (op < 6) {
        const lease = next(2) === 0 ? 50 : 3000;
        let ours: string;
        try {
          const claim = store.claim(id, { now, leaseMs: lease });
          ours =
            claim.state === 'first'
              ? `first ${claim.token}`
              : claim.state === 'in-flight'
                ? `in-flight ${String(claim.until)}`
                : 'duplicate';
          if (claim.state === 'first') tokens.set(id, claim.token);
        } catch {
          ours = 'full';
        }
        answers.push([ours, model.claim(id, now, lease)]);
      } else {
        const token = next(4) === 0 ? 'claim-0' : (tokens.get(id) ?? 'claim-0');
        const keep = next(2) === 0 ? 100 : 900;
        const ours =
          op < 8 ? store.complete(id, token, { now, keepMs: keep }) : store.release(id, token);
        const theirs = op < 8 ? model.complete(id, token, now, keep) : model.release(id, token);
        answers.push([String(ours), String(theirs)]);
      }
    }
    // then ids claimed, none completed, past what it holds: both refuse the claim
    now += 10_000;
    for (const id of ['f1', 'f2', 'f3', 'f4', 'f5']) {
      let ours: string;
      try {
        const claim = store.claim(id, { now, leaseMs: 1000 });
        ours = claim.state === 'first' ? `first ${claim.token}` : claim.state;
      } catch {
        ours = 'full';
      }
      answers.push([ours, model.claim(id, now, 1000)]);
    }
    expect(answers.at(-1)).toEqual(['full', 'full']);
    expect(answers.filter(([ours, theirs]) => ours !== theirs)).toEqual([]);
    const kinds = new Set(answers.map(([ours]) => ours.split(' ')[0]));
    expect([...kinds].sort()).toEqual(
      ['duplicate', 'false', 'first', 'full', 'in-flight', 'true'].sort(),
    );
  });
});
