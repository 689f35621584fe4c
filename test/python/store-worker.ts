/**
 * One Node worker of test/python/shared-store.test.ts, the twin of store_worker.py (its settings,
 * output and start signal are the same): the package's receiver on the store it shares with
 * Python workers is handed a signed delivery of each event id; its handler records the event's
 * effect; a 503 (in flight elsewhere) is sent again until the answer is 200, handled here
 * (first) or already handled (duplicate). Bundled by the test with esbuild and run by node.
 */
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { PostgresStore } from '../../sdk/src/postgres-store';
import { RedisStore } from '../../sdk/src/redis-store';
import type { DedupStore } from '../../sdk/src/store';
import { Webhooks } from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';

const SECRET = 'whsec_shared_store';

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
  const hang = process.env.HANG;
  // the lease as the test sets it; the deadline past any wait here, so only a kill ends a claim
  const webhooks = new Webhooks({
    secrets: SECRET,
    store,
    lease: Number(env('LEASE')),
    deadline: 60_000,
  });
  webhooks.onAny(async (event) => {
    if (event.id === hang) {
      process.stdout.write(`claimed ${event.id}\n`);
      await new Promise(() => undefined);
    }
    await effect(String(event.id));
  });
  const counts = { first: 0, duplicate: 0, 'in-flight': 0 };
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  for (const id of env('IDS').split(',')) {
    const sent = signedDelivery('contact.created', { secret: SECRET, eventId: id });
    for (;;) {
      const answer = await webhooks.receive(sent.body, sent.headers);
      if (answer.status === 503) {
        counts['in-flight'] += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if (answer.status !== 200) {
        throw new Error(`${id} answered ${String(answer.status)}: ${answer.body.message}`);
      }
      counts[answer.body.handled ? 'first' : 'duplicate'] += 1;
      break;
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
