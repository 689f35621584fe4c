/**
 * Exactly-once delivery through core's own RPC client: the app runs in zapier-platform-core's
 * Lambda handler with `rpc_base` and `token` set, so `z.cache` is core's real client (with its
 * retries), talking to a local zcache on 127.0.0.1 that honours nx, TTL and scope and can apply a
 * call and then lose its answer, as a gateway error or a reset connection does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';
import App from '../../src';
import { hookBundle } from '../../sandbox/hook-bundle';
import { closeServer, listenLocally } from '../../sandbox/loopback';
import { createAppHandler } from '../../sandbox/local-zapier';
import { signWebhook } from '../../sandbox/signing';
import { underStryker } from '../checks/evidence';
import { allowLoopback } from '../helpers';

interface RpcCall {
  id: string;
  method: string;
  params: unknown[];
}

/** How the next answers are lost: a gateway's 502, or the connection reset. */
type Loss = 'gateway' | 'reset';

const bodyOf = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Zapier's zcache over core's RPC protocol. `loseAnswers(n, how)` makes the next n calls apply
 * and then lose their answer; `methods` lists every call that reached it (retries included) and
 * `logs` what core shipped to its log endpoint.
 */
const startZcache = async () => {
  const store = new Map<string, { value: string; expires: number }>();
  const methods: string[] = [];
  const logs: string[] = [];
  let losses: Loss[] = [];
  const slot = (key: unknown, scope: unknown) => JSON.stringify([scope, key]);
  const live = (at: string) => {
    const entry = store.get(at);
    return entry && entry.expires > Date.now() ? entry : undefined;
  };
  const apply = ({ method, params }: RpcCall): unknown => {
    methods.push(method);
    if (method === 'zcache_get') return live(slot(params[0], params[1]))?.value ?? null;
    const [key, value, ttl, scope, nx] = params;
    if (method !== 'zcache_set' || typeof value !== 'string' || typeof ttl !== 'number') {
      throw new Error(`unexpected RPC call ${method}`);
    }
    if (nx === true && live(slot(key, scope))) return false;
    store.set(slot(key, scope), { value, expires: Date.now() + ttl * 1000 });
    return true;
  };
  const server: Server = createServer((req, res) => {
    void bodyOf(req).then((raw) => {
      if (req.url === '/logs') {
        for (const line of raw.split('\n').filter(Boolean)) {
          logs.push((JSON.parse(line) as { message: string }).message.trimEnd());
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        return;
      }
      const call = JSON.parse(raw) as RpcCall;
      const answer = JSON.stringify({ id: call.id, result: apply(call) });
      const loss = losses.shift();
      if (loss === 'reset') req.socket.destroy();
      else if (loss === 'gateway') res.writeHead(502).end('Bad Gateway');
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end(answer);
    });
  });
  const base = await listenLocally(server);
  return {
    base,
    methods,
    logs,
    loseAnswers: (count: number, how: Loss) => {
      losses = Array.from({ length: count }, () => how);
    },
    close: () => closeServer(server),
  };
};

type Zcache = Awaited<ReturnType<typeof startZcache>>;

const SECRET = 'whsec_rpc';

/** A signed contact.created webhook for event `eventId`, as ISAO sends it (and sends it again). */
const webhook = (eventId: string) => {
  const raw = JSON.stringify({
    event: 'contact.created',
    timestamp: new Date().toISOString(),
    data: { id: `contact_${eventId}`, name: 'Ada' },
    metadata: { companyId: 'cmp_1', eventId, source: 'api' },
  });
  return {
    authData: { api_key: 'k', webhook_secret: SECRET },
    subscribeData: { subscription_id: 'sub_rpc' },
    targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc',
    ...hookBundle(raw, { 'Http-X-Isao-Hmac-Sha256': signWebhook(SECRET, raw) }),
  };
};

// the built bundle is what Zapier runs; under StrykerJS dist/ is absent and src/ is the mutant
// (each gets its own event ids, as both share the one zcache)
const APPS: [string, string, string | object][] = [
  ['the source app', 'src', App],
  [
    'the built bundle (index.js → dist/)',
    'dist',
    underStryker() ? App : path.join(__dirname, '../../index.js'),
  ],
];

let zcache: Zcache;

beforeAll(async () => {
  allowLoopback();
  zcache = await startZcache();
});

afterAll(async () => {
  await zcache.close();
});

describe.each(APPS)("%s in core's handler, with core's RPC client", (_name, tag, app) => {
  const handler = createAppHandler(app);
  const perform = async (bundle: Record<string, unknown>) =>
    (
      await handler({
        command: 'execute',
        method: 'triggers.new_contact.operation.perform',
        bundle,
        rpc_base: zcache.base,
        token: 'rpc-test',
        environment: { LOGGING_ENDPOINT: `${zcache.base}/logs` },
        calledFromCli: true,
      })
    ).results as Record<string, unknown>[];

  const methodsDuring = async (run: () => Promise<unknown>) => {
    const before = zcache.methods.length;
    await run();
    return zcache.methods.slice(before);
  };

  it.each<[string, Loss]>([
    ['a 502', 'gateway'],
    ['a reset connection', 'reset'],
  ])(
    'delivers a first-time event whose claim was applied but answered with %s (core retried it)',
    async (_answer, how) => {
      const eventId = `evt_lost_${how}_${tag}`;
      zcache.loseAnswers(1, how);
      let out: Record<string, unknown>[] = [];
      const methods = await methodsDuring(async () => (out = await perform(webhook(eventId))));
      expect(out.map((r) => r.id)).toEqual([`contact_${eventId}`]);
      // core's retry of the applied claim answered false; reading it back found our own value
      expect(methods).toEqual(['zcache_set', 'zcache_set', 'zcache_get']);

      // ISAO's genuine retry of the same event, a second webhook, is still dropped
      const again = await methodsDuring(async () => (out = await perform(webhook(eventId))));
      expect(out).toEqual([]);
      expect(again).toEqual(['zcache_set', 'zcache_get']);
    },
  );

  it('a first delivery costs one cache call; a retry two', async () => {
    const eventId = `evt_plain_${tag}`;
    let out: Record<string, unknown>[] = [];
    const first = await methodsDuring(async () => (out = await perform(webhook(eventId))));
    expect(out).toHaveLength(1);
    expect(first).toEqual(['zcache_set']);
    const retry = await methodsDuring(async () => (out = await perform(webhook(eventId))));
    expect(out).toEqual([]);
    expect(retry).toEqual(['zcache_set', 'zcache_get']);
  });

  it('delivers, with one warning line, when every answer of the cache is lost', async () => {
    const eventId = `evt_down_${tag}`;
    zcache.loseAnswers(3, 'gateway');
    const out = await perform(webhook(eventId));
    expect(out.map((r) => r.id)).toEqual([`contact_${eventId}`]);
    expect(zcache.logs.filter((line) => line.includes(eventId))).toEqual([
      `ISAO: could not check event "${eventId}" for duplicates (RPC request failed after 3 attempts: Unable to reach the RPC server); delivering it anyway.`,
    ]);
  });
});
