/**
 * The receiver's claims (sdk/src/receiver.ts): de-duplication through the store, the lease, and
 * that no event is lost between a claim and its completion (the lease runs out on the injected
 * clock), nor when the store fails or answers late.
 */
import { MemoryStore, RetryableError, type DedupStore } from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';
import { NOW, SECRET, delivery, gate, receive, setup } from './receiving';

describe('the receiver', () => {
  it('answers 503 while another request handles the same event, then 200 as a duplicate', async () => {
    const { webhooks } = setup();
    const { opened, open } = gate();
    const handler = jest.fn(() => opened);
    webhooks.on('deal.won', handler);
    const first = receive(webhooks);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await receive(webhooks)).toEqual({
      status: 503,
      body: {
        ok: false,
        problem: 'in-flight',
        message:
          'Event deal.won "evt_r1" is being handled by another request now. ISAO will retry it.',
      },
    });
    open();
    expect((await first).status).toBe(200);
    expect((await receive(webhooks)).body.duplicates).toBe(1);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('loses no event to a worker that died after its claim: the retry after the lease runs it', async () => {
    const { webhooks, store, advance } = setup({ deadline: 1000, lease: 5000 });
    const handler = jest.fn();
    webhooks.on('deal.won', handler);
    // a worker claimed the event, then died before it completed it
    store.claim('evt_r1', { now: NOW, leaseMs: 5000 });
    expect((await receive(webhooks)).body.problem).toBe('in-flight');
    advance(4999);
    expect((await receive(webhooks)).body.problem).toBe('in-flight');
    advance(1);
    expect((await receive(webhooks)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('leases for the deadline plus 5 s by default', async () => {
    const { webhooks, store } = setup({ deadline: 2000 });
    webhooks.on('deal.won', () => undefined);
    const claim = jest.spyOn(store, 'claim');
    await receive(webhooks);
    expect(claim).toHaveBeenCalledWith('evt_r1', { now: NOW, leaseMs: 7000 });
  });

  it('takes a deadline, lease and replay window of 0 as given, not as the defaults', async () => {
    const { webhooks, store } = setup({ deadline: 0, lease: 0, tolerance: 0 });
    webhooks.on('deal.won', () => new Promise((resolve) => setTimeout(resolve, 20)));
    const claim = jest.spyOn(store, 'claim');
    const sent = signedDelivery('deal.won', { secret: SECRET, eventId: 'evt_r0', now: NOW });
    expect((await webhooks.receive(sent.body, sent.headers)).body.problem).toBe('deadline');
    expect(claim).toHaveBeenCalledWith('evt_r0', { now: NOW, leaseMs: 0 });
    // a completion is kept for the replay window: 0 s
    const { webhooks: quick, store: quickStore } = setup({ tolerance: 0 });
    const complete = jest.spyOn(quickStore, 'complete');
    expect((await quick.receive(sent.body, sent.headers)).status).toBe(200);
    expect(complete).toHaveBeenCalledWith('evt_r0', expect.any(String), { now: NOW, keepMs: 0 });
  });

  it('keeps a completed event for the replay window: a retry just inside it is a duplicate', async () => {
    const { webhooks, store, advance } = setup({ tolerance: 120 });
    const handler = jest.fn();
    webhooks.on('deal.won', handler);
    const complete = jest.spyOn(store, 'complete');
    expect((await receive(webhooks)).status).toBe(200);
    expect(complete).toHaveBeenCalledWith('evt_r1', expect.any(String), {
      now: NOW,
      keepMs: 120_000,
    });
    // signed 1 s before NOW: at NOW + 118.999 s it is still inside the 120 s window
    advance(118_999);
    expect((await receive(webhooks)).body).toMatchObject({ handled: 0, duplicates: 1 });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('claims an event id once for every item carrying it, and completes it after the last', async () => {
    const { webhooks, store } = setup();
    const items = ['deal_1', 'deal_2'].map((id) => {
      const envelope: Record<string, unknown> = JSON.parse(
        delivery('deal.updated', 'evt_same').text,
      );
      return { ...envelope, data: { id } };
    });
    const sent = delivery('deal.updated', 'evt_same', JSON.stringify(items));
    const complete = jest.spyOn(store, 'complete');
    const ran: unknown[] = [];
    webhooks.on('deal.updated', (event) => {
      expect(complete).not.toHaveBeenCalled();
      ran.push(event.data.id);
    });
    expect((await receive(webhooks, sent)).body).toMatchObject({ handled: 2, duplicates: 0 });
    expect(ran).toEqual(['deal_1', 'deal_2']);
    expect(complete).toHaveBeenCalledTimes(1);
    const claim = jest.spyOn(store, 'claim');
    expect((await receive(webhooks, sent)).body).toMatchObject({ handled: 0, duplicates: 2 });
    // one claim answers for both items
    expect(claim).toHaveBeenCalledTimes(1);
  });

  it('fails closed with 503 when the store fails, and says so when it cannot complete', async () => {
    const broken: DedupStore = {
      claim: () => Promise.reject(new Error('store down')),
      complete: () => true,
      release: () => true,
    };
    const down = setup({ store: broken });
    const handler = jest.fn();
    down.webhooks.on('deal.won', handler);
    expect((await receive(down.webhooks)).body).toEqual({
      ok: false,
      problem: 'store',
      message:
        'Could not claim event deal.won "evt_r1": the de-duplication store failed. ISAO will retry it.',
    });
    expect(handler).not.toHaveBeenCalled();
    const memory = new MemoryStore();
    const forgetful = setup({
      store: {
        claim: (id, lease) => memory.claim(id, lease),
        complete: () => {
          throw new Error('no write');
        },
        release: () => true,
      },
    });
    expect((await receive(forgetful.webhooks)).status).toBe(200);
    expect(forgetful.errors.map((error) => error.answer.body)).toEqual([
      {
        ok: false,
        problem: 'store',
        message:
          'Event deal.won "evt_r1" was handled, but the de-duplication store could not mark it done: a retry may run it again.',
      },
    ]);
  });

  it('answers 503 when the store does not answer within the deadline, and gives back a late claim', async () => {
    const memory = new MemoryStore();
    const { opened, open } = gate();
    const slow: DedupStore = {
      claim: async (id, lease) => {
        await opened;
        return memory.claim(id, lease);
      },
      complete: (id, token, keep) => memory.complete(id, token, keep),
      release: (id, token) => memory.release(id, token),
    };
    const { webhooks } = setup({ store: slow, deadline: 30 });
    expect((await receive(webhooks)).body).toEqual({
      ok: false,
      problem: 'deadline',
      message:
        'The de-duplication store did not answer for event deal.won "evt_r1" within 30 ms. ISAO will retry it.',
    });
    const release = jest.spyOn(memory, 'release');
    open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(release).toHaveBeenCalledTimes(1);
    expect(memory.size).toBe(0);
  });

  it('lets a claim that fails after the deadline pass without a trace', async () => {
    const { opened, open } = gate();
    const failing: DedupStore = {
      claim: async () => {
        await opened;
        throw new Error('store down, late');
      },
      complete: () => true,
      release: () => true,
    };
    const release = jest.spyOn(failing, 'release');
    const { webhooks } = setup({ store: failing, deadline: 20 });
    expect((await receive(webhooks)).body).toMatchObject({ problem: 'deadline' });
    open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(release).not.toHaveBeenCalled();
  });
});

/** A memory store with its completion and release replaced where given. */
const storeWith = (
  replace: Partial<Pick<DedupStore, 'complete' | 'release'>>,
): { store: DedupStore; memory: MemoryStore; released: string[] } => {
  const memory = new MemoryStore();
  const released: string[] = [];
  const store: DedupStore = {
    claim: (id, lease) => memory.claim(id, lease),
    complete: replace.complete ?? ((id, token, keep) => memory.complete(id, token, keep)),
    release:
      replace.release ??
      ((id, token) => {
        released.push(id);
        return memory.release(id, token);
      }),
  };
  return { store, memory, released };
};

const after = <T>(ms: number, value: () => T): Promise<T> =>
  new Promise((resolve) => {
    setTimeout(() => {
      resolve(value());
    }, ms);
  });

describe('the receiver waiting for its store', () => {
  it('leaves no timer running once it answers, after waiting for a completion', async () => {
    const { store, memory } = storeWith({
      complete: (id, token, keep) => after(10, () => memory.complete(id, token, keep)),
    });
    const { webhooks } = setup({ store });
    webhooks.on('deal.won', () => undefined);
    const timers = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    expect((await receive(webhooks)).status).toBe(200);
    expect(timers()).toBe(before);
  });

  it('answers 503 when a completion does not answer by the deadline or the lease, the claim kept', async () => {
    const { store, memory, released } = storeWith({ complete: () => new Promise(() => undefined) });
    const { webhooks, errors } = setup({ store, deadline: 20, lease: 60 });
    const handler = jest.fn();
    webhooks.on('deal.won', handler);
    const started = Date.now();
    const answer = {
      status: 503,
      body: {
        ok: false,
        problem: 'deadline',
        message:
          'Event deal.won "evt_r1" was handled, but the de-duplication store did not say within 60 ms whether it was kept. ISAO will retry it: a retry runs it again unless it was kept.',
      },
    };
    expect(await receive(webhooks)).toEqual(answer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(errors.map((error) => error.answer)).toEqual([answer]);
    expect(handler).toHaveBeenCalledTimes(1);
    // the completion may yet keep it: the claim is not released, its lease holds it
    expect(released).toEqual([]);
    expect(memory.size).toBe(1);
  });

  it.each([
    ['past the deadline, within the lease', { deadline: 20, lease: 150 }],
    ['within the deadline, past a shorter lease', { deadline: 150, lease: 20 }],
  ])('waits for a completion %s', async (_when, times) => {
    const { store, memory } = storeWith({
      complete: (id, token, keep) => after(60, () => memory.complete(id, token, keep)),
    });
    const { webhooks, errors } = setup({ store, ...times });
    webhooks.on('deal.won', () => undefined);
    expect((await receive(webhooks)).status).toBe(200);
    expect(errors).toEqual([]);
    expect((await receive(webhooks)).body.duplicates).toBe(1);
  });

  it('tells onError when the store answers that the claim had expired, and answers 200', async () => {
    const { store } = storeWith({ complete: () => false });
    const { webhooks, errors } = setup({ store, deadline: 1000, lease: 6000 });
    webhooks.on('deal.won', () => undefined);
    expect(await receive(webhooks)).toMatchObject({ status: 200, body: { handled: 1 } });
    expect(errors.map((error) => [error.answer.body, error.event?.id])).toEqual([
      [
        {
          ok: false,
          problem: 'store',
          message:
            'Event deal.won "evt_r1" was handled, but its claim had expired before it could be marked done (the `lease` of 6000 ms ran out): a retry or another worker may run it again. Set a `lease` longer than its handlers take.',
        },
        'evt_r1',
      ],
    ]);
  });

  it('releases the claim of a completion that kept nothing, so an immediate retry runs it', async () => {
    let fail = true;
    const { store, memory, released } = storeWith({
      complete: (id, token, keep) => {
        if (!fail) return memory.complete(id, token, keep);
        fail = false;
        throw new RetryableError('the transaction could not commit');
      },
    });
    const { webhooks } = setup({ store });
    const handler = jest.fn();
    webhooks.on('deal.won', handler);
    expect((await receive(webhooks)).body.problem).toBe('store');
    expect(released).toEqual(['evt_r1']);
    expect((await receive(webhooks)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('answers by the deadline or the lease when a release does not answer', async () => {
    const { store } = storeWith({ release: () => new Promise(() => undefined) });
    const { webhooks } = setup({ store, deadline: 20, lease: 60 });
    webhooks.on('deal.won', () => {
      throw new Error('broken');
    });
    const started = Date.now();
    expect((await receive(webhooks)).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('tells onError of a release that fails, then answers', async () => {
    const { store } = storeWith({ release: () => Promise.reject(new Error('store down')) });
    const { webhooks, errors } = setup({ store });
    webhooks.on('deal.won', () => {
      throw new RetryableError('later');
    });
    expect((await receive(webhooks)).body.problem).toBe('retryable');
    expect(
      errors.map((error) => [
        error.answer.body.problem,
        error.answer.body.message,
        String(error.cause),
      ]),
    ).toEqual([
      [
        'store',
        'Could not release the claim of event id "evt_r1": the de-duplication store failed. ISAO\'s retry finds it in flight until its `lease` of 15000 ms runs out.',
        'Error: store down',
      ],
      [
        'retryable',
        'A handler asked to retry event deal.won "evt_r1": "later". ISAO will retry it.',
        'RetryableError: later',
      ],
    ]);
  });
});
