/**
 * What the shared stores' tests share: throwaway Redis and PostgreSQL servers started by the
 * project's own script (scripts/servers/servers.js) for each test file, the stores on each
 * client, and the contract's checks. A server that cannot start fails the file's tests with the
 * reason (never a skip).
 */
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { startServers } from '../../../scripts/servers/servers';
import type { Claim, DedupStore } from '../../../sdk/src/store';

export type Servers = Awaited<ReturnType<typeof startServers>>;

/** Connected clients of each kind, all closed by close(). */
const clients = (servers: () => Servers) => {
  const closing: (() => Promise<unknown>)[] = [];
  return {
    nodeRedis: async () => {
      const client = createClient({ url: servers().redis.url });
      client.on('error', () => undefined);
      await client.connect();
      closing.push(() => {
        client.destroy();
        return Promise.resolve();
      });
      return client;
    },
    ioredis: () => {
      const client = new Redis(servers().redis.url, { maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      closing.push(() => {
        client.disconnect();
        return Promise.resolve();
      });
      return Promise.resolve(client);
    },
    pgClient: async () => {
      const client = new Client({ connectionString: servers().postgres.url });
      client.on('error', () => undefined);
      await client.connect();
      closing.push(() => client.end().catch(() => undefined));
      return client;
    },
    pgPool: (max = 10) => {
      const pool = new Pool({ connectionString: servers().postgres.url, max });
      pool.on('error', () => undefined);
      closing.push(() => pool.end().catch(() => undefined));
      return pool;
    },
    close: async () => {
      await Promise.all(closing.splice(0).map((close) => close()));
    },
  };
};

/**
 * Servers for this test file, started before its tests; the clients made by `connect` are
 * closed after them, then the servers stopped.
 */
export const useServers = () => {
  let started: Servers | undefined;
  const servers = (): Servers => {
    if (started === undefined) throw new Error('The Redis and PostgreSQL servers did not start.');
    return started;
  };
  const connect = clients(servers);
  beforeAll(async () => {
    started = await startServers();
  }, 120_000);
  afterAll(async () => {
    try {
      // a client still waiting on a query (a failed test) must not keep the servers running
      // (the timer unref'd: once the clients closed, it must not hold the test process open)
      await Promise.race([
        connect.close(),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
    } finally {
      await started?.stop();
    }
  }, 60_000);
  return { servers, connect };
};

export const tokenOf = (claim: Claim): string => {
  if (claim.state !== 'first') throw new Error(`expected a first claim, got ${claim.state}`);
  return claim.token;
};

export { freePort } from '../helpers';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Polls `check` until it holds (every 20 ms, for at most 10 s): no timed assertion. */
export const eventually = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  for (let tries = 0; tries < 500; tries += 1) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`never happened: ${what}`);
};

/** The contract every store keeps, on ids unique to this call. */
export const checkContract = async (store: DedupStore, at: number, unique: string) => {
  const id = (name: string) => `${unique}-${name}`;
  const lease = { now: at, leaseMs: 60_000 };
  const keep = { now: at, keepMs: 60_000 };
  const token = tokenOf(await store.claim(id('a'), lease));
  const second = await store.claim(id('a'), lease);
  expect(second.state).toBe('in-flight');
  expect(second.state === 'in-flight' && second.until).toBeGreaterThan(at + 50_000);
  expect(second.state === 'in-flight' && second.until).toBeLessThanOrEqual(at + 60_000);
  // another id is its own
  const other = tokenOf(await store.claim(id('b'), lease));
  expect(other).not.toBe(token);
  // a stranger's token neither completes nor releases it
  expect(await store.complete(id('a'), other, keep)).toBe(false);
  expect(await store.release(id('a'), other)).toBe(false);
  expect((await store.claim(id('a'), lease)).state).toBe('in-flight');
  // completed: a duplicate from then on, and no longer releasable
  expect(await store.complete(id('a'), token, keep)).toBe(true);
  expect(await store.claim(id('a'), lease)).toEqual({ state: 'duplicate' });
  expect(await store.release(id('a'), token)).toBe(false);
  expect(await store.complete(id('a'), token, keep)).toBe(false);
  // released: the next claim is first, with a new token
  expect(await store.release(id('b'), other)).toBe(true);
  expect(await store.release(id('b'), other)).toBe(false);
  const again = tokenOf(await store.claim(id('b'), lease));
  expect(again).not.toBe(other);
  expect(await store.complete(id('b'), other, keep)).toBe(false);
  expect(await store.complete(id('b'), again, keep)).toBe(true);
  expect(await store.claim(id('b'), lease)).toEqual({ state: 'duplicate' });
};
