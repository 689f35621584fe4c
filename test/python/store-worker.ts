/**
 * One Node worker of test/python/shared-store.test.ts, the twin of store_worker.py (its settings
 * output and start signal are the same): claims each event id in the store it shares with Python workers,
 * records the event's effect, then completes it; an event in flight is tried again until it is
 * first or a duplicate. Bundled by the test with esbuild and run by node.
 */
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { PostgresStore } from '../../sdk/src/postgres-store';
import { RedisStore } from '../../sdk/src/redis-store';
import type { DedupStore } from '../../sdk/src/store';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`store-worker: ${name} is not set`);
  return value;
};

const setup = async (): Promise<{
  store: DedupStore;
  effect: (id: string) => Promise<unknown>;
}> => {
  const effects = env('EFFECTS');
  const name = env('NAME');
  if (env('STORE') === 'redis') {
    const client = new Redis(env('ISAO_REDIS_URL'));
    return {
      store: new RedisStore(client),
      effect: (id) => client.rpush(effects, `${id} ${name}`),
    };
  }
  const [store, writes] = [
    new Client(env('ISAO_POSTGRES_URL')),
    new Client(env('ISAO_POSTGRES_URL')),
  ];
  await Promise.all([store.connect(), writes.connect()]);
  return {
    store: new PostgresStore(store),
    effect: (id) => writes.query(`INSERT INTO ${effects} VALUES ($1, $2)`, [id, name]),
  };
};

const main = async () => {
  const { store, effect } = await setup();
  const leaseMs = Number(env('LEASE'));
  const hang = process.env.HANG;
  const counts = { first: 0, duplicate: 0, 'in-flight': 0 };
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  for (const id of env('IDS').split(',')) {
    let claim = await store.claim(id, { now: Date.now(), leaseMs });
    counts[claim.state] += 1;
    while (claim.state === 'in-flight') {
      await new Promise((resolve) => setTimeout(resolve, 5));
      claim = await store.claim(id, { now: Date.now(), leaseMs });
      counts[claim.state] += 1;
    }
    if (claim.state === 'first') {
      if (id === hang) {
        process.stdout.write(`claimed ${id}\n`);
        await new Promise(() => undefined);
      }
      await effect(id);
      await store.complete(id, claim.token, { now: Date.now(), keepMs: 3_600_000 });
    }
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  process.exit(0);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `store-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
