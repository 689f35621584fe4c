/**
 * The two receivers under load, in their own process (the load comes from the parent): the
 * package's `createNodeMiddleware` on node:http, and the bare handler doing the floor's work.
 * Prints `{"ours": port, "bare": port}` once both listen; exits when its stdin closes. A GET to
 * either answers the process's CPU time so far (user and system, µs), read around each round.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Webhooks } from '../../sdk/src/index';
import { bareHandler } from './contenders';
import { SECRET } from './deliveries';

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address: AddressInfo | string | null = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });

/** The handler, and a GET answered with the CPU time this process used so far. */
const withCpuTime =
  (handler: (req: IncomingMessage, res: ServerResponse) => void): RequestListener =>
  (req, res) => {
    if (req.method !== 'GET') {
      handler(req, res);
      return;
    }
    const { user, system } = process.cpuUsage();
    res.end(String(user + system));
  };

const main = async () => {
  let handled = 0;
  const webhooks = new Webhooks({ secrets: SECRET }).on('contact.created', () => {
    handled += 1;
  });
  const middleware = createNodeMiddleware(webhooks);
  const ours = createServer(
    withCpuTime((req, res) => {
      void middleware(req, res);
    }),
  );
  const bare = createServer(withCpuTime(bareHandler));
  const ports = { ours: await listen(ours), bare: await listen(bare) };
  process.stdout.write(`${JSON.stringify(ports)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    process.stderr.write(`handled ${String(handled)}\n`);
    ours.close();
    bare.close();
    process.exit(0);
  });
};

void main();
