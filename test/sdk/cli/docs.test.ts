/**
 * The commands of docs/cli.md run as written: the package built and installed in a clean
 * project (`npx isao` finds its bin), the sandbox and docs/custom.md's node:http receiver (its
 * server.mjs sample) running, and every `sh` block of the page run in one shell
 * with `set -e`, so a command that fails fails the test. The only change: the page's ports (4010
 * for the sandbox, 3000 for the receiver) become the free ones the test took.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../../sandbox/server';
import { buildPackage } from '../build';
import { freePort, post, ROOT } from '../helpers';

// each command is a child process, and check and --like-isao take seconds by design
jest.setTimeout(60_000);

const page = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
const commands = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block = '']) => block);
const guide = readFileSync(join(ROOT, 'docs', 'custom.md'), 'utf8');
const server = /```js\n\/\/ server\.mjs\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';

const output = (
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out });
    });
  });

it('the pages show the CLI commands and the receiver', () => {
  expect(commands.length).toBeGreaterThanOrEqual(3);
  expect(commands.join('')).toContain('npx isao check');
  expect(server).toContain('createNodeMiddleware');
});

// eleven npx runs: a minute on a busy machine
it('every command of the page runs as written', async () => {
  const built = buildPackage();
  const project = join(built.dir, 'project');
  mkdirSync(join(project, 'node_modules', '@isao'), { recursive: true });
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync(built.dir, join(project, 'node_modules', '@isao', 'webhooks'), 'dir');
  symlinkSync(
    join('..', '@isao', 'webhooks', 'dist', 'cli.cjs'),
    join(project, 'node_modules', '.bin', 'isao'),
  );
  writeFileSync(join(project, 'server.mjs'), server);
  const sandbox = await startSandbox();
  const port = await freePort();
  const env = { ...process.env, npm_config_offline: 'true' };
  const receiver = spawn(process.execPath, ['server.mjs'], {
    cwd: project,
    env: { ...env, PORT: String(port), ISAO_WEBHOOK_SECRET: 'whsec_test' },
  });
  try {
    // the receiver is up once it answers
    for (let tries = 0; tries < 100; tries += 1) {
      const up = await post(`http://127.0.0.1:${String(port)}/`, '{}').then(
        () => true,
        () => false,
      );
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const script = ['set -e', ...commands]
      .join('\n')
      .replaceAll('127.0.0.1:4010', `127.0.0.1:${String(sandbox.port)}`)
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${String(port)}`);
    const ran = await output('sh', ['-c', script], { cwd: project, env });
    expect(ran.out).toContain('deal.won: subscribed (sub_');
    expect(ran.out).toContain('0 would remove, 2 kept.');
    expect(ran.out).toContain('2 delivered.');
    expect(ran.out).toContain('8 of 8 checks passed.');
    expect(ran.out).toContain('X-Isao-Hmac-Sha256: N5uIhRFOOnpTtmgm3VDUqUMPzg7fD9IIZZ5Ns57Dw0k=');
    expect(ran.out).toContain('valid: signed with secret 1 of 1\n1 event(s): deal.won (no id)');
    expect(ran.out).toContain('72 of 72 passed');
    expect(ran.code).toBe(0);
  } finally {
    receiver.kill();
    await sandbox.close();
    built.remove();
  }
}, 240_000);
