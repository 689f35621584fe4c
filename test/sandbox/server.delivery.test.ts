/**
 * The sandbox ISAO API over real HTTP: webhook delivery (signature, retries, timeouts, filters,
 * ordering, never blocking the request that caused the event).
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../sandbox/loopback';
import { signWebhook } from '../../sandbox/signing';
import {
  type Out,
  SECRET,
  sandbox,
  hooks,
  call,
  subscribe,
  newContact,
  parse,
  deliveredIds,
  restartSandbox,
} from './server.setup';

describe('webhook delivery', () => {
  it('POSTs the ISAO envelope, signed over the exact body bytes, with a unique eventId', async () => {
    const { path } = await subscribe('contact.created');
    const contact = await newContact({ name: 'Zoë Ünïcode' });
    const hook = await hooks.next(path);
    const body = parse(hook.raw);
    expect(body).toEqual({
      event: 'contact.created',
      timestamp: expect.any(String),
      data: contact,
      metadata: {
        companyId: sandbox.company.id,
        eventId: expect.stringMatching(/^evt_/),
        source: 'api',
      },
    });
    const expected = signWebhook(SECRET, Buffer.from(hook.raw, 'utf8'));
    expect(hook.headers['x-isao-hmac-sha256']).toBe(expected);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-isao-event-id']).toBe(body.metadata.eventId);

    await newContact();
    const second = parse((await hooks.next(path)).raw);
    expect(second.metadata.eventId).not.toBe(body.metadata.eventId);
  });

  it('sends no signature header when no secret is configured', async () => {
    await restartSandbox({ delivery: { backoffMs: 10 } });
    const { path } = await subscribe('contact.created');
    await newContact();
    expect((await hooks.next(path)).headers['x-isao-hmac-sha256']).toBeUndefined();
  });

  it('delivers to every matching subscription and honours filters.tags', async () => {
    const all = await subscribe('contact.created');
    const vip = await subscribe('contact.created', { tags: ['vip', 'enterprise'] });
    const updates = await subscribe('contact.updated');
    const plain = await newContact({ tags: ['lead'] });
    const tagged = await newContact({ name: 'Grace Hopper', tags: ['VIP'] });
    await sandbox.idle();
    expect(deliveredIds(all.path)).toEqual([plain.id, tagged.id]);
    expect(deliveredIds(vip.path)).toEqual([tagged.id]);
    expect(deliveredIds(updates.path)).toEqual([]);
  });

  it('delivers deal.stage_changed only for the stages in filters.stage', async () => {
    const any = await subscribe('deal.stage_changed');
    const some = await subscribe('deal.stage_changed', { stage: ['proposal ', 'Closed Won'] });
    const res = await call('POST', '/sandbox/deals', { title: 'Big deal', stage: 'Qualified' });
    const path = `/sandbox/deals/${String(((res.body as Out).data as Out).id)}`;
    for (const stage of ['Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']) {
      expect((await call('PATCH', path, { stage })).status).toBe(200);
    }
    await sandbox.idle();
    const stages = (hookPath: string) =>
      hooks.caught.filter((h) => h.path === hookPath).map((h) => parse(h.raw).data.stage);
    expect(stages(any.path)).toEqual(['Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']);
    expect(stages(some.path)).toEqual(['Proposal', 'Closed Won']);
  });

  it('delivers appointments by staff (id or name) and location, every set filter matching', async () => {
    const byStaffId = await subscribe('appointment.created', { staff: ['7'] });
    const byStaffName = await subscribe('appointment.created', { staff: ['dr. ana JONES'] });
    const byLocation = await subscribe('appointment.created', { location: ['Lyon Office', '3'] });
    const both = await subscribe('appointment.created', {
      staff: ['Dr. Ana Jones'],
      location: ['Paris Office'],
    });
    const book = async (staff: Out, location: Out) => {
      const res = await call('POST', '/sandbox/appointments', {
        startDateTime: '2030-01-15T09:00:00Z',
        client: { firstName: 'Jon' },
        staff,
        location,
      });
      expect(res.status).toBe(201);
      return ((res.body as Out).data as Out).id;
    };
    const ana = { professionalId: 7, fullName: 'Dr. Ana Jones' };
    const bob = { professionalId: 8, fullName: 'Dr. Bob Smith' };
    const paris = { locationId: 3, locationName: 'Paris Office' };
    const lyon = { locationId: 4, locationName: 'Lyon Office' };
    const anaParis = await book(ana, paris);
    const anaLyon = await book(ana, lyon);
    const bobParis = await book(bob, paris);
    const bobElsewhere = await book(bob, { locationId: 5, locationName: 'Nice Office' });
    await sandbox.idle();
    expect(bobElsewhere).toBe('appt_4');
    expect(deliveredIds(byStaffId.path)).toEqual([anaParis, anaLyon]);
    expect(deliveredIds(byStaffName.path)).toEqual([anaParis, anaLyon]);
    expect(deliveredIds(byLocation.path)).toEqual([anaParis, anaLyon, bobParis]);
    expect(deliveredIds(both.path)).toEqual([anaParis]);
  });

  it('retries a failed delivery with the same eventId and body, then stops on success', async () => {
    const { path, subscription } = await subscribe('contact.created');
    hooks.failNext(2, 503);
    await newContact();
    const hook = await hooks.next(path);
    await sandbox.idle();
    const attempts = sandbox.deliveries.filter(
      (d) => d.subscriptionId === subscription.subscription_id,
    );
    expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 503, false],
      [2, 503, false],
      [3, 200, true],
    ]);
    expect(new Set(attempts.map((a) => a.eventId)).size).toBe(1);
    expect(parse(hook.raw).metadata.eventId).toBe(attempts[0]!.eventId);
    expect(hook.headers['x-isao-delivery-attempt']).toBe('3');
  });

  it('gives up after 3 retries (4 attempts)', async () => {
    const { subscription } = await subscribe('contact.created');
    hooks.failNext(10, 500);
    await newContact();
    await sandbox.idle();
    const attempts = sandbox.deliveries.filter(
      (d) => d.subscriptionId === subscription.subscription_id,
    );
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.every((a) => !a.ok)).toBe(true);
  });

  describe('with a target that never answers', () => {
    let silent: Server;
    let silentUrl: string;
    beforeEach(async () => {
      silent = createServer(() => undefined); // reads the request, never answers
      silentUrl = `${await listenLocally(silent)}/hang`;
    });
    afterEach(() => closeServer(silent));

    it('answers the API request first, and times out and retries the delivery', async () => {
      await restartSandbox({ delivery: { retries: 1, backoffMs: 10, timeoutMs: 300 } });
      await call('POST', '/webhooks/subscribe', {
        event: 'contact.created',
        target_url: silentUrl,
      });
      const contact = await newContact();
      expect(contact.id).toBe('contact_1'); // answered while the delivery is still waiting
      expect(sandbox.deliveries).toEqual([]);
      await sandbox.idle();
      expect(sandbox.deliveries.map((d) => [d.attempt, d.ok, d.error])).toEqual([
        [1, false, 'no answer within 300 ms'],
        [2, false, 'no answer within 300 ms'],
      ]);
    });
  });

  it('delivers one subscription’s events in order, even when the first needs retries', async () => {
    const { path } = await subscribe('contact.created');
    hooks.failNext(1);
    const first = await newContact({ name: 'First' });
    const second = await newContact({ name: 'Second' });
    await sandbox.idle();
    expect(deliveredIds(path)).toEqual([first.id, second.id]);
  });

  it('stops delivering (and retrying) once the subscription is deleted', async () => {
    // a backoff long enough that the unsubscribe surely lands before the retry is due
    await restartSandbox({
      signingSecret: SECRET,
      delivery: { backoffMs: 1000, timeoutMs: 500 },
    });
    const { path, subscription } = await subscribe('contact.created');
    const attempts = () =>
      sandbox.deliveries
        .filter((d) => d.subscriptionId === subscription.subscription_id)
        .map((d) => [d.attempt, d.status, d.ok]);
    hooks.failNext(1);
    await newContact();
    for (let waited = 0; attempts().length === 0 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(attempts()).toEqual([[1, 500, false]]);
    await call('DELETE', '/webhooks/unsubscribe', {
      subscription_id: subscription.subscription_id,
    });
    await newContact();
    await sandbox.idle();
    expect(hooks.caught.filter((h) => h.path === path)).toEqual([]);
    expect(attempts()).toEqual([[1, 500, false]]);
  });

  it('lists delivery attempts at GET /sandbox/deliveries', async () => {
    const { path } = await subscribe('contact.created');
    await newContact();
    await hooks.next(path);
    await sandbox.idle();
    const res = await call('GET', '/sandbox/deliveries');
    expect((res.body as Out).data).toEqual([
      expect.objectContaining({ event: 'contact.created', attempt: 1, ok: true, status: 200 }),
    ]);
  });
});
