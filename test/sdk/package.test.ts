/**
 * The package as a user gets it: built by its script, packed by `npm pack` into a temporary
 * folder (never into the repository), unpacked into a clean project, and imported there as ESM
 * and as CommonJS by a child node, with its types checked by tsc; no runtime dependency, and
 * verify plus the fetch handler at most 15 KB gzipped in a user's minified bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildPackage } from './build';
import { ROOT } from './helpers';

const built = buildPackage({ types: true });
const work = mkdtempSync(join(tmpdir(), 'isao-webhooks-consumer-'));
const consumer = join(work, 'consumer');
let packed: string[] = [];

beforeAll(() => {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const out = execFileSync(
    'npm',
    ['pack', built.dir, '--pack-destination', tarballs, '--json', '--ignore-scripts'],
    {
      cwd: work,
      encoding: 'utf8',
    },
  );
  const [info] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
  packed = info.files.map((file) => file.path).sort();
  const modules = join(consumer, 'node_modules', '@isao');
  mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', join(tarballs, info.filename), '-C', modules]);
  execFileSync('mv', [join(modules, 'package'), join(modules, 'webhooks')]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true }),
  );
});

afterAll(() => {
  built.remove();
  rmSync(work, { recursive: true, force: true });
});

/** What the child prints: a delivery signed by the testing entry, verified and received. */
const PROGRAM = (load: (name: string) => string) => `
${load('@isao/webhooks')}
${load('@isao/webhooks/web')}
${load('@isao/webhooks/testing')}
const run = async () => {
  const sent = testing.signedDelivery('deal.won', { secret: 's3cret', eventId: 'evt_pkg' });
  const verified = node.verify(sent.body, sent.headers, { secrets: ['old', 's3cret'] });
  const viaWeb = await web.verify(sent.body, sent.headers, { secrets: ['old', 's3cret'] });
  const webhooks = new node.Webhooks({ secrets: 's3cret' });
  const seen = [];
  webhooks.on('deal.won', (event) => { seen.push(event.record.stage); });
  const answer = await webhooks.receive(sent.body, sent.headers);
  const again = await webhooks.receive(sent.body, sent.headers);
  const handler = web.createWebHandler(new web.Webhooks({ secrets: 's3cret' }));
  const response = await handler(new Request('http://x/', { method: 'POST', body: sent.body, headers: sent.headers }));
  console.log(JSON.stringify({
    signedWith: verified.signedWith,
    same: JSON.stringify(viaWeb) === JSON.stringify(verified),
    answers: [answer.status, again.body.duplicates, response.status],
    seen,
    middleware: typeof node.createNodeMiddleware,
  }));
};
run();
`;

const EXPECTED = {
  signedWith: 1,
  same: true,
  answers: [200, 1, 200],
  seen: ['Closed Won'],
  middleware: 'function',
};

const run = (file: string, program: string): unknown => {
  writeFileSync(join(consumer, file), program);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' }));
};

describe('the packed package', () => {
  it('holds its builds, types, README and licence, and depends on nothing', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.mjs',
        'dist/index.cjs',
        'dist/web.mjs',
        'dist/web.cjs',
        'dist/testing.mjs',
        'dist/testing.cjs',
        'dist/types/sdk/src/index.d.ts',
        'dist/types/sdk/src/web.d.ts',
        'dist/types/sdk/src/testing.d.ts',
      ]),
    );
    expect(packed.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    const manifest: Record<string, unknown> = JSON.parse(
      readFileSync(join(consumer, 'node_modules', '@isao', 'webhooks', 'package.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({ name: '@isao/webhooks', license: 'MIT' });
    expect(manifest).not.toHaveProperty('dependencies');
    expect(manifest).not.toHaveProperty('scripts');
    expect(
      readFileSync(join(consumer, 'node_modules', '@isao', 'webhooks', 'LICENSE'), 'utf8'),
    ).toMatch(/^MIT License/);
  });

  it('imports as ESM from a clean project', () => {
    const names: Record<string, string> = {
      '@isao/webhooks': 'node',
      '@isao/webhooks/web': 'web',
      '@isao/webhooks/testing': 'testing',
    };
    const program = PROGRAM((name) => `import * as ${names[name] ?? ''} from '${name}';`);
    expect(run('esm.mjs', program)).toEqual(EXPECTED);
  });

  it('requires as CommonJS from a clean project', () => {
    const names: Record<string, string> = {
      '@isao/webhooks': 'node',
      '@isao/webhooks/web': 'web',
      '@isao/webhooks/testing': 'testing',
    };
    const program = PROGRAM((name) => `const ${names[name] ?? ''} = require('${name}');`);
    expect(run('cjs.cjs', program)).toEqual(EXPECTED);
  });

  it('type-checks a user’s TypeScript against its declarations', () => {
    writeFileSync(
      join(consumer, 'receiver.ts'),
      `import { Webhooks, createNodeMiddleware } from '@isao/webhooks';
import { createWebHandler, Webhooks as WebWebhooks } from '@isao/webhooks/web';
import { signedDelivery } from '@isao/webhooks/testing';
const webhooks = new Webhooks({ secrets: process.env.ISAO_SECRET ?? 'x' });
webhooks.on('deal.won', (event) => {
  const stage: string | null = event.record.stage;
  // @ts-expect-error: a deal has no email
  const email: string | null | undefined = event.data.email;
  return [stage, email];
});
export const middleware = createNodeMiddleware(webhooks);
export const handler: (request: Request) => Promise<Response> = createWebHandler(new WebWebhooks({ secrets: 'x' }));
export const sent = signedDelivery('contact.created', { secret: 'x' });
`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--skipLibCheck',
      '--types',
      'node',
      '--typeRoots',
      join(ROOT, 'node_modules', '@types'),
      'receiver.ts',
    ];
    expect(
      execFileSync(process.execPath, [tsc, ...args], { cwd: consumer, encoding: 'utf8' }),
    ).toBe('');
  });

  it('gives verify and the fetch handler in at most 15 KB gzipped, minified in a user’s bundle', async () => {
    const result = await build({
      stdin: {
        contents: "export { verify, createWebHandler, Webhooks } from '@isao/webhooks/web';",
        resolveDir: consumer,
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    const gzipped = gzipSync(output?.contents ?? new Uint8Array(), { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1000);
    expect(gzipped).toBeLessThanOrEqual(15 * 1024);
    expect(readdirSync(consumer)).toContain('node_modules');
  });
});
