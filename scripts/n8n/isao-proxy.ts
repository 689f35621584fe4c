/**
 * ISAO as n8n meets it when unsubscribe answers are lost: a pass-through in front of the sandbox
 * (n8n's credential points here) that, once told to, lets each `DELETE /webhooks/unsubscribe`
 * reach the sandbox (which stops the subscription) and then cuts the connection before any
 * answer, until n8n next asks for the list of subscriptions: n8n 2.41 tries a failed unsubscribe
 * again in the background while the workflow stays unpublished (its publication reconciler runs
 * every 10 s), and those attempts are lost too. From then on it lists that subscription under its
 * id with `is_active: false`, as ISAO lists a subscription it has stopped; deleting it once
 * answers flow again (the sandbox answers 404) drops it from the list. The rest passes through.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isRecord, text } from '../../core/inputs';
import { closeServer, listenLocally } from '../../sandbox/loopback';
import type { Json } from './rest';

export interface IsaoProxy {
  /** `http://127.0.0.1:PORT/api/external`: the Base URL n8n's credential is given. */
  baseUrl: string;
  /** Until the next `GET /webhooks`, each unsubscribe reaches ISAO but its answer is lost. */
  loseUnsubscribeAnswers: () => void;
  /** The subscriptions listed as stopped (`is_active: false`), by id. */
  stopped: ReadonlyMap<string, Json>;
  /** The id of each unsubscribe whose answer was lost, oldest first. */
  lost: readonly string[];
  close: () => Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
};

const parsed = (raw: Buffer): unknown => {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

/** The listed subscriptions of a `GET /webhooks` answer (`{success, data: […]}`). */
const listed = (body: unknown): Json[] => {
  const data = isRecord(body) ? body.data : undefined;
  return Array.isArray(data) ? data.filter(isRecord) : [];
};

/** The request's headers to pass on (not those of this hop). */
const passedHeaders = (req: IncomingMessage): [string, string][] =>
  Object.entries(req.headers).flatMap(([name, value]): [string, string][] =>
    typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)
      ? [[name, value]]
      : [],
  );

export const startIsaoProxy = async (sandboxBaseUrl: string): Promise<IsaoProxy> => {
  const target = new URL(sandboxBaseUrl);
  const stopped = new Map<string, Json>();
  const lost: string[] = [];
  let losing = false;

  /** One request to the sandbox; the answer's status and bytes. */
  const send = async (method: string, path: string, headers: [string, string][], body?: Buffer) => {
    const res = await fetch(new URL(path, target.origin), {
      method,
      headers,
      ...(body && body.length > 0 ? { body } : {}),
    });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };

  const reply = (res: ServerResponse, status: number, body: Buffer) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  };

  /** GET /webhooks: the sandbox's list, then the stopped subscriptions it no longer lists. */
  const list = async (headers: [string, string][]) => {
    const answer = await send('GET', `${target.pathname}/webhooks`, headers);
    const body = parsed(answer.body);
    const active = listed(body);
    const ids = new Set(active.map((item) => item.subscription_id));
    const shown = [...active, ...[...stopped.values()].filter((s) => !ids.has(s.subscription_id))];
    return { ...answer, active, body: isRecord(body) ? { ...body, data: shown } : body };
  };

  /** DELETE /webhooks/unsubscribe: passed on; when armed, its answer is lost. */
  const unsubscribe = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const sent = parsed(body);
    const id = text(isRecord(sent) ? sent.subscription_id : undefined);
    const headers = passedHeaders(req);
    if (!losing || id === undefined) {
      const answer = await send('DELETE', req.url ?? '/', headers, body);
      if (id !== undefined) stopped.delete(id);
      reply(res, answer.status, answer.body);
      return;
    }
    const item = (await list(headers)).active.find((s) => s.subscription_id === id);
    const answer = await send('DELETE', req.url ?? '/', headers, body);
    if (answer.status < 300 && item) stopped.set(id, { ...item, is_active: false });
    lost.push(id);
    // ISAO acted on it; the answer never reaches n8n
    req.socket.destroy();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', target.origin).pathname;
    if (req.method === 'GET' && path === `${target.pathname}/webhooks`) {
      losing = false;
      const answer = await list(passedHeaders(req));
      reply(res, answer.status, Buffer.from(JSON.stringify(answer.body)));
    } else if (req.method === 'DELETE' && path === `${target.pathname}/webhooks/unsubscribe`) {
      await unsubscribe(req, res, body);
    } else {
      const answer = await send(req.method ?? 'GET', req.url ?? '/', passedHeaders(req), body);
      reply(res, answer.status, answer.body);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(502).end(JSON.stringify({ message: String(error) }));
    });
  });
  const origin = await listenLocally(server);
  return {
    baseUrl: `${origin}${target.pathname}`,
    loseUnsubscribeAnswers: () => {
      losing = true;
    },
    stopped,
    lost,
    close: () => closeServer(server),
  };
};
