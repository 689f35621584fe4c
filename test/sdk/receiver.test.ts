/**
 * The receiver (sdk/src/receiver.ts): handlers by event name, de-duplication through the store,
 * the deadline, what each kind of failure answers, and that no event is lost between a claim
 * and its completion (the lease runs out on the injected clock).
 */
import {
  Webhooks,
  MemoryStore,
  RetryableError,
  type AnyIsaoEvent,
  type DedupStore,
  type WebhookError,
} from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';

const SECRET = 'whsec_receiver';
const NOW = Date.parse('2024-11-08T12:00:00.000Z');

/** A receiver on a clock the test moves. */
const setup = (options: Partial<ConstructorParameters<typeof Webhooks>[0]> = {}) => {
  let now = NOW;
  const store = new MemoryStore();
  const errors: WebhookError[] = [];
  const webhooks = new Webhooks({ secrets: SECRET, store, now: () => now, ...options });
  webhooks.onError((error) => errors.push(error));
  return { webhooks, store, errors, advance: (ms: number) => (now += ms) };
};

const delivery = (
  event: Parameters<typeof signedDelivery>[0] = 'deal.won',
  eventId = 'evt_r1',
  body?: string,
) =>
  signedDelivery(event, {
    secret: SECRET,
    eventId,
    now: NOW - 1000,
    ...(body === undefined ? {} : { body }),
  });

const receive = (webhooks: Webhooks, sent = delivery()) =>
  webhooks.receive(sent.body, sent.headers);

/** A promise the test settles. */
const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

