/**
 * The shared stores across processes, on the real servers (workers-redis.test.ts and
 * workers-postgres.test.ts, run side by side): 4 worker processes (each a real HTTP receiver,
 * test/sdk/stores/worker.ts) × 200 events each delivered to every worker at once give one effect
 * per event; a worker killed (SIGKILL) after its claim loses no event: the retry after the lease
 * runs it once; a store that is down is answered 503 (fail closed) and loses nothing once it is
 * back. A 5xx is retried as ISAO would, until it is answered 200.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { PostgresStore } from '../../../sdk/src/postgres-store';
import { signedDelivery, type SignedDelivery } from '../../../sdk/src/testing';
import { post, ROOT, type Reply } from '../helpers';
import { eventually, sleep, useServers, type Servers } from './fixture';

const SECRET = 'whsec_workers';
const EVENTS = 200;
const WORKERS = 4;

interface Worker {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the worker's output has a line matching `pattern`. */
  said: (pattern: RegExp) => Promise<void>;
}

/** worker.ts (or another entry) bundled by esbuild into a temporary folder, for node to run. */
export const bundleWorker = (
  entry = join(__dirname, 'worker.ts'),
): { bundle: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'isao-workers-'));
  const bundle = join(dir, 'worker.cjs');
  buildSync({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  return {
    bundle,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Starts worker processes on the servers; stop() kills those still running. */
const workerPool = (bundle: () => string, servers: () => Servers) => {
  const running: Worker[] = [];
  const start = async (settings: Record<string, string>): Promise<Worker> => {
    const child = spawn(process.execPath, [bundle()], {
      env: {
        ...process.env,
        NODE_PATH: join(ROOT, 'node_modules'),
        REDIS_URL: servers().redis.url,
        POSTGRES_URL: servers().postgres.url,
        SECRET,
        LEASE: '15000',
        DEADLINE: '10000',
        ...settings,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const said = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) resolve();
        };
        child.stdout.on('data', check);
        child.on('exit', () => {
          reject(new Error(`the worker ended before saying ${String(pattern)}: ${err}`));
        });
        check();
      });
    await said(/listening \d+/);
    const worker = {
      url: `http://127.0.0.1:${/listening (\d+)/.exec(out)?.[1] ?? ''}`,
      child,
      said,
    };
    running.push(worker);
    return worker;
  };
  const stop = () =>
    Promise.all(
      running.splice(0).map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve();
              return;
            }
            child.once('exit', () => {
              resolve();
            });
            child.kill('SIGKILL');
          }),
      ),
    );
  return { start, stop, running };
};

/** Delivers as ISAO does, retrying a 5xx (or a refused connection) until a 200, up to 1000 tries. */
const deliver = async (url: string, sent: SignedDelivery): Promise<Reply> => {
  for (let tries = 0; tries < 1000; tries += 1) {
    const reply = await post(url, sent.body, sent.headers).catch(() => undefined);
    if (reply?.status === 200) return reply;
    if (reply !== undefined && reply.status < 500) {
      throw new Error(`answered ${String(reply.status)}`);
    }
    await sleep(10);
  }
  throw new Error(`never answered 200: ${sent.eventId}`);
};

/** Runs the tasks, at most `limit` at a time. */
const pooled = async <T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> => {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next;
        next += 1;
        const task = tasks[i];
        if (task) results[i] = await task();
      }
    }),
  );
  return results;
};

const sum = (replies: Reply[], field: string): number =>
  replies.reduce((total, reply) => total + Number(reply.body[field]), 0);

