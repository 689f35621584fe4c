/**
 * What the shared stores make of each reply their client gives, without a server: clients that
 * answer as a script or a statement would, and as none should. A reply the store does not
 * understand is an error naming the script or statement and the reply (the receiver answers
 * 503 for it), never a claim read wrongly; and what the stores send: whole milliseconds, at
 * least 1.
 */
import {
  PostgresStore,
  PostgresTransactionalStore,
  type PgPoolClient,
  type PgResult,
} from '../../../sdk/src/postgres-store';
import { RetryableError } from '../../../sdk/src/receiver';
import { PG_END, PG_TRY_LOCK } from '../../../sdk/src/store-layout';
import { RedisStore } from '../../../sdk/src/redis-store';

/** An ioredis-like client answering `reply`, recording each EVAL's arguments. */
const redis = (reply: unknown) => {
  const calls: (string | number)[][] = [];
  const store = new RedisStore(
    {
      call: (...args: (string | number)[]) => {
        calls.push(args);
        return Promise.resolve(reply);
      },
    },
    { prefix: 'p:' },
  );
  return { store, calls };
};

describe('RedisStore', () => {
  it('reads each claim reply: first with its token, duplicate, in flight until now + the ms left', async () => {
    expect(await redis(['first']).store.claim('e', { now: 5, leaseMs: 10 })).toEqual({
      state: 'first',
      token: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
    expect(await redis(['duplicate']).store.claim('e', { now: 5, leaseMs: 10 })).toEqual({
      state: 'duplicate',
    });
    expect(await redis(['in-flight', 700]).store.claim('e', { now: 5, leaseMs: 10 })).toEqual({
      state: 'in-flight',
      until: 705,
    });
    // PTTL's -1 (a key without expiry) is no time left, not time in the past
    expect(await redis(['in-flight', -1]).store.claim('e', { now: 5, leaseMs: 10 })).toEqual({
      state: 'in-flight',
      until: 5,
    });
  });

  it('refuses a claim reply it does not understand, naming the script and the reply', async () => {
    for (const [reply, shown] of [
      [undefined, 'nothing'],
      [null, 'null'],
      ['first', '"first"'],
      [['in-flight', '700'], '["in-flight","700"]'],
      [['in-flight'], '["in-flight"]'],
      [['maybe', 700], '["maybe",700]'],
      [[], '[]'],
    ] satisfies [unknown, string][]) {
      await expect(redis(reply).store.claim('e', { now: 0, leaseMs: 10 })).rejects.toThrow(
        `@isao/webhooks: the Redis claim script answered ${shown}, not what the store expects.`,
      );
    }
  });

  it('reads complete and release as 1 (done) or 0 (not), and refuses any other reply', async () => {
    const keep = { now: 0, keepMs: 10 };
    expect(await redis(1).store.complete('e', 't', keep)).toBe(true);
    expect(await redis(0).store.complete('e', 't', keep)).toBe(false);
    expect(await redis(1).store.release('e', 't')).toBe(true);
    expect(await redis(0).store.release('e', 't')).toBe(false);
    for (const reply of [2, '1', true, null]) {
      await expect(redis(reply).store.complete('e', 't', keep)).rejects.toThrow(
        `the Redis complete script answered ${JSON.stringify(reply)}, not what the store expects.`,
      );
      await expect(redis(reply).store.release('e', 't')).rejects.toThrow(
        `the Redis release script answered ${JSON.stringify(reply)}`,
      );
    }
  });

  it('sends the key under its prefix, claim:<token>, and whole milliseconds of at least 1', async () => {
    const { store, calls } = redis(['first']);
    const claim = await store.claim('evt', { now: 0, leaseMs: 0.2 });
    const token = claim.state === 'first' ? claim.token : '';
    const completed = redis(1);
    await completed.store.complete('evt', token, { now: 0, keepMs: 1500.5 });
    expect(calls[0]?.slice(0, 1)).toEqual(['EVAL']);
    expect(calls[0]?.slice(2)).toEqual(['1', 'p:evt', `claim:${token}`, '1']);
    expect(completed.calls[0]?.slice(2)).toEqual(['1', 'p:evt', `claim:${token}`, '1501']);
  });
});

/** A pg-like client whose claim returns `rows`; the values each query got. */
const pg = (rows: unknown[], rowCount: number | null = rows.length) => {
  const values: unknown[][] = [];
  const store = new PostgresStore({
    query: (_text: string, given: unknown[] = []): Promise<PgResult> => {
      values.push(given);
      return Promise.resolve({ rows, rowCount });
    },
  });
  return { store, values };
};

describe('PostgresStore', () => {
  it('reads the claim row: in flight until held_until, or now when that is past', async () => {
    expect(
      await pg([{ token: 'other', held_until: '900' }]).store.claim('e', { now: 1000, leaseMs: 5 }),
    ).toEqual({ state: 'in-flight', until: 1000 });
    expect(
      await pg([{ token: 'other', held_until: 1200 }]).store.claim('e', { now: 1000, leaseMs: 5 }),
    ).toEqual({ state: 'in-flight', until: 1200 });
    expect(
      await pg([{ token: null, held_until: '1200' }]).store.claim('e', { now: 1000, leaseMs: 5 }),
    ).toEqual({ state: 'duplicate' });
  });

  it('refuses a claim row it does not understand, naming the rows', async () => {
    for (const rows of [
      [null],
      ['row'],
      [{ token: 'other' }],
      [{ held_until: '1' }],
      [{ token: 'other', held_until: 'soon' }],
      [{ token: 7, held_until: '1' }],
    ]) {
      await expect(pg(rows).store.claim('e', { now: 0, leaseMs: 5 })).rejects.toThrow(
        `@isao/webhooks: the PostgreSQL claim returned ${JSON.stringify(rows)}, not the row the store expects.`,
      );
    }
  });

  it('sends whole milliseconds of at least 1; counts what the server says it changed', async () => {
    const { store, values } = pg([], 1);
    await store.complete('e', 't', { now: 3, keepMs: 0.2 });
    await store.complete('e', 't', { now: 3, keepMs: 10.1 });
    expect(values).toEqual([
      ['e', 't', 3, 1],
      ['e', 't', 3, 11],
    ]);
    expect(await pg([], 2).store.complete('e', 't', { now: 0, keepMs: 1 })).toBe(false);
    expect(await pg([], 2).store.release('e', 't')).toBe(false);
    expect(await pg([], null).store.prune(0)).toBe(0);
  });
});

/**
 * A pg-like pool whose connections answer each query by `answer` (a thrown error fails the
 * query); the log of what each connection ran and how it was given back.
 */
const pool = (answer: (text: string, values: unknown[]) => PgResult) => {
  const log: string[] = [];
  let n = 0;
  const connect = (): Promise<PgPoolClient> => {
    n += 1;
    const name = `c${String(n)}`;
    return Promise.resolve({
      query: (text: string, values: unknown[] = []) => {
        log.push(
          `${name} ${text === PG_TRY_LOCK ? 'TRY_LOCK' : text === PG_END ? 'END' : (text.split(' ')[0] ?? '')} ${JSON.stringify(values, shown)}`,
        );
        return Promise.resolve().then(() => answer(text, values));
      },
      release: (destroy?: boolean) => {
        log.push(`${name} ${destroy === true ? 'destroyed' : 'released'}`);
      },
    });
  };
  return { store: new PostgresTransactionalStore({ connect }, { table: 't' }), log };
};

/** undefined shown as such, not as JSON's null. */
const shown = (_key: string, value: unknown): unknown =>
  value === undefined ? 'undefined' : value;

const lockRow = (locked: boolean): PgResult => ({ rows: [{ locked, pid: 42 }], rowCount: 1 });

describe('PostgresTransactionalStore', () => {
  it('a lock held elsewhere: in flight for the lease, the transaction rolled back, the connection given back', async () => {
    const { store, log } = pool((text) =>
      text === PG_TRY_LOCK ? lockRow(false) : { rows: [], rowCount: null },
    );
    expect(await store.claim('e', { now: 1000, leaseMs: 250 })).toEqual({
      state: 'in-flight',
      until: 1250,
    });
    expect(log).toEqual(['c1 BEGIN []', 'c1 TRY_LOCK ["t","e"]', 'c1 ROLLBACK []', 'c1 released']);
  });

  it.each([[[]], [[null]], [[{}]], [[{ locked: false, pid: 1 }]]])(
    'a lock row %j is not a lock: in flight',
    async (rows) => {
      const { store } = pool((text) =>
        text === PG_TRY_LOCK ? { rows, rowCount: rows.length } : { rows: [], rowCount: null },
      );
      expect(await store.claim('e', { now: 0, leaseMs: 9 })).toEqual({
        state: 'in-flight',
        until: 9,
      });
    },
  );

  it('a claim whose query fails closes its connection and fails', async () => {
    const { store, log } = pool((text) => {
      if (text === PG_TRY_LOCK) throw new Error('connection lost');
      return { rows: [], rowCount: null };
    });
    await expect(store.claim('e', { now: 0, leaseMs: 1 })).rejects.toThrow('connection lost');
    expect(log).toEqual(['c1 BEGIN []', 'c1 TRY_LOCK ["t","e"]', 'c1 destroyed']);
  });

  it('a completion that finds no claim row: retryable, the connection closed and its server process ended', async () => {
    const { store, log } = pool((text, values) => {
      if (text === PG_TRY_LOCK) return lockRow(true);
      // the claim's row holds the token it tried: first
      if (text.startsWith('INSERT'))
        return { rows: [{ token: values[1], held_until: '9' }], rowCount: 1 };
      return { rows: [], rowCount: 0 };
    });
    const claim = await store.claim('e', { now: 0, leaseMs: 5 });
    const token = claim.state === 'first' ? claim.token : 'none';
    // a stranger's token: nothing done
    expect(await store.complete('e', 'other', { now: 0, keepMs: 5 })).toBe(false);
    expect(await store.release('e', 'other')).toBe(false);
    const failed: unknown = await store
      .complete('e', token, { now: 3, keepMs: 5 })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(RetryableError);
    expect(failed).toMatchObject({
      message: 'the transaction of event "e" could not commit, so none of its writes were kept',
      cause: new Error('the claim row was not there to complete'),
    });
    expect(log.slice(3)).toEqual([
      `c1 UPDATE ["e","${token}",3,5]`,
      'c1 destroyed',
      'c2 END [42]',
      'c2 released',
    ]);
    // taken: the claim is no longer open
    expect(await store.release('e', token)).toBe(false);
  });

  it('a lock row without the server process: the release ends none, null, and gives back both connections', async () => {
    const { store, log } = pool((text, values) => {
      if (text === PG_TRY_LOCK) return { rows: [{ locked: true }], rowCount: 1 };
      if (text.startsWith('INSERT'))
        return { rows: [{ token: values[1], held_until: '9' }], rowCount: 1 };
      return { rows: [], rowCount: 1 };
    });
    const claim = await store.claim('e', { now: 0, leaseMs: 5 });
    expect(claim.state).toBe('first');
    expect(await store.release('e', claim.state === 'first' ? claim.token : '')).toBe(true);
    expect(log.slice(3)).toEqual(['c1 destroyed', 'c2 END [null]', 'c2 released']);
  });

  it('prunes on a connection it gives back; names an event without an id as "event"', async () => {
    const { store, log } = pool(() => ({ rows: [], rowCount: null }));
    expect(await store.prune(7)).toBe(0);
    expect(log).toEqual(['c1 DELETE [7]', 'c1 released']);
    expect(() => store.transaction({ id: null })).toThrow(
      '@isao/webhooks: this event has no eventId, so it is not de-duplicated and has no transaction: use the pool for its writes.',
    );
  });
});
