/**
 * A local stand-in for the Zapier side of a Zap run, so the app can be driven end to end offline
 * through the real zapier-platform-core runtime (the same Lambda handler Zapier calls):
 * - `startLocalZapier(appPath)`: runs operations through core's `createAppHandler`, with an
 *   in-memory RPC endpoint for `z.cache` that honours TTL and `nx` (as Zapier's does; the
 *   createAppTester mock ignores both, so duplicate handling could not be shown with it);
 * - `startCatchHook()`: an HTTP endpoint standing in for `hooks.zapier.com`, recording each
 *   delivery (`hookBundle`, hook-bundle.ts, makes one the bundle Zapier would give `perform`).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listenLocally } from './loopback';

export type LambdaHandler = (event: Record<string, unknown>) => Promise<{ results: unknown }>;
// The handler zapierwrapper.js (and so Zapier's Lambda) uses; core exports it untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { createAppHandler } = require('zapier-platform-core') as {
  createAppHandler: (appPathOrDefinition: string | object) => LambdaHandler;
};

const readBody = (req: NodeJS.ReadableStream): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });

interface RpcRequest {
  id: string;
  method: string;
  params: unknown[];
}

/** Zapier's zcache over core's RPC protocol, in memory: TTL (seconds) and `nx` honoured. */
const cacheRpc = () => {
  const store = new Map<string, { value: string; expires: number }>();
  const calls: string[] = [];
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expires <= Date.now()) store.delete(key);
    return store.get(key);
  };
  const handle = ({ method, params }: RpcRequest): unknown => {
    calls.push(method);
    const [key, value, ttl, , nx] = params as [string, string?, number?, unknown?, boolean?];
    if (method === 'zcache_get') return live(key)?.value ?? null;
    if (method === 'zcache_delete') return store.delete(key);
    if (method === 'zcache_set') {
      if (nx && live(key)) return false;
      store.set(key, { value: value ?? 'null', expires: ttl ? Date.now() + ttl * 1000 : Infinity });
      return true;
    }
    throw new Error(`the local Zapier does not implement RPC method ${method}`);
  };
  return { handle, calls };
};

export interface LocalZapier {
  /** Runs e.g. `triggers.new_contact.operation.perform` and returns its results. */
  run: (method: string, bundle: Record<string, unknown>) => Promise<unknown>;
  /** The RPC methods called so far (`zcache_set`, …). */
  rpcCalls: string[];
  /** What core logged (its HTTP and console lines), as Zapier's log service would receive it. */
  logs: { message: string; data: Record<string, unknown> }[];
  /** The RPC endpoint (an execute event's `rpc_base`), for handlers run elsewhere. */
  rpcBase: string;
  close: () => Promise<void>;
}

/**
 * @param app the app's entry (index.js), loaded by core as Zapier's Lambda loads it, or the app
 *   definition itself (tests pass the source app, so they never run a stale build)
 * @param environment variables Zapier would inject (what `zapier-platform env:set` stores)
 */
export const startLocalZapier = async (
  app: string | object,
  environment: Record<string, string> = {},
): Promise<LocalZapier> => {
  const rpc = cacheRpc();
  const logs: LocalZapier['logs'] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      if (req.url === '/logs') {
        // core streams its log lines (JSON Lines) to LOGGING_ENDPOINT: keep them here
        for (const line of raw.split('\n').filter(Boolean)) {
          logs.push(JSON.parse(line) as LocalZapier['logs'][number]);
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        return;
      }
      const request = JSON.parse(raw) as RpcRequest;
      let reply: Record<string, unknown>;
      try {
        reply = { id: request.id, result: rpc.handle(request) };
      } catch (error) {
        reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  const rpcBase = await listenLocally(server);
  const handler = createAppHandler(app);
  return {
    run: async (method, bundle) =>
      (
        await handler({
          command: 'execute',
          method,
          bundle,
          rpc_base: rpcBase,
          token: 'local-zapier',
          // the token that authorises RPC calls also turns on core's log shipping: to here,
          // not to Zapier's log service
          environment: { LOGGING_ENDPOINT: `${rpcBase}/logs`, ...environment },
          calledFromCli: true,
        })
      ).results,
    rpcCalls: rpc.calls,
    logs,
    rpcBase,
    close: () => closeServer(server),
  };
};

export interface CaughtHook {
  path: string;
  raw: string;
  headers: IncomingHttpHeaders;
}

export interface CatchHook {
  /** The base URL; give each subscription its own path below it. */
  url: string;
  caught: CaughtHook[];
  /** Resolves with the next (or an already caught, unclaimed) delivery to `path`. */
  next: (path: string, timeoutMs?: number) => Promise<CaughtHook>;
  /** Answer the next N deliveries with this status (to exercise the sender's retries). */
  failNext: (count: number, status?: number) => void;
  close: () => Promise<void>;
}

export const startCatchHook = async (): Promise<CatchHook> => {
  const caught: CaughtHook[] = [];
  const claimed = new Set<CaughtHook>();
  const waiters: { path: string; resolve: (hook: CaughtHook) => void }[] = [];
  let failures = { count: 0, status: 500 };
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        res.writeHead(failures.status).end();
        return;
      }
      const hook: CaughtHook = { path: req.url ?? '/', raw, headers: req.headers };
      caught.push(hook);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success"}');
      const index = waiters.findIndex((w) => w.path === hook.path);
      const waiter = index >= 0 ? waiters.splice(index, 1)[0] : undefined;
      if (waiter) {
        claimed.add(hook);
        waiter.resolve(hook);
      }
    });
  });
  const url = await listenLocally(server);
  const next = (path: string, timeoutMs = 5000): Promise<CaughtHook> => {
    const ready = caught.find((hook) => hook.path === path && !claimed.has(hook));
    if (ready) {
      claimed.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        path,
        resolve: (hook: CaughtHook) => {
          clearTimeout(timer);
          resolve(hook);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no webhook reached ${url}${path} within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return {
    url,
    caught,
    next,
    failNext: (count, status = 500) => {
      failures = { count, status };
    },
    close: () => closeServer(server),
  };
};
