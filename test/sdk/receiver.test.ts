/**
 * The receiver (sdk/src/receiver.ts): handlers by event name, the deadline, what each kind of
 * failure answers, batches, unknown events and refusals. Its claims on the de-duplication store
 * are in receiver-claims.test.ts.
 */
import { Webhooks, RetryableError, type AnyIsaoEvent } from '../../sdk/src/index';
import { SECRET, delivery, receive, setup } from './receiving';

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

  it('runs a handler given a name twice once for each event of that name', async () => {
    const { webhooks } = setup();
    const handler = jest.fn();
    webhooks.on(['deal.won', 'deal.lost', 'deal.won'], handler);
    expect((await receive(webhooks)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
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
