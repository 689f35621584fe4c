/**
 * `npm run sandbox` as a user runs it (docs/sandbox.md): the npm script itself, so a renamed
 * entry point fails here instead of building, printing nothing and exiting 0.
 */
import { createServer } from 'node:net';
import { allowLoopback } from '../helpers';
import { startScript, type RunningScript } from './run-script';

/** A port nothing listens on right now (the OS picks it; the sandbox then binds it). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });

let sandbox: RunningScript | undefined;

beforeAll(() => {
  allowLoopback();
});

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

it('`npm run sandbox -- --port N` serves /test, to the key sent as `Authorization: Bearer …`', async () => {
  const port = await freePort();
  sandbox = startScript('npm', ['run', 'sandbox', '--', '--port', String(port)]);
  const banner = await sandbox.waitFor(/API key \(all permissions\):\s+(\S+)/);
  const base = `http://127.0.0.1:${String(port)}/api/external`;
  expect(sandbox.output()).toContain(`ISAO sandbox API running at ${base}`);

  const anonymous = await fetch(`${base}/test`);
  expect(anonymous.status).toBe(401);
  expect(await anonymous.text()).toContain(
    'Missing API key: send Authorization: Bearer YOUR_API_KEY',
  );

  const keyed = await fetch(`${base}/test`, {
    headers: { Authorization: `Bearer ${banner[1] ?? ''}` },
  });
  expect(keyed.status).toBe(200);
  expect(await keyed.json()).toEqual({
    success: true,
    data: { company: { id: expect.any(String), name: expect.any(String) } },
  });

  await sandbox.stop(); // Ctrl-C: the sandbox closes its port
  await expect(fetch(`${base}/test`)).rejects.toThrow();
}, 60_000);
