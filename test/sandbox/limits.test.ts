/**
 * The sandbox stays bounded (sandbox/limits.ts): driven over real HTTP on 127.0.0.1 for thousands
 * of requests, everything it keeps stays within its limit, and what it keeps is the newest.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DEFAULT_LIMITS } from '../../sandbox/limits';
import { startCatchHook, type CatchHook } from '../../sandbox/local-zapier';
import { closeServer, listenLocally } from '../../sandbox/loopback';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { Envelope } from '../../sandbox/webhooks';
import { allowLoopback } from '../helpers';

type Out = Record<string, unknown>;

let sandbox: Sandbox | undefined;
let hooks: CatchHook;

beforeAll(async () => {
  allowLoopback();
  hooks = await startCatchHook();
});

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

afterAll(async () => {
  await hooks.close();
});

/** Runs task(0) … task(count - 1), `width` at a time. */
const inParallel = async (count: number, width: number, task: (i: number) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
};

const ids = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}_${String(from + i)}`);

const eventId = (raw: string) => (JSON.parse(raw) as Envelope).metadata.eventId;

describe('a long run stays within the default limits', () => {
  it('keeps the newest records, events and delivery attempts, however many requests came', async () => {
    const created = DEFAULT_LIMITS.records + 500;
    expect(created).toBeGreaterThan(DEFAULT_LIMITS.events); // every cap below is exceeded
    const box = await startSandbox({
      rateLimit: { requests: 1_000_000, windowMs: 60_000 },
      delivery: { backoffMs: 10, timeoutMs: 5000 },
    });
    sandbox = box;
    const path = '/bounded-long-run';
    // webhooks for the second half only (enough to pass the attempts limit, and quicker)
    const delivered = created / 2;
    expect(delivered).toBeGreaterThan(DEFAULT_LIMITS.deliveryAttempts);

    // in rounds, each waiting for its webhooks, so that none waits long enough to be dropped
    const round = 250;
    for (let done = 0; done < created; done += round) {
      if (done === created - delivered) {
        const sub = await box.call('POST', '/webhooks/subscribe', {
          event: 'contact.created',
          target_url: `${hooks.url}${path}`,
        });
        expect(sub.status).toBe(201);
      }
      await inParallel(round, 8, async (i) => {
        const key = i % 2 === 0 ? box.apiKey : box.restrictedApiKey;
        const res = await box.call(
          'POST',
          '/contacts',
          { name: `Load ${String(done + i)}`, phoneNumber: '+33612345678', tags: ['load'] },
          key,
        );
        expect(res.status).toBe(201);
      });
      await box.idle();
    }

    const sizes = box.sizes();
    expect(sizes).toEqual({
      contacts: DEFAULT_LIMITS.records,
      deals: 0,
      appointments: 0,
      events: DEFAULT_LIMITS.events,
      deliveryAttempts: DEFAULT_LIMITS.deliveryAttempts,
      subscriptions: 1,
      queuedDeliveries: 0,
      droppedDeliveries: 0,
      rateLimitWindows: 2, // one per key
    });

    // records: the newest kept, the oldest forgotten
    const kept = ids('contact', created - DEFAULT_LIMITS.records + 1, created);
    const oldest = await box.call('PATCH', `/sandbox/contacts/contact_1`, { position: 'CEO' });
    expect(oldest.status).toBe(404);
    const firstKept = await box.call('PATCH', `/sandbox/contacts/${kept[0]!}`, {
      position: 'CEO',
    });
    expect(firstKept.status).toBe(200);

    // events: the newest, in order; /recent reads them
    const lastEvents = box.events.slice(0, -1); // the PATCH above added contact.updated
    expect(lastEvents.map((e) => e.data.id)).toEqual(
      ids('contact', created - DEFAULT_LIMITS.events + 2, created),
    );
    expect(box.events.length).toBe(DEFAULT_LIMITS.events);
    const recent = await box.call('GET', '/triggers/contact.created/recent?limit=100');
    expect((recent.body as Out[]).map((c) => c.id)).toEqual(
      ids('contact', created - 99, created).reverse(),
    );

    // delivery attempts: the newest, matching what the target received last
    const received = hooks.caught.filter((h) => h.path === path);
    expect(received).toHaveLength(delivered);
    expect(box.deliveries.map((d) => d.eventId)).toEqual(
      received.slice(-DEFAULT_LIMITS.deliveryAttempts).map((h) => eventId(h.raw)),
    );
    expect(box.deliveries.every((d) => d.ok)).toBe(true);
    const listed = await box.call('GET', '/sandbox/deliveries');
    expect((listed.body as { data: Out[] }).data).toHaveLength(DEFAULT_LIMITS.deliveryAttempts);
  }, 120_000);
});

describe('each limit', () => {
  it('forgets the oldest deal and appointment beyond the record limit (404 after)', async () => {
    const box = await startSandbox({ rateLimit: false, limits: { records: 3 } });
    sandbox = box;
    for (let i = 1; i <= 5; i += 1) {
      expect((await box.call('POST', '/sandbox/deals', { title: `D${String(i)}` })).status).toBe(
        201,
      );
      const appt = await box.call('POST', '/sandbox/appointments', {
        startDateTime: '2030-01-15T09:00:00Z',
        client: { firstName: `C${String(i)}` },
      });
      expect(appt.status).toBe(201);
    }
    expect(box.sizes()).toMatchObject({ deals: 3, appointments: 3 });
    expect((await box.call('PATCH', '/sandbox/deals/deal_2', { value: 1 })).status).toBe(404);
    expect((await box.call('PATCH', '/sandbox/deals/deal_3', { value: 1 })).status).toBe(200);
    expect((await box.call('DELETE', '/sandbox/appointments/appt_2')).status).toBe(404);
    expect((await box.call('DELETE', '/sandbox/appointments/appt_5')).status).toBe(200);
    expect(box.sizes().appointments).toBe(2);
  });

  it('answers 413 to a record over the size limit, and keeps the record as it was', async () => {
    const box = await startSandbox({ rateLimit: false });
    sandbox = box;
    const tags = Array.from({ length: 200 }, (_, i) => `tag-${String(i)}-${'x'.repeat(100)}`);
    const big = await box.call('POST', '/contacts', {
      name: 'Big One',
      phoneNumber: '+33612345678',
      tags,
    });
    expect(big.status).toBe(413);
    expect((big.body as Out).message).toMatch(
      new RegExp(`^The contact would be \\d+ bytes as JSON; .* at most ${String(16 * 1024)} bytes`),
    );
    expect(box.sizes().contacts).toBe(0);

    const small = await box.call('POST', '/contacts', {
      name: 'Small One',
      phoneNumber: '+33612345678',
    });
    const id = String(((small.body as Out).data as Out).id);
    const grown = await box.call('PATCH', `/sandbox/contacts/${id}`, { tags, position: 'CEO' });
    expect(grown.status).toBe(413);
    const recent = await box.call('GET', '/triggers/contact.created/recent');
    expect(recent.body).toEqual([expect.objectContaining({ id, tags: [] })]);
    expect(box.events.map((e) => e.event)).toEqual(['contact.created']);
    const unchanged = await box.call('PATCH', `/sandbox/contacts/${id}`, { tags: ['ok'] });
    expect((unchanged.body as Out).data).toMatchObject({ tags: ['ok'] });
    expect((unchanged.body as Out).data).not.toHaveProperty('position');
  });

  it('answers 409 to one subscription more than the limit, until one is deleted', async () => {
    const box = await startSandbox({ rateLimit: false, limits: { subscriptions: 3 } });
    sandbox = box;
    const subscribe = () =>
      box.call('POST', '/webhooks/subscribe', {
        event: 'deal.won',
        target_url: 'https://hooks.example/catch',
      });
    const first = await subscribe();
    expect((await subscribe()).status).toBe(201);
    expect((await subscribe()).status).toBe(201);
    const over = await subscribe();
    expect(over.status).toBe(409);
    expect((over.body as Out).message).toMatch(/already has 3 webhook subscriptions/);
    await box.call('DELETE', '/webhooks/unsubscribe', {
      subscription_id: ((first.body as Out).data as Out).subscription_id,
    });
    expect((await subscribe()).status).toBe(201);
    expect(box.sizes().subscriptions).toBe(3);
  });

  describe('behind a target that holds every delivery until released', () => {
    let gate: Server;
    let gateUrl: string;
    let held: ServerResponse[];
    const received: string[] = [];
    beforeEach(async () => {
      held = [];
      received.length = 0;
      gate = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push(eventId(Buffer.concat(chunks).toString('utf8')));
          held.push(res);
        });
      });
      gateUrl = `${await listenLocally(gate)}/gate`;
    });
    afterEach(() => closeServer(gate));

    it('keeps the newest events waiting per subscription and drops the oldest waiting', async () => {
      const count = 40;
      const createAll = async (box: Sandbox) => {
        for (let i = 0; i < count; i += 1) {
          const name = `Q${String(i).padStart(2, '0')}`;
          await box.call('POST', '/contacts', { name, phoneNumber: '+33612345678' });
        }
      };
      // the size of the last events (ids, names, timestamps and event ids are all as long)
      const probe = await startSandbox({ rateLimit: false });
      await createAll(probe);
      const size = Buffer.byteLength(JSON.stringify(probe.events.at(-1)), 'utf8');
      await probe.close();

      const queued = 5;
      const box = await startSandbox({
        rateLimit: false,
        delivery: { timeoutMs: 10_000 },
        limits: { queuedBytesPerSubscription: Math.floor((queued + 0.5) * size) },
      });
      sandbox = box;
      await box.call('POST', '/webhooks/subscribe', {
        event: 'contact.created',
        target_url: gateUrl,
      });
      await createAll(box);
      // the first is in flight (held), the newest `queued` wait, the rest were dropped
      for (let waited = 0; held.length === 0 && waited < 5000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(box.sizes()).toMatchObject({
        queuedDeliveries: queued,
        droppedDeliveries: count - 1 - queued,
      });

      // release: every held delivery (and each next one) is answered 200
      const release = () => {
        for (const res of held.splice(0)) res.writeHead(200).end('{}');
      };
      const timer = setInterval(release, 5);
      try {
        await box.idle();
      } finally {
        clearInterval(timer);
      }
      const eventIds = box.events.map((e) => e.metadata.eventId);
      expect(received).toEqual([eventIds[0], ...eventIds.slice(-queued)]);
      expect(box.sizes().queuedDeliveries).toBe(0);
    });
  });
});
