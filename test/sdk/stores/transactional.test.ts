/**
 * The transactional PostgreSQL store on a real server, under the receiver: the claim commits
 * with the handler's own writes (exactly-once effects), and whatever stops an event (a throw,
 * the deadline, a commit that fails) keeps neither, so ISAO's retry runs it once more.
 */
import type { Pool } from 'pg';
import { Webhooks, type WebhookError } from '../../../sdk/src/index';
import { PostgresTransactionalStore, type PgQueryable } from '../../../sdk/src/postgres-store';
import { signedDelivery } from '../../../sdk/src/testing';
import { checkContract, useServers } from './fixture';

const { connect } = useServers();
const SECRET = 'whsec_transactional';

let pool: Pool;
let table = 0;

/** A store on its own table, a receiver on it, and the effects table its handler writes. */
const setup = async (options: { deadline?: number } = {}) => {
  table += 1;
  const store = new PostgresTransactionalStore(pool, { table: `tx_${String(table)}` });
  await store.createTable();
  const effects = `effects_${String(table)}`;
  await pool.query(
    `CREATE TABLE ${effects} (event_id text NOT NULL, checked int REFERENCES checks (id) DEFERRABLE INITIALLY DEFERRED)`,
  );
  const errors: WebhookError[] = [];
  const webhooks = new Webhooks({ secrets: SECRET, store, ...options });
  webhooks.onError((error) => errors.push(error));
  const count = async () =>
    (await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${effects}`)).rows[0]?.n;
  const write = (db: PgQueryable, id: string | null, checked: number | null = null) =>
    db.query(`INSERT INTO ${effects} (event_id, checked) VALUES ($1, $2)`, [id, checked]);
  const doneRows = async () =>
    (
      await pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM tx_${String(table)} WHERE token IS NULL`,
      )
    ).rows[0]?.n;
  return { store, webhooks, errors, count, write, doneRows };
};

const delivery = (eventId: string) => signedDelivery('deal.won', { secret: SECRET, eventId });

beforeAll(async () => {
  pool = connect.pgPool(12);
  await pool.query('CREATE TABLE checks (id int PRIMARY KEY)');
  await pool.query('INSERT INTO checks VALUES (1)');
});

