/**
 * The shared stores' code samples of docs/stores.md run as the page says, each in a clean
 * project beside the built package, against the servers: a delivery handled once, its retry a
 * duplicate, a tampered copy refused; then the server ends the sample's connections, and the
 * sample lives on and handles the next event.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage } from '../build';
import { post, ROOT, type Reply } from '../helpers';
import { signedDelivery } from '../../../sdk/src/testing';
import { eventually, freePort, sleep, useServers } from './fixture';
import { SERVER_SAMPLES } from './samples';

const { servers, connect } = useServers();
const SECRET = 'whsec_store_docs';
const built = buildPackage();
const project = join(built.dir, 'project');
mkdirSync(join(project, 'node_modules', '@isao'), { recursive: true });
symlinkSync(built.dir, join(project, 'node_modules', '@isao', 'webhooks'), 'dir');
for (const name of ['redis', 'pg']) {
  symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
}
afterAll(built.remove);

const samples: [string, string][] = [
  ...readFileSync(join(ROOT, 'docs', 'stores.md'), 'utf8').matchAll(
    /```js\n\/\/ (\S+)\n([\s\S]*?)```/g,
  ),
]
  .map(([all = '', file = '']): [string, string] => [
    file,
    all.replace(/^```js\n/, '').replace(/```$/, ''),
  ])
  .filter(([file]) => SERVER_SAMPLES.includes(file));

/**
 * Runs a sample as a server on a port, sends it `sent` twice and a tampered copy; then has the
 * store's server end the sample's connections (`cut`) and sends another event.
 */
const serve = async (file: string, env: Record<string, string>, cut: () => Promise<unknown>) => {
  const port = await freePort();
  const child = spawn(process.execPath, [file], {
    cwd: project,
    env: { ...process.env, ...env, PORT: String(port), ISAO_WEBHOOK_SECRET: SECRET },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${String(port)}`;
  const sent = signedDelivery('deal.won', { secret: SECRET, data: { id: 'deal_docs' } });
  const replies: Reply[] = [];
  try {
    let first: Reply | undefined;
    await eventually(async () => {
      first = await post(url, sent.body, sent.headers).catch(() => undefined);
      if (first === undefined) await sleep(30);
      return first !== undefined;
    }, `${file} listening: ${out}`);
    if (first) replies.push(first);
    replies.push(await post(url, sent.body, sent.headers));
    replies.push(await post(url, sent.text.replace('deal_docs', 'deal_doc5'), sent.headers));
    await cut();
    // the sample was told of its lost connections (an 'error' event) and lives on
    await sleep(200);
    expect(child.exitCode).toBeNull();
    const next = signedDelivery('deal.won', { secret: SECRET, data: { id: 'deal_next' } });
    let after: Reply | undefined;
    await eventually(async () => {
      after = await post(url, next.body, next.headers);
      if (after.status !== 200) await sleep(50);
      return after.status === 200;
    }, `${file} handling an event after its connections were ended: ${out}`);
    if (after) replies.push(after);
  } finally {
    child.kill();
  }
  return { statuses: replies.map((reply) => reply.status), replies, out: () => out };
};

describe('the shared stores’ code samples', () => {
  it('are on the page', () => {
    expect(samples.map(([file]) => file)).toEqual(SERVER_SAMPLES);
  });

  it.each(samples)(
    '%s runs as the page says',
    async (file, code) => {
      writeFileSync(join(project, file), code);
      if (file === 'redis-receiver.mjs') {
        const admin = await connect.nodeRedis();
        const { statuses, replies, out } = await serve(
          file,
          { REDIS_URL: servers().redis.url },
          () => admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']),
        );
        expect(statuses).toEqual([200, 200, 401, 200]);
        expect(replies[1]?.body).toMatchObject({ handled: 0, duplicates: 1 });
        expect(out()).toMatch(/^won: deal_docs\n(redis: .+\n)+won: deal_next\n$/);
      } else {
        const admin = await connect.pgClient();
        const { statuses, replies, out } = await serve(
          file,
          { DATABASE_URL: servers().postgres.url },
          () =>
            admin.query(
              'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = $1',
              ['client backend'],
            ),
        );
        expect(statuses).toEqual([200, 200, 401, 200]);
        expect(replies[1]?.body).toMatchObject({ handled: 0, duplicates: 1 });
        expect(out()).toMatch(/^(postgres: .+\n)+$/);
        const won = await admin.query('SELECT deal_id, value::text FROM won_deals ORDER BY 1');
        expect(won.rows).toEqual([
          { deal_id: 'deal_docs', value: '12000' },
          { deal_id: 'deal_next', value: '12000' },
        ]);
      }
    },
    60_000,
  );
});