/** The three tests on each store kind (worker.ts's STORE). */
export const testWorkers = (kinds: readonly string[]): void => {
  const { servers, connect } = useServers();
  let built: ReturnType<typeof bundleWorker> | undefined;
  beforeAll(() => {
    built = bundleWorker();
  });
  afterAll(() => built?.remove());
  const workers = workerPool(() => built?.bundle ?? '', servers);

  describe.each(kinds)('workers sharing %s', (kind) => {
    let redis: Redis;
    let pool: Pool;
    const redisStore = kind.endsWith('redis');

    /** How many effects each event id has. */
    const effects = async (): Promise<Map<string, number>> => {
      const ids = redisStore
        ? await redis.lrange('effects', 0, -1)
        : (await pool.query<{ event_id: string }>('SELECT event_id FROM effects')).rows.map(
            (row) => row.event_id,
          );
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    };

    beforeAll(async () => {
      redis = new Redis(servers().redis.url);
      redis.on('error', () => undefined);
      await redis.flushall();
      pool = connect.pgPool(2);
      await pool.query('DROP TABLE IF EXISTS effects, isao_webhook_events');
      await pool.query('CREATE TABLE effects (event_id text NOT NULL, pid int NOT NULL)');
      await new PostgresStore(pool).createTable();
    }, 30_000);
    afterAll(async () => {
      await workers.stop();
      redis.disconnect();
    });

    it(`${String(WORKERS)} workers × ${String(EVENTS)} events, each delivered to every worker at once: one effect per event`, async () => {
      const started = await Promise.all(
        Array.from({ length: WORKERS }, () => workers.start({ STORE: kind })),
      );
      const events = Array.from({ length: EVENTS }, (_, i) =>
        signedDelivery('deal.won', { secret: SECRET, eventId: `evt_${kind}_${String(i)}` }),
      );
      const replies = await pooled(
        events.flatMap((sent) => started.map((worker) => () => deliver(worker.url, sent))),
        100,
      );
      const counts = await effects();
      expect(counts.size).toBe(EVENTS);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect(sum(replies, 'handled')).toBe(EVENTS);
      expect(sum(replies, 'duplicates')).toBe(EVENTS * (WORKERS - 1));
    }, 120_000);

    it('a worker killed after its claim: the retry after the lease runs the event once', async () => {
      const [survivor] = workers.running;
      if (survivor === undefined) throw new Error('no worker is running');
      const sent = signedDelivery('deal.won', { secret: SECRET, eventId: `evt_${kind}_killed` });
      const doomed = await workers.start({ STORE: kind, HANG: sent.eventId, LEASE: '300' });
      void post(doomed.url, sent.body, sent.headers).catch(() => undefined);
      await doomed.said(/claimed evt_/);
      doomed.child.kill('SIGKILL');
      const reply = await deliver(survivor.url, sent);
      expect(reply.body).toMatchObject({ handled: 1, duplicates: 0 });
      expect((await deliver(survivor.url, sent)).body).toMatchObject({
        handled: 0,
        duplicates: 1,
      });
      expect((await effects()).get(sent.eventId)).toBe(1);
    }, 60_000);

    it('the store down: 503 (fail closed); once it is back, every event runs once', async () => {
      const [worker] = workers.running;
      if (worker === undefined) throw new Error('no worker is running');
      const server = redisStore ? servers().redis : servers().postgres;
      const events = Array.from({ length: 5 }, (_, i) =>
        signedDelivery('deal.won', { secret: SECRET, eventId: `evt_${kind}_down_${String(i)}` }),
      );
      await server.kill();
      try {
        for (const sent of events) {
          const reply = await post(worker.url, sent.body, sent.headers);
          expect({ status: reply.status, problem: reply.body.problem }).toEqual({
            status: 503,
            problem: 'store',
          });
        }
      } finally {
        await server.restart();
      }
      await eventually(
        async () => (await redis.ping().catch(() => '')) === 'PONG',
        'Redis is back',
      );
      const replies = await Promise.all(events.map((sent) => deliver(worker.url, sent)));
      expect(replies.map((reply) => reply.body.handled)).toEqual([1, 1, 1, 1, 1]);
      const counts = await effects();
      expect(events.map((sent) => counts.get(sent.eventId))).toEqual([1, 1, 1, 1, 1]);
    }, 60_000);
  });
};
