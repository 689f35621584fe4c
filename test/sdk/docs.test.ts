/**
 * Every code sample of docs/custom.md, conformance/README.md and sdk/README.md runs: each `js`
 * block names its file on its first line, is written into a clean project beside the built
 * package, and run as the page says (a server sent real signed deliveries, a module's fetch
 * handler called, a script's output read). A sample with no way to run it here fails the test.
 * (docs/stores.md's samples need the stores' servers: test/sdk/stores/docs.test.ts runs them.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageProject } from './build';
import { freePort, post, ROOT } from './helpers';
import { routeServer } from '../examples/servers';
import { startSandbox } from '../../sandbox/server';
import { signedDelivery } from '../../sdk/src/testing';

const { dir: project, remove } = packageProject([
  'express',
  'fastify',
  'koa',
  'hono',
  '@hono/node-server',
]);
afterAll(remove);

const SECRET = 'whsec_docs';

/** The `js` blocks of a page: [file named on the first line, code]. */
const samples = (page: string): [string, string][] =>
  [...readFileSync(join(ROOT, page), 'utf8').matchAll(/```js\n\/\/ (\S+)\n([\s\S]*?)```/g)].map(
    ([code = '', file = '']) => [file, code.replace(/^```js\n/, '').replace(/```$/, '')],
  );

const node = (file: string, args: string[] = []): string =>
  execFileSync(process.execPath, [file, ...args], { cwd: project, encoding: 'utf8' });

/**
 * Runs a server sample on a free port, and sends it a signed deal.won at `path` (200, printing
 * `expected`, or what it gives for the port), the same again (a duplicate) and a tampered copy
 * (401).
 */
const served =
  (path: string, expected: string | ((port: number) => string)) => async (file: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, [file], {
      cwd: project,
      env: { ...process.env, PORT: String(port), ISAO_WEBHOOK_SECRET: SECRET },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    try {
      const url = `http://127.0.0.1:${String(port)}${path}`;
      const sent = signedDelivery('deal.won', { secret: SECRET });
      let reply;
      for (let tries = 0; reply === undefined && tries < 100; tries += 1) {
        reply = await post(url, sent.body, sent.headers).catch(
          // not listening yet: wait a little and try again
          () =>
            new Promise<undefined>((resolve) =>
              setTimeout(() => {
                resolve(undefined);
              }, 50),
            ),
        );
      }
      expect(reply?.status).toBe(200);
      // ISAO's retry of the same event: answered, not run again
      expect((await post(url, sent.body, sent.headers)).body).toMatchObject({ duplicates: 1 });
      expect(
        (await post(url, sent.text.replace('Tech Corp', 'Tech Co'), sent.headers)).status,
      ).toBe(401);
      expect(out).toBe(typeof expected === 'string' ? expected : expected(port));
    } finally {
      child.kill();
    }
  };

const WON = 'won: Enterprise plan – Tech Corp\n';

/** How each sample is run, by its file name. */
const RUN: Record<string, (file: string) => Promise<void>> = {
  'server.mjs': served('/', 'won: Enterprise plan – Tech Corp for 12000 EUR\n'),
  'express.mjs': served('/webhook/isao', WON),
  'fastify.mjs': served('/webhook/isao', WON),
  'koa.mjs': served('/webhook/isao', WON),
  'hono.mjs': served('/webhook/isao', WON),
  'app/api/isao/route.js': (file) => {
    // served as Next.js serves app/api/isao/route.js (Next.js is not installed here)
    writeFileSync(join(project, 'serve-route.mjs'), routeServer(`./${file}`));
    return served(
      '/api/isao',
      (port) => `Webhook server listening on port ${String(port)}\n${WON}`,
    )('serve-route.mjs');
  },
  'worker.mjs': (file) => {
    // a runtime calling the module's fetch handler with a signed Request
    writeFileSync(
      join(project, 'run-worker.mjs'),
      `import worker from './${file}';
import { signedDelivery } from '@isao/webhooks/testing';
const sent = signedDelivery('contact.created', { secret: 'dev' });
const response = await worker.fetch(new Request('http://127.0.0.1/', { method: 'POST', body: sent.body, headers: sent.headers }));
console.log(response.status, JSON.stringify(await response.json()));`,
    );
    expect(node('run-worker.mjs')).toBe(
      'new contact: jane.smith@example.com\n200 {"ok":true,"message":"Handled 1 event(s).","handled":1,"duplicates":0}\n',
    );
    return Promise.resolve();
  },
  'rotation.mjs': (file) => {
    expect(node(file)).toBe('true 1\n');
    return Promise.resolve();
  },
  'receiver.test.mjs': (file) => {
    node(file);
    return Promise.resolve();
  },
  'vectors.mjs': (file) => {
    expect(node(file, [join(ROOT, 'conformance', 'vectors.json')])).toBe('72 of 72 passed\n');
    return Promise.resolve();
  },
  'client.mjs': async (file) => {
    const sandbox = await startSandbox();
    try {
      const env = { ISAO_API_KEY: sandbox.apiKey, ISAO_BASE_URL: sandbox.baseUrl };
      const run = (): Promise<string> =>
        new Promise((resolve, reject) => {
          // asynchronous: the sandbox answers from this process
          const child = spawn(process.execPath, [file], {
            cwd: project,
            env: { ...process.env, ...env },
          });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          child.on('error', reject);
          child.on('close', () => {
            resolve(out);
          });
        });
      expect(await run()).toBe('subscribed deal.won\ninvalid_input phoneNumber\n');
      expect(await run()).toBe('already subscribed deal.won\ninvalid_input phoneNumber\n');
    } finally {
      await sandbox.close();
    }
  },
};

describe('the code samples', () => {
  const all = [
    ...samples('docs/custom.md'),
    ...samples('conformance/README.md'),
    ...samples('sdk/README.md'),
  ];

  it('are found, each with a way to run it', () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(all.map(([file]) => file).filter((file) => !(file in RUN))).toEqual([]);
  });

  it.each(all)('%s runs as the page says', async (file, code) => {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), code);
    await RUN[file]?.(file);
  });
});