describe('PostgresTransactionalStore', () => {
  it('keeps the contract', async () => {
    const { store } = await setup();
    await checkContract(store, 1_000_000, 'contract');
  });

  it('commits the handler’s writes with the claim: a retry is a duplicate, written once', async () => {
    const { store, webhooks, count, write, doneRows } = await setup();
    webhooks.on('deal.won', async (event) => {
      await write(store.transaction(event), event.id);
    });
    const sent = delivery('evt_once');
    expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(200);
    const retry = await webhooks.receive(sent.body, sent.headers);
    expect(retry.body).toMatchObject({ ok: true, handled: 0, duplicates: 1 });
    expect(await count()).toBe('1');
    expect(await doneRows()).toBe('1');
  });

  it('rolls the writes back with the claim when the handler throws: the retry writes once', async () => {
    const { store, webhooks, count, write } = await setup();
    let fail = true;
    webhooks.on('deal.won', async (event) => {
      await write(store.transaction(event), event.id);
      if (fail) throw new Error('after the write');
    });
    const sent = delivery('evt_throw');
    expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(500);
    expect(await count()).toBe('0');
    fail = false;
    expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(200);
    expect((await webhooks.receive(sent.body, sent.headers)).body.duplicates).toBe(1);
    expect(await count()).toBe('1');
  });

  it('answers another delivery of the event in flight at once, while the first is open', async () => {
    const { store, webhooks, count, write } = await setup();
    let open: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    webhooks.on('deal.won', async (event) => {
      await write(store.transaction(event), event.id);
      entered();
      await opened;
    });
    const sent = delivery('evt_busy');
    const first = webhooks.receive(sent.body, sent.headers);
    await inside;
    const second = await webhooks.receive(sent.body, sent.headers);
    expect(second).toMatchObject({ status: 503, body: { problem: 'in-flight' } });
    open();
    expect((await first).status).toBe(200);
    expect(await count()).toBe('1');
  });

  it('past the deadline: 503, nothing kept, and the late handler’s writes fail', async () => {
    const { store, webhooks, count, write } = await setup({ deadline: 300 });
    let late: Promise<unknown> = Promise.resolve();
    let slow = true;
    webhooks.on('deal.won', async (event, { signal }) => {
      const db = store.transaction(event);
      await write(db, event.id);
      if (!slow) return;
      await new Promise((resolve) => {
        signal.addEventListener('abort', resolve);
      });
      // a handler that ignores the signal and writes on: its connection is closed
      late = write(db, event.id).then(
        () => 'written',
        (error: unknown) => (error instanceof Error ? error.message : 'failed'),
      );
    });
    const sent = delivery('evt_late');
    expect(await webhooks.receive(sent.body, sent.headers)).toMatchObject({
      status: 503,
      body: { problem: 'deadline' },
    });
    expect(await late).not.toBe('written');
    expect(await count()).toBe('0');
    slow = false;
    expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(200);
    expect(await count()).toBe('1');
  });

  it('a commit that fails keeps nothing and answers 503, so ISAO retries it', async () => {
    const { store, webhooks, errors, count, write, doneRows } = await setup();
    let checked = 2;
    webhooks.on('deal.won', async (event) => {
      // checks has no row 2: the deferred foreign key fails at COMMIT, not before
      await write(store.transaction(event), event.id, checked);
    });
    const sent = delivery('evt_commit');
    const answer = await webhooks.receive(sent.body, sent.headers);
    expect(answer).toMatchObject({ status: 503, body: { ok: false, problem: 'store' } });
    expect(answer.body.message).toBe(
      'Event deal.won "evt_commit" was not kept: the transaction of event "evt_commit" could not commit, so none of its writes were kept. ISAO will retry it.',
    );
    expect(errors.map((error) => error.answer.status)).toEqual([503]);
    expect(await count()).toBe('0');
    expect(await doneRows()).toBe('0');
    checked = 1;
    expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(200);
    expect(await count()).toBe('1');
  });

  it('a release rolls back at once, a handler query still running included: the retry claims it', async () => {
    const { store, count, write } = await setup();
    for (const round of [1, 2, 3]) {
      const id = `evt_release_${String(round)}`;
      const claim = await store.claim(id, { now: 0, leaseMs: 1000 });
      if (claim.state !== 'first') throw new Error(`expected a first claim, got ${claim.state}`);
      const db = store.transaction({ id });
      await write(db, id);
      // a handler past its deadline, in the middle of a long query
      const running = db.query('SELECT pg_sleep(30)').catch(() => 'ended');
      expect(await store.release(id, claim.token)).toBe(true);
      const retry = await store.claim(id, { now: 0, leaseMs: 1000 });
      expect(retry.state).toBe('first');
      expect(await running).toBe('ended');
      if (retry.state === 'first') await store.release(id, retry.token);
    }
    expect(await count()).toBe('0');
  });

  it('has no transaction for an event without an id, nor outside a handler', async () => {
    const { store } = await setup();
    expect(() => store.transaction({ id: null, name: 'deal.won' })).toThrow(
      'this deal.won has no eventId, so it is not de-duplicated and has no transaction: use the pool for its writes.',
    );
    expect(() => store.transaction({ id: 'evt_x' })).toThrow(
      'event "evt_x" holds no claim of this store now (called outside its handler, or after its deadline): use the pool for its writes.',
    );
  });

  it('a connection lost while its handler runs: 503, no crash, and the retry is kept once', async () => {
    const { store, webhooks, count, write, errors } = await setup();
    let cut = true;
    webhooks.on('deal.won', async (event) => {
      const db = store.transaction(event);
      if (cut) {
        cut = false;
        // the server ends the claim's connection (a restart, a failover, an administrator)
        const ended = await pool.query<{ pid: number }>(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND pid <> pg_backend_pid()",
        );
        expect(ended.rowCount).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return;
      }
      await write(db, event.id);
    });
    const sent = delivery('evt_lost');
    expect(await webhooks.receive(sent.body, sent.headers)).toMatchObject({
      status: 503,
      body: { problem: 'store' },
    });
    expect(errors.map((error) => error.answer.body.problem)).toEqual(['store']);
    expect((await webhooks.receive(sent.body, sent.headers)).status).toBe(200);
    expect(await count()).toBe('1');
  });

  it('gives the connection back to the pool after each event, kept or not', async () => {
    const small = connect.pgPool(2);
    const store = new PostgresTransactionalStore(small, { table: 'tx_pool' });
    await store.createTable();
    const webhooks = new Webhooks({ secrets: SECRET, store });
    let n = 0;
    webhooks.on('deal.won', () => {
      n += 1;
      if (n % 2 === 0) throw new Error('every other one');
    });
    for (let i = 0; i < 10; i += 1) {
      const sent = delivery(`evt_pool_${String(i)}`);
      await webhooks.receive(sent.body, sent.headers);
      await webhooks.receive(sent.body, sent.headers);
    }
    // the first event runs once, each other one fails once first
    expect(n).toBe(19);
    expect(small.totalCount - small.idleCount).toBe(0);
    // given back without the store's listener: none left behind on a connection lent 20 times
    const [first, second] = [await small.connect(), await small.connect()];
    expect([first.listenerCount('error'), second.listenerCount('error')]).toEqual([0, 0]);
    first.release();
    second.release();
  });
});