describe('the receiver', () => {
  it('runs the handlers of the event’s name, then onAny, and answers 200', async () => {
    const { webhooks } = setup();
    const seen: string[] = [];
    webhooks.on('deal.won', (event) => {
      seen.push(`won ${String(event.data.title)} ${String(event.record.stage)}`);
    });
    webhooks.on(['deal.lost', 'deal.won'], (event) => {
      seen.push(`won or lost ${event.name}`);
    });
    webhooks.on('contact.created', () => {
      seen.push('never');
    });
    webhooks.onAny((event) => {
      seen.push(`any ${event.name} ${String(event.id)}`);
    });
    expect(await receive(webhooks)).toEqual({
      status: 200,
      body: { ok: true, message: 'Handled 1 event(s).', handled: 1, duplicates: 0 },
    });
    expect(seen).toEqual([
      'won Enterprise plan – Tech Corp Closed Won',
      'won or lost deal.won',
      'any deal.won evt_r1',
    ]);
  });

  it('answers a retry 200 without running the handlers again', async () => {
    const { webhooks } = setup();
    const handler = jest.fn();
    webhooks.on('deal.won', handler);
    expect((await receive(webhooks)).status).toBe(200);
    expect(await receive(webhooks)).toEqual({
      status: 200,
      body: {
        ok: true,
        message: 'Handled 0 event(s); 1 already handled.',
        handled: 0,
        duplicates: 1,
      },
    });
    expect(handler).toHaveBeenCalledTimes(1);
    // another event id runs
    expect((await receive(webhooks, delivery('deal.won', 'evt_r2'))).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('answers 503 for a RetryableError and releases the claim, so the retry runs', async () => {
    const { webhooks, errors } = setup();
    let calls = 0;
    webhooks.on('deal.won', () => {
      calls += 1;
      if (calls === 1) throw new RetryableError('the CRM is down');
    });
    expect(await receive(webhooks)).toEqual({
      status: 503,
      body: {
        ok: false,
        problem: 'retryable',
        message:
          'A handler asked to retry event deal.won "evt_r1": "the CRM is down". ISAO will retry it.',
      },
    });
    expect(errors[0]?.answer.status).toBe(503);
    expect(errors[0]?.cause).toBeInstanceOf(RetryableError);
    expect(errors[0]?.event?.id).toBe('evt_r1');
    expect((await receive(webhooks)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('answers 500 for any other error, tells onError, and releases the claim too', async () => {
    const { webhooks, errors } = setup();
    let calls = 0;
    webhooks.on('deal.won', () => {
      calls += 1;
      if (calls === 1) throw new Error('secret internals');
    });
    const answer = await receive(webhooks);
    expect(answer).toEqual({
      status: 500,
      body: {
        ok: false,
        problem: 'failed',
        message: 'A handler failed on event deal.won "evt_r1". ISAO will retry it.',
      },
    });
    // what the handler threw stays with onError, never in the answer to the sender
    expect(JSON.stringify(answer)).not.toContain('secret internals');
    expect(errors.map((error) => [error.answer.body.problem, String(error.cause)])).toEqual([
      ['failed', 'Error: secret internals'],
    ]);
    expect((await receive(webhooks)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('answers 503 past the deadline, aborts the signal and releases the claim', async () => {
    const { webhooks } = setup({ deadline: 50 });
    const signals: AbortSignal[] = [];
    webhooks.on('deal.won', ({ name }, { signal }) => {
      signals.push(signal);
      return signals.length === 1 ? new Promise(() => undefined) : name;
    });
    const started = Date.now();
    expect(await receive(webhooks)).toEqual({
      status: 503,
      body: {
        ok: false,
        problem: 'deadline',
        message:
          'The handlers of event deal.won "evt_r1" did not finish within 50 ms. ISAO will retry it.',
      },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toEqual(new RetryableError('The deadline passed.'));
    expect(signals[0]?.reason).toHaveProperty('name', 'RetryableError');
    expect((await receive(webhooks)).status).toBe(200);
    expect(signals).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(false);
  });

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

  it('runs a batch in order, stopping at the first failure; the retry runs what is left', async () => {
    const { webhooks, store } = setup();
    const body = JSON.stringify(
      ['evt_b1', 'evt_b2', 'evt_b3'].map((eventId): unknown =>
        JSON.parse(delivery('deal.won', eventId).text),
      ),
    );
    const sent = delivery('deal.won', 'evt_batch', body);
    const ran: string[] = [];
    let failing = true;
    webhooks.on('deal.won', ({ id }) => {
      if (id === 'evt_b2' && failing) throw new RetryableError('not yet');
      ran.push(String(id));
    });
    const release = jest.spyOn(store, 'release');
    expect((await receive(webhooks, sent)).status).toBe(503);
    expect(ran).toEqual(['evt_b1']);
    // only the claim not completed is given back
    expect(release.mock.calls.map(([id]) => id)).toEqual(['evt_b2']);
    failing = false;
    expect((await receive(webhooks, sent)).body).toMatchObject({ handled: 2, duplicates: 1 });
    expect(ran).toEqual(['evt_b1', 'evt_b2', 'evt_b3']);
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

  it('runs an event without an id every time: nothing tells its retries apart', async () => {
    const { webhooks } = setup();
    const handler = jest.fn();
    webhooks.on('contact.updated', handler);
    const body = JSON.stringify({ event: 'contact.updated', data: { id: 'c1', name: 'No id' } });
    const sent = delivery('contact.updated', 'unused', body);
    await receive(webhooks, sent);
    await receive(webhooks, sent);
    expect(handler).toHaveBeenCalledTimes(2);
    // a failure names the event without an id
    handler.mockImplementation(() => {
      throw new Error('no');
    });
    expect((await receive(webhooks, sent)).body.message).toBe(
      'A handler failed on event contact.updated. ISAO will retry it.',
    );
  });

  it('acknowledges unknown events by default, or refuses them with 400 when told to', async () => {
    const body = JSON.stringify({
      event: 'invoice.paid',
      data: { id: 'inv_1' },
      metadata: { eventId: 'evt_i' },
    });
    const sent = delivery('deal.won', 'unused', body);
    const ignoring = setup().webhooks;
    const any = jest.fn();
    ignoring.onAny(any);
    expect((await receive(ignoring, sent)).body).toMatchObject({ ok: true, handled: 0 });
    expect(any).not.toHaveBeenCalled();
    const refusing = setup({ unknownEvents: 'refuse' });
    // the events it knows are handled
    expect((await receive(refusing.webhooks)).status).toBe(200);
    expect(refusing.errors.map((error) => error.name)).toEqual([]);
    expect(await receive(refusing.webhooks, sent)).toEqual({
      status: 400,
      body: {
        ok: false,
        problem: 'unknown',
        message: 'This receiver refuses events it does not know: "invoice.paid".',
      },
    });
    expect(refusing.errors.map((error) => error.name)).toEqual(['WebhookError']);
  });

  it('answers a refusal with its status and tells onError; what onError throws changes nothing', async () => {
    const { webhooks, errors } = setup();
    webhooks.onError(() => {
      throw new Error('a broken logger');
    });
    webhooks.onError(() => Promise.reject(new Error('a broken async logger')));
    const tampered = delivery();
    const answer = await webhooks.receive(
      tampered.text.replace('Tech Corp', 'Tech Co.'),
      tampered.headers,
    );
    expect(answer).toMatchObject({ status: 401, body: { ok: false, problem: 'mismatch' } });
    expect(errors.map((error) => error.answer)).toEqual([answer]);
    expect(errors[0]?.message).toBe(answer.body.message);
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

  it('refuses what cannot work when it is set up, not at the first delivery', () => {
    expect(() => new Webhooks({ secrets: '' })).toThrow(/`secrets` must be/);
    expect(() => new Webhooks({ secrets: SECRET, tolerance: -5 })).toThrow(/`tolerance` must be/);
    const { webhooks } = setup();
    // @ts-expect-error: not an event of the table
    expect(() => webhooks.on('deal.wonn', () => undefined)).toThrow(
      '@isao/webhooks: "deal.wonn" is not an ISAO event; the events are contact.created,',
    );
    const events: AnyIsaoEvent[] = [];
    expect(webhooks.onAny((event) => events.push(event))).toBe(webhooks);
  });
});
