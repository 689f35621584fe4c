/**
 * Places the credential's Test must never send the API key to, for the end-to-end run: a catcher
 * on 127.0.0.2 (a loopback address, but not one the core lets plain http reach: only localhost,
 * 127.0.0.1 and [::1] are), which notes every request it gets with its Authorization header, and
 * a redirector on 127.0.0.1 (a Base URL the core accepts) whose `/<status>/…` answers that
 * redirect status with a Location on the catcher, another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listenLocally } from '../../sandbox/loopback';

export interface KeyCatchers {
  /** `http://127.0.0.2:PORT`: a Base URL the nodes refuse (plain http, not this machine). */
  catcherUrl: string;
  /** A Base URL on 127.0.0.1 whose every answer is a `status` redirect to the catcher. */
  redirecting: (status: number) => string;
  /** What reached the catcher: each request's path and Authorization header. */
  caught: { path: string; authorization: string | undefined }[];
  /** How many requests the redirector answered. */
  redirected: () => number;
  close: () => Promise<void>;
}

/** Listens on a free port of `host`; resolves with the server's base URL. */
const listenOn = async (server: Server, host: string): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${String((server.address() as AddressInfo).port)}`;
};

export const startKeyCatchers = async (): Promise<KeyCatchers> => {
  const caught: KeyCatchers['caught'] = [];
  let redirected = 0;
  const catcher = createServer((req, res) => {
    caught.push({ path: req.url ?? '/', authorization: req.headers.authorization });
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end('{"success":true,"data":{"company":{"name":"Caught"}}}');
  });
  const catcherUrl = await listenOn(catcher, '127.0.0.2');
  const redirector = createServer((req, res) => {
    redirected += 1;
    const status = Number((req.url ?? '/').split('/')[1]);
    res.writeHead(status, { Location: `${catcherUrl}/grab` }).end();
  });
  const redirectorUrl = await listenLocally(redirector);
  return {
    catcherUrl,
    redirecting: (status) => `${redirectorUrl}/${String(status)}/api/external`,
    caught,
    redirected: () => redirected,
    close: async () => {
      await Promise.all([closeServer(catcher), closeServer(redirector)]);
    },
  };
};
