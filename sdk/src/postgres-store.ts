/**
 * The PostgreSQL stores: event ids claimed in one table (the layout in store-layout.ts and
 * conformance/stores.md), the client passed in (`pg`'s Client or Pool, or anything with the
 * same `query`), so the package depends on nothing. Times are the receiver's (`now`, epoch ms).
 *
 * - PostgresStore: a claim is one atomic statement with a lease, committed at once.
 * - PostgresTransactionalStore: a claim opens a transaction on a connection of the pool; the
 *   handler writes through it (`store.transaction(event)`), and the completion commits in the
 *   same transaction: the handler's writes and the "done" mark are kept together or not at all.
 */
import { RetryableError } from './receiver';
import type { Claim, DedupStore } from './store';
import { newToken } from './redis-store';
import {
  PG_TABLE,
  PG_END,
  PG_TRY_LOCK,
  pgClaim,
  pgComplete,
  pgCreateTable,
  pgPrune,
  pgRelease,
} from './store-layout';

/** What the stores read of a query's result (`pg`'s QueryResult has it). */
export interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}

/** `pg`'s Client or Pool, or anything with its `query(text, values)`. */
export interface PgQueryable {
  query: (text: string, values?: unknown[]) => Promise<PgResult>;
}

/** A connection of a pool (`pg`'s PoolClient): `release(true)` closes it instead. */
export interface PgPoolClient extends PgQueryable {
  release: (destroy?: boolean) => void;
  /** `pg`'s: a connection reports its loss as an `error` event (see `lent`). */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

/** `pg`'s Pool, or anything whose `connect()` lends a connection. */
export interface PgPool<C extends PgPoolClient> {
  connect: () => Promise<C>;
}

export interface PostgresStoreOptions {
  /** The table (default `isao_webhook_events`), optionally with its schema: `schema.table`. */
  table?: string;
}

const tableOf = ({ table = PG_TABLE }: PostgresStoreOptions): string => {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(table)) {
    throw new TypeError(
      `@isao/webhooks: the PostgreSQL store's table must be a lower-case name, optionally after its schema (schema.table), not ${JSON.stringify(table)}.`,
    );
  }
  return table;
};

/** The SQL that creates the store's table, to run once or put in a migration. */
export const postgresTableSql = (options: PostgresStoreOptions = {}): string =>
  `${pgCreateTable(tableOf(options))}\n`;

/** A claim row's state, as the claim statement returns it for the token it tried. */
const claimOf = (result: PgResult, token: string, now: number): Claim => {
  const [row] = result.rows;
  if (typeof row === 'object' && row !== null && 'token' in row && 'held_until' in row) {
    const until = Number(row.held_until);
    if (row.token === token) return { state: 'first', token };
    if (row.token === null) return { state: 'duplicate' };
    if (typeof row.token === 'string' && Number.isFinite(until)) {
      return { state: 'in-flight', until: Math.max(until, now) };
    }
  }
  throw new Error(
    `@isao/webhooks: the PostgreSQL claim returned ${JSON.stringify(result.rows)}, not the row the store expects.`,
  );
};

const whole = (ms: number): number => Math.max(1, Math.ceil(ms));

/** The lock row's answer: the server process holding the lock when it was taken, else undefined. */
const heldBy = (lock: unknown): { pid: unknown } | undefined =>
  typeof lock === 'object' && lock !== null && 'locked' in lock && lock.locked
    ? { pid: 'pid' in lock ? lock.pid : null }
    : undefined;

/** A transactional claim: its token, its connection and that connection's server process. */
interface Claimed<C> {
  token: string;
  client: C;
  pid: unknown;
}

/** The store with leases: any `query`-able client or pool. */
export class PostgresStore implements DedupStore {
  readonly table: string;

  constructor(
    private readonly db: PgQueryable,
    options: PostgresStoreOptions = {},
  ) {
    this.table = tableOf(options);
  }

  /** Creates the table if it is not there (postgresTableSql() is the same SQL). */
  async createTable(): Promise<void> {
    await this.db.query(pgCreateTable(this.table));
  }

  /** Deletes the rows past their time; how many. Run it now and then (a job, a timer). */
  async prune(now: number): Promise<number> {
    return (await this.db.query(pgPrune(this.table), [now])).rowCount ?? 0;
  }

  async claim(eventId: string, { now, leaseMs }: { now: number; leaseMs: number }): Promise<Claim> {
    const token = newToken();
    const result = await this.db.query(pgClaim(this.table), [eventId, token, now, whole(leaseMs)]);
    return claimOf(result, token, now);
  }

  async complete(
    eventId: string,
    token: string,
    { now, keepMs }: { now: number; keepMs: number },
  ): Promise<boolean> {
    const result = await this.db.query(pgComplete(this.table), [
      eventId,
      token,
      now,
      whole(keepMs),
    ]);
    return result.rowCount === 1;
  }

  async release(eventId: string, token: string): Promise<boolean> {
    return (await this.db.query(pgRelease(this.table), [eventId, token])).rowCount === 1;
  }
}

