/**
 * The shared stores' code samples of docs/stores.md run as the page says, each in a clean
 * project beside the built package, against the servers: a delivery handled once, its retry a
 * duplicate, a tampered copy refused.
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

/** Runs a sample as a server on a port, sends it `sent` twice and a tampered copy. */
const serve = async (file: string, env: Record<string, string>) => {
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
        const { statuses, replies, out } = await serve(file, { REDIS_URL: servers().redis.url });
        expect(statuses).toEqual([200, 200, 401]);
        expect(replies[1]?.body).toMatchObject({ handled: 0, duplicates: 1 });
        expect(out()).toBe('won: deal_docs\n');
      } else {
        const { statuses, replies } = await serve(file, { DATABASE_URL: servers().postgres.url });
        expect(statuses).toEqual([200, 200, 401]);
        expect(replies[1]?.body).toMatchObject({ handled: 0, duplicates: 1 });
        const won = await (
          await connect.pgClient()
        ).query('SELECT deal_id, value::text FROM won_deals');
        expect(won.rows).toEqual([{ deal_id: 'deal_docs', value: '12000' }]);
      }
    },
    60_000,
  );
});
