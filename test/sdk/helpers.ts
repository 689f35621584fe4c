/**
 * What the sdk's tests share: the conformance vectors as inputs and outcomes, a node:http server
 * on 127.0.0.1 around a handler, a request's whole body, and a POST of exact bytes to it.
 */
import {
  createServer,
  request,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { readFileSync } from 'node:fs';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Vector } from '../../scripts/sdk/vectors';

export const ROOT = join(__dirname, '..', '..');

export const VECTORS: readonly Vector[] = (
  JSON.parse(readFileSync(join(ROOT, 'conformance', 'vectors.json'), 'utf8')) as { cases: Vector[] }
).cases;

export const bytesOf = (vector: Vector): Uint8Array => Buffer.from(vector.body.base64, 'base64');

/** A vector's headers as node:http hands them over, and a result in the vectors' terms. */
export { outcomeOf as outcome, vectorHeaders as nodeHeaders } from '../../sdk/src/vectors';

/** A port on 127.0.0.1 that nothing listens on now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });

/** Reads the whole body as a framework's body parser would. */
export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
  });

/** A server on 127.0.0.1 at a free port, and its URL; close() ends it and its connections. */
export const listen = async (
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> => {
  const listener: RequestListener = (req, res) => {
    void handler(req, res);
  };
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${String(address.port)}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
};

/** An answer's JSON object; `{text}` for a body that is not one. */
const objectOf = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? { ...value } : { text };
  } catch {
    return { text };
  }
};

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  ms: number;
}

/** POSTs exactly these bytes with these headers (pairs, sent as given: repeats stay repeats). */
export const post = (
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> | readonly [string, string][] = {},
  method = 'POST',
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const given = Array.isArray(headers) ? headers : Object.entries(headers);
    // a header given twice is sent as two lines: node writes each item of an array
    const lines = new Map<string, string[]>();
    for (const [name, value] of given) lines.set(name, [...(lines.get(name) ?? []), value]);
    const req = request(url, { method, headers: Object.fromEntries(lines) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? objectOf(text) : {},
          ms: Date.now() - started,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });

/** What a receiver answers a vector with: 200 when it verifies, else its refusal's status. */
const expectedStatus = (vector: Vector): { status: number; problem?: string } =>
  vector.expected.ok
    ? { status: 200 }
    : { status: vector.expected.status, problem: vector.expected.problem };

/**
 * Sends every vector to the server at `url` as it is on the wire (a repeated header as two
 * lines), with `X-Vector: <its index>` so the server picks a receiver with its secrets and time,
 * and expects each answer's status and problem.
 */
export const expectVectorsOverHttp = async (url: string): Promise<void> => {
  for (const [i, vector] of VECTORS.entries()) {
    const reply = await post(url, bytesOf(vector), [...vector.headers, ['X-Vector', String(i)]]);
    expect({ name: vector.name, status: reply.status, problem: reply.body.problem }).toEqual({
      name: vector.name,
      ...expectedStatus(vector),
    });
  }
};

/** The first bytes answered to a POST that declares `length` bytes of body and sends none. */
export const answerToHeadersOnly = (url: string, length: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = sendPart(url, length, '');
    socket.once('data', (data) => {
      socket.destroy();
      resolve(String(data));
    });
    socket.once('error', reject);
  });

/**
 * Opens a connection and sends a POST's head declaring `length` bytes (and these headers), and
 * `start` of them; the rest is the caller's to send, or not.
 */
export const sendPart = (
  url: string,
  length: number,
  start: string,
  headers: Record<string, string> = {},
): Socket => {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  socket.on('error', () => undefined);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${String(length)}\r\n${lines.join('')}\r\n`,
  );
  socket.write(start);
  return socket;
};
