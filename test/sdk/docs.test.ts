/**
 * Every code sample of docs/custom.md and sdk/README.md runs: each `js` block names its file on
 * its first line, is written into a clean project beside the built package, and run as the page
 * says (a server sent real signed deliveries, a module's fetch handler called, a script's output
 * read). A sample with no way to run it here fails the test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildPackage } from './build';
import { post, ROOT } from './helpers';
import { signedDelivery } from '../../sdk/src/testing';
import { SERVER_SAMPLES } from './stores/samples';

const built = buildPackage();
const project = join(built.dir, 'project');
mkdirSync(join(project, 'node_modules', '@isao'), { recursive: true });
symlinkSync(built.dir, join(project, 'node_modules', '@isao', 'webhooks'), 'dir');
afterAll(built.remove);

const SECRET = 'whsec_docs';

/** The `js` blocks of a page: [file named on the first line, code]. */
const samples = (page: string): [string, string][] =>
  [...readFileSync(join(ROOT, page), 'utf8').matchAll(/```js\n\/\/ (\S+)\n([\s\S]*?)```/g)].map(
    ([code = '', file = '']) => [file, code.replace(/^```js\n/, '').replace(/```$/, '')],
  );

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });

const node = (file: string, args: string[] = []): string =>
  execFileSync(process.execPath, [file, ...args], { cwd: project, encoding: 'utf8' });

/** How each sample is run, by its file name. */
const RUN: Record<string, (file: string) => Promise<void>> = {
  'server.mjs': async (file) => {
    const port = await freePort();
    const child = spawn(process.execPath, [file], {
      cwd: project,
      env: { ...process.env, PORT: String(port), ISAO_WEBHOOK_SECRET: SECRET },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    try {
      const url = `http://127.0.0.1:${String(port)}`;
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
      expect(
        (await post(url, sent.text.replace('Tech Corp', 'Tech Co'), sent.headers)).status,
      ).toBe(401);
      expect(out).toBe('won: Enterprise plan – Tech Corp for 12000 EUR\n');
    } finally {
      child.kill();
    }
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
    expect(node(file, [join(ROOT, 'conformance', 'vectors.json')])).toBe('71 of 71 passed\n');
    return Promise.resolve();
  },
};

describe('the code samples', () => {
  const all = [...samples('docs/custom.md'), ...samples('sdk/README.md')];

  it('are found, each with a way to run it', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    // the shared stores' samples need their servers: test/sdk/stores/docs.test.ts runs them
    const here = all.map(([file]) => file).filter((file) => !SERVER_SAMPLES.includes(file));
    expect(here.filter((file) => !(file in RUN))).toEqual([]);
  });

  it.each(all.filter(([file]) => !SERVER_SAMPLES.includes(file)))(
    '%s runs as the page says',
    async (file, code) => {
      writeFileSync(join(project, file), code);
      await RUN[file]?.(file);
    },
  );
});
