/**
 * Node and Python workers share one store (conformance/stores.md's layout), on the real Redis and
 * PostgreSQL the project starts: 4 Python (store_worker.py, an isao_webhooks Receiver) and 4 Node
 * (store-worker.ts, the package's Webhooks) worker processes × 200 event ids, a signed delivery
 * of each id handed to all 8 at once (its retries after a 503 too; each worker goes through the
 * ids from its own starting point), give exactly one effect per
 * event; a worker of one language killed with SIGKILL in its handler, after its claim: once its
 * lease ends, a worker of the other language runs the event once.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Client } from 'pg';
import { PostgresStore } from '../../sdk/src/postgres-store';
import { ROOT } from '../sdk/helpers';
import { useServers } from '../sdk/stores/fixture';
import { bundleWorker } from '../sdk/stores/workers';
import { PYTHON } from './pytest-run';

const EVENTS = 200;
const { servers, connect } = useServers();
let built: ReturnType<typeof bundleWorker> | undefined;
beforeAll(() => {
  built = bundleWorker(join(__dirname, 'store-worker.ts'));
});
afterAll(() => built?.remove());

type Language = 'python' | 'node';
interface Counts {
  first: number;
  duplicate: number;
  'in-flight': number;
}
const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/**
 * Starts a worker: `said(pattern)` resolves on an output line matching it; `ready()` once it is
 * connected and waiting, `go()` starts it, `done()` resolves with its counts.
 */
const worker = (language: Language, settings: Record<string, string>) => {
  const child =
    language === 'python'
      ? spawn(PYTHON, [join(__dirname, 'store_worker.py')], {
          env: { ...process.env, ...settings },
        })
      : spawn(process.execPath, [built?.bundle ?? ''], {
          env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ...settings },
        });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const said = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = pattern.exec(out);
        if (line) resolve(line[0]);
      };
      child.stdout.on('data', check);
      child.on('exit', () => {
        check();
        reject(new Error(`the ${language} worker ended before saying ${String(pattern)}: ${err}`));
      });
      check();
    });
  const done = async (): Promise<Counts> => {
    const line = await said(/^\{.*\}$/m);
    const count = (key: string) => Number(new RegExp(`"${key}":\\s*(\\d+)`).exec(line)?.[1]);
    return {
      first: count('first'),
      duplicate: count('duplicate'),
      'in-flight': count('in-flight'),
    };
  };
  const go = () => {
    child.stdin.write('go\n');
  };
  return { child, said, ready: () => said(/^ready$/m), go, done };
};

describe.each(['redis', 'postgres'])('Node and Python workers sharing %s', (store) => {
  let redis: Redis;
  let db: Client;
  let run = 0;
  /** A fresh place for the effects of this run; the store's own keys or table are shared. */
  const effectsOf = () => {
    run += 1;
    return `effects_${store}_${String(run)}`;
  };
  const effects = async (where: string): Promise<string[]> =>
    store === 'redis'
      ? redis.lrange(where, 0, -1)
      : (
          await db.query<{ line: string }>(`SELECT event_id || ' ' || worker AS line FROM ${where}`)
        ).rows.map((row) => row.line);
  const settings = async (where: string): Promise<Record<string, string>> => {
    if (store === 'postgres') await db.query(`CREATE TABLE ${where} (event_id text, worker text)`);
    return {
      STORE: store,
      ISAO_REDIS_URL: servers().redis.url,
      ISAO_POSTGRES_URL: servers().postgres.url,
      EFFECTS: where,
      LEASE: '15000',
    };
  };

  beforeAll(async () => {
    redis = new Redis(servers().redis.url);
    db = await connect.pgClient();
    await new PostgresStore(db).createTable();
  });
  afterAll(() => {
    redis.disconnect();
  });

  it(`4 Python and 4 Node workers × ${String(EVENTS)} events, each handled by all 8: one effect per event`, async () => {
    const where = effectsOf();
    const ids = Array.from({ length: EVENTS }, (_, i) => `evt_${store}_${String(i)}`);
    const shared = await settings(where);
    const languages: Language[] = [
      'python',
      'node',
      'python',
      'node',
      'python',
      'node',
      'python',
      'node',
    ];
    // each worker starts at its own eighth of the ids (rotated), so a language slower to start
    // still reaches ids no other worker has come to yet: both languages run events under load
    const rotated = (i: number) => {
      const from = (i * EVENTS) / languages.length;
      return [...ids.slice(from), ...ids.slice(0, from)].join(',');
    };
    const workers = languages.map((language, i) =>
      worker(language, { ...shared, IDS: rotated(i), NAME: `${language}-${String(i)}` }),
    );
    await Promise.all(workers.map(({ ready }) => ready()));
    for (const { go } of workers) go();
    const counts = await Promise.all(workers.map(({ done }) => done()));
    const lines = await effects(where);
    const perEvent = new Map<string, number>();
    for (const line of lines) {
      const [id = ''] = line.split(' ');
      perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    }
    expect([...perEvent.keys()].sort()).toEqual([...ids].sort());
    expect([...perEvent.values()].filter((n) => n !== 1)).toEqual([]);
    expect(counts.reduce((sum, one) => sum + one.first, 0)).toBe(EVENTS);
    expect(counts.reduce((sum, one) => sum + one.duplicate, 0)).toBe(EVENTS * 7);
    // both languages ran events
    const by = (language: Language) =>
      lines.filter((line) => line.includes(` ${language}-`)).length;
    expect(by('python')).toBeGreaterThan(0);
    expect(by('node')).toBeGreaterThan(0);
  }, 120_000);

  it.each([
    ['python', 'node'],
    ['node', 'python'],
  ] satisfies [Language, Language][])(
    'a %s worker killed after its claim: after the lease, a %s worker claims it first and runs it once',
    async (doomed, retrying) => {
      const where = effectsOf();
      const id = `evt_${store}_killed_by_${doomed}`;
      const base = { ...(await settings(where)), IDS: id };
      const dying = worker(doomed, { ...base, NAME: doomed, HANG: id, LEASE: '1000' });
      const retry = worker(retrying, { ...base, NAME: retrying, LEASE: '15000' });
      await Promise.all([dying.ready(), retry.ready()]);
      dying.go();
      await dying.said(/^claimed evt_/m);
      dying.child.kill('SIGKILL');
      retry.go();
      const counts = await retry.done();
      // in flight while the dead worker's lease ran, then first
      expect(counts.first).toBe(1);
      expect(counts['in-flight']).toBeGreaterThan(0);
      expect(await effects(where)).toEqual([`${id} ${retrying}`]);
      const late = worker(doomed, { ...base, NAME: doomed, LEASE: '15000' });
      await late.ready();
      late.go();
      const again = await late.done();
      expect(again).toEqual({ first: 0, duplicate: 1, 'in-flight': 0 });
    },
    60_000,
  );
});
