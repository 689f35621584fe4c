/**
 * The PostgreSQL store with leases on a real server, through pg's Client and Pool: the table,
 * the contract, one atomic claim under concurrency, leases and keeps on the receiver's clock.
 */
import type { Client } from 'pg';
import { PostgresStore, postgresTableSql } from '../../../sdk/src/postgres-store';
import { checkContract, tokenOf, useServers } from './fixture';

const { connect } = useServers();

const rowsOf = async (db: Client, table = 'isao_webhook_events') =>
  (
    await db.query<{ event_id: string; token: string | null; held_until: string }>(
      `SELECT event_id, token, held_until::text FROM ${table} ORDER BY event_id`,
    )
  ).rows;

describe('PostgresStore', () => {
  it('creates its table only when asked, with the SQL postgresTableSql() shows', async () => {
    const db = await connect.pgClient();
    const store = new PostgresStore(db, { table: 'asked' });
    await expect(store.claim('evt', { now: 0, leaseMs: 1000 })).rejects.toThrow(
      'relation "asked" does not exist',
    );
    await store.createTable();
    await store.createTable();
    expect((await store.claim('evt', { now: 0, leaseMs: 1000 })).state).toBe('first');
    const sql = postgresTableSql({ table: 'shown' });
    await db.query(sql);
    expect(await rowsOf(db, 'shown')).toEqual([]);
    expect(postgresTableSql()).toBe(`CREATE TABLE IF NOT EXISTS isao_webhook_events (
  event_id text PRIMARY KEY,
  token text,
  held_until bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS isao_webhook_events_held_until ON isao_webhook_events (held_until);
`);
  });

  it.each([
    ['a Client', () => connect.pgClient()],
    ['a Pool', () => Promise.resolve(connect.pgPool())],
  ])('keeps the contract on %s', async (name, db) => {
    const store = new PostgresStore(await db(), { table: 'contract' });
    await store.createTable();
    await checkContract(store, 1_000_000, name);
  });

  it('writes the shared layout: the token while claimed, null once done, held_until in ms', async () => {
    const db = await connect.pgClient();
    const store = new PostgresStore(db, { table: 'public.layout' });
    await store.createTable();
    const token = tokenOf(await store.claim('evt_1', { now: 1_700_000_000_000, leaseMs: 15_000 }));
    expect(await rowsOf(db, 'layout')).toEqual([
      { event_id: 'evt_1', token, held_until: '1700000015000' },
    ]);
    await store.complete('evt_1', token, { now: 1_700_000_001_000, keepMs: 7_200_000 });
    expect(await rowsOf(db, 'layout')).toEqual([
      { event_id: 'evt_1', token: null, held_until: '1700007201000' },
    ]);
  });

  it('runs out a lease on the receiver clock: the next claim is first, the late worker locked out', async () => {
    const store = new PostgresStore(await connect.pgClient(), { table: 'leases' });
    await store.createTable();
    const late = tokenOf(await store.claim('evt', { now: 0, leaseMs: 1000 }));
    expect(await store.claim('evt', { now: 999, leaseMs: 1000 })).toEqual({
      state: 'in-flight',
      until: 1000,
    });
    const retry = tokenOf(await store.claim('evt', { now: 1000, leaseMs: 1000 }));
    expect(retry).not.toBe(late);
    expect(await store.complete('evt', late, { now: 1001, keepMs: 5000 })).toBe(false);
    expect(await store.release('evt', late)).toBe(false);
    expect(await store.claim('evt', { now: 1002, leaseMs: 1000 })).toEqual({
      state: 'in-flight',
      until: 2000,
    });
    expect(await store.complete('evt', retry, { now: 1003, keepMs: 5000 })).toBe(true);
    // kept for keepMs from the completion, then forgotten
    expect(await store.claim('evt', { now: 6002, leaseMs: 1000 })).toEqual({ state: 'duplicate' });
    expect((await store.claim('evt', { now: 6003, leaseMs: 1000 })).state).toBe('first');
  });

  it('prunes only the rows past their time', async () => {
    const db = await connect.pgClient();
    const store = new PostgresStore(db, { table: 'pruned' });
    await store.createTable();
    const done = tokenOf(await store.claim('done', { now: 0, leaseMs: 100 }));
    await store.complete('done', done, { now: 0, keepMs: 500 });
    await store.claim('held', { now: 0, leaseMs: 1000 });
    await store.claim('gone', { now: 0, leaseMs: 100 });
    expect(await store.prune(500)).toBe(2);
    expect((await rowsOf(db, 'pruned')).map((row) => row.event_id)).toEqual(['held']);
    expect(await store.prune(500)).toBe(0);
  });

  it('claims atomically: of 40 concurrent claims of one id on 8 connections, one is first', async () => {
    const pool = connect.pgPool(8);
    const store = new PostgresStore(pool, { table: 'race' });
    await store.createTable();
    for (const round of [1, 2, 3]) {
      const claims = await Promise.all(
        Array.from({ length: 40 }, () =>
          store.claim(`evt-${String(round)}`, { now: 0, leaseMs: 60_000 }),
        ),
      );
      expect(claims.filter((claim) => claim.state === 'first')).toHaveLength(1);
      expect(claims.filter((claim) => claim.state === 'in-flight')).toHaveLength(39);
    }
  });

  it('refuses a table name it would have to quote', () => {
    for (const table of ['Events', 'a b', 'x;drop table y', 'a.b.c', '"q"', '']) {
      expect(
        () => new PostgresStore({ query: () => Promise.reject(new Error()) }, { table }),
      ).toThrow(
        `the PostgreSQL store's table must be a lower-case name, optionally after its schema (schema.table), not ${JSON.stringify(table)}.`,
      );
    }
  });

  it('says so when the claim returns no row it understands', async () => {
    const store = new PostgresStore({ query: () => Promise.resolve({ rows: [], rowCount: 0 }) });
    await expect(store.claim('evt', { now: 0, leaseMs: 1 })).rejects.toThrow(
      'the PostgreSQL claim returned [], not the row the store expects.',
    );
  });
});