/**
 * What the store does with a lost connection's `error` event: nothing. pg emits it on a
 * connection lost while lent (a server restart, a failover, an administrator ending it), and with
 * nothing listening it ends the process: its pool listens only while the connection is idle. The
 * connection's queries fail instead (a handler's write, the commit), and the event is retried.
 */
const lost = (): void => undefined;

/** Gives a connection back to its pool (closes it with `destroy`), no longer listened to. */
const giveBack = (client: PgPoolClient, destroy?: boolean): void => {
  client.off?.('error', lost);
  client.release(destroy);
};

/**
 * The transactional store: each claim holds a transaction on a connection of `pool` until the
 * event completes (COMMIT: the handler's writes and the completion together) or is released
 * (its connection closed and its server process ended: PostgreSQL rolls everything back).
 * Another claim of the event while one is open answers in flight at once (a transaction-scoped
 * advisory lock), so it needs no lease: a worker that dies loses its connection, and with it the
 * claim and its writes.
 */
export class PostgresTransactionalStore<C extends PgPoolClient> implements DedupStore {
  readonly table: string;
  private readonly open = new Map<string, Claimed<C>>();

  constructor(
    private readonly pool: PgPool<C>,
    options: PostgresStoreOptions = {},
  ) {
    this.table = tableOf(options);
  }

  /** The transaction of the event being handled: write the event's effects through it. */
  transaction(event: { id: string | null; name?: string }): C {
    // Stryker disable next-line ConditionalExpression: the map holds no null key: get(null) is undefined too
    const open = event.id === null ? undefined : this.open.get(event.id);
    if (open === undefined) {
      throw new Error(
        `@isao/webhooks: ${event.id === null ? `this ${event.name ?? 'event'} has no eventId, so it is not de-duplicated and has no transaction` : `event ${JSON.stringify(event.id)} holds no claim of this store now (called outside its handler, or after its deadline)`}: use the pool for its writes.`,
      );
    }
    return open.client;
  }

  async createTable(): Promise<void> {
    const client = await this.lent();
    try {
      await client.query(pgCreateTable(this.table));
    } finally {
      giveBack(client);
    }
  }

  async prune(now: number): Promise<number> {
    const client = await this.lent();
    try {
      return (await client.query(pgPrune(this.table), [now])).rowCount ?? 0;
    } finally {
      giveBack(client);
    }
  }

  async claim(eventId: string, { now, leaseMs }: { now: number; leaseMs: number }): Promise<Claim> {
    const client = await this.lent();
    try {
      await client.query('BEGIN');
      const [lock] = (await client.query(PG_TRY_LOCK, [this.table, eventId])).rows;
      const held = heldBy(lock);
      let claim: Claim = { state: 'in-flight', until: now + leaseMs };
      if (held) {
        const token = newToken();
        const query = [eventId, token, now, whole(leaseMs)];
        claim = claimOf(await client.query(pgClaim(this.table), query), token, now);
        if (claim.state === 'first') {
          this.open.set(eventId, { token, client, pid: held.pid });
          return claim;
        }
      }
      await client.query('ROLLBACK');
      giveBack(client);
      return claim;
    } catch (error) {
      giveBack(client, true);
      throw error;
    }
  }

  /** Commits the claim's transaction; a failed commit kept nothing: the event must be retried. */
  async complete(
    eventId: string,
    token: string,
    { now, keepMs }: { now: number; keepMs: number },
  ): Promise<boolean> {
    const open = this.take(eventId, token);
    if (open === undefined) return false;
    try {
      const done = await open.client.query(pgComplete(this.table), [
        eventId,
        token,
        now,
        whole(keepMs),
      ]);
      if (done.rowCount !== 1) throw new Error('the claim row was not there to complete');
      await open.client.query('COMMIT');
    } catch (cause) {
      await this.end(open);
      throw new RetryableError(
        `the transaction of event ${JSON.stringify(eventId)} could not commit, so none of its writes were kept`,
        { cause },
      );
    }
    giveBack(open.client);
    return true;
  }

  /** Ends the claim's transaction: PostgreSQL rolls back the claim and the handler's writes. */
  async release(eventId: string, token: string): Promise<boolean> {
    const open = this.take(eventId, token);
    if (open === undefined) return false;
    await this.end(open);
    return true;
  }

  /**
   * Closes the claim's connection, and ends its server process from another connection, waiting
   * until it is gone: at once even when a handler's query is still running there (the deadline),
   * and the event's lock is free when this resolves, so a retry can claim it.
   */
  private async end({ client, pid }: Claimed<C>): Promise<void> {
    giveBack(client, true);
    const other = await this.lent();
    try {
      await other.query(PG_END, [pid]);
    } finally {
      giveBack(other);
    }
  }

  /** A connection of the pool, listened to while the store holds it (`lost`). */
  private async lent(): Promise<C> {
    const client = await this.pool.connect();
    client.on?.('error', lost);
    return client;
  }

  private take(eventId: string, token: string): Claimed<C> | undefined {
    const open = this.open.get(eventId);
    if (open?.token !== token) return undefined;
    this.open.delete(eventId);
    return open;
  }
}
