/**
 * One worker process of test/sdk/stores/workers.test.ts: a real HTTP receiver
 * (createNodeMiddleware on 127.0.0.1) sharing one store with the other workers, whose handler
 * records each event's effect where every worker and the test see it (a Redis list, or a
 * PostgreSQL table written in the claim's transaction for the transactional store). Bundled by
 * the test with esbuild and run by node. Its settings come from the environment:
 * STORE (node-redis | ioredis | postgres | postgres-tx), REDIS_URL, POSTGRES_URL, SECRET,
 * LEASE and DEADLINE (ms), and HANG (an event id whose handler stops forever after its claim,
 * for the test to kill the worker there). It prints `listening <port>`, and `claimed <id>` when
 * it hangs.
 */
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { Webhooks, createNodeMiddleware, type DedupStore } from '../../../sdk/src/index';
import { RedisStore } from '../../../sdk/src/redis-store';
import { PostgresStore, PostgresTransactionalStore } from '../../../sdk/src/postgres-store';
import type { AnyIsaoEvent } from '../../../sdk/src/types';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`worker: ${name} is not set`);
  return value;
};

/** The store, and how an effect of the event is recorded. */
const setup = async (): Promise<{
  store: DedupStore;
  effect: (event: AnyIsaoEvent) => Promise<unknown>;
}> => {
  const kind = env('STORE');
  if (kind === 'node-redis' || kind === 'ioredis') {
    // fail fast while the server is away: no queue of commands waiting for it
    const effects = new Redis(env('REDIS_URL'), { enableOfflineQueue: false });
    effects.on('error', () => undefined);
    // without a queue, a command before the connection is ready fails: wait for it
    await new Promise((resolve) => effects.once('ready', resolve));
    const effect = (event: AnyIsaoEvent) => effects.rpush('effects', String(event.id));
    if (kind === 'ioredis') return { store: new RedisStore(effects), effect };
    const client = createClient({ url: env('REDIS_URL'), disableOfflineQueue: true });
    client.on('error', () => undefined);
    await client.connect();
    return { store: new RedisStore(client), effect };
  }
  const pool = new Pool({ connectionString: env('POSTGRES_URL'), max: 8 });
  pool.on('error', () => undefined);
  const insert = 'INSERT INTO effects (event_id, pid) VALUES ($1, $2)';
  if (kind === 'postgres') {
    return {
      store: new PostgresStore(pool),
      effect: (event) => pool.query(insert, [event.id, process.pid]),
    };
  }
  const store = new PostgresTransactionalStore(pool);
  return {
    store,
    effect: (event) => store.transaction(event).query(insert, [event.id, process.pid]),
  };
};

const main = async () => {
  const { store, effect } = await setup();
  const webhooks = new Webhooks({
    secrets: env('SECRET'),
    store,
    lease: Number(env('LEASE')),
    deadline: Number(env('DEADLINE')),
  });
  const hang = process.env.HANG;
  webhooks.on('deal.won', async (event) => {
    if (event.id === hang) {
      // the transactional store's effect is written, then lost with the process
      if (env('STORE') === 'postgres-tx') await effect(event);
      process.stdout.write(`claimed ${event.id}\n`);
      await new Promise(() => undefined);
    }
    await effect(event);
  });
  const server = createServer((req, res) => {
    void createNodeMiddleware(webhooks)(req, res);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `listening ${typeof address === 'object' && address ? String(address.port) : ''}\n`,
    );
  });
};

main().catch((error: unknown) => {
  process.stderr.write(
    `worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
