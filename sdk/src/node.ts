/**
 * The receiver as node:http middleware, also usable as Express/Connect-style `(req, res, next)`:
 * it reads the body's bytes from the stream, or takes those a framework already read
 * (`req.rawBody`, or a Buffer or string `req.body` from `express.raw()`/`express.text()`). A body
 * already parsed into an object (`express.json()` ran first) has lost its bytes: it answers 500
 * at once, saying how to fix it, and never waits for a stream nobody will feed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  beforeBody,
  DEFAULT_MAX_BODY_BYTES,
  JSON_TYPE,
  NOT_FOUND,
  tooLarge,
  type HttpAnswer,
  type HttpOptions,
} from './http';
import { PARSED_BODY } from './problems';
import { concatBytes } from './bytes';
import type { Receiver } from './receiver';

/** A request as frameworks hand it over: maybe with the body they read. */
export type NodeRequest = IncomingMessage & { rawBody?: unknown; body?: unknown };

const isBytes = (value: unknown): value is string | Uint8Array =>
  typeof value === 'string' || value instanceof Uint8Array;

const send = (res: ServerResponse, { status, body, headers }: HttpAnswer): void => {
  res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers });
  res.end(JSON.stringify(body));
};

const CONSUMED =
  "The webhook request's body was already read by something mounted before this middleware, which kept no copy of its bytes. Mount the ISAO route before it, or have it keep the bytes as req.rawBody.";

/**
 * The stream's bytes; undefined once they pass `max` (the rest is read and dropped, so the
 * answer can still be sent). Rejects when the request ends before its body does.
 */
const readUpTo = (req: IncomingMessage, max: number): Promise<Uint8Array | undefined> =>
  new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    let size = 0;
    req.on('data', (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.length;
      if (size > max) resolve(undefined);
      else parts.push(bytes);
    });
    req.on('end', () => {
      resolve(concatBytes(parts));
    });
    req.on('error', reject);
    req.on('close', () => {
      reject(new Error('The request ended before its body did.'));
    });
  });

/** The body's bytes, or the answer when there are none to read. */
const bodyOf = async (req: NodeRequest, max: number): Promise<string | Uint8Array | HttpAnswer> => {
  if (isBytes(req.rawBody)) return req.rawBody;
  if (isBytes(req.body)) return req.body;
  if (!req.readableDidRead && !req.readableEnded)
    return (await readUpTo(req, max)) ?? tooLarge(max);
  const parsed = req.body !== undefined && req.body !== null;
  return {
    status: 500,
    body: { ok: false, problem: 'unread', message: parsed ? PARSED_BODY : CONSUMED },
  };
};

/**
 * `(req, res, next?)` for node:http, Express or Connect: answers ISAO's deliveries (see
 * Receiver.receive for the statuses) and resolves to true; a request to another path goes to
 * `next` (or is answered 404 when there is none) and resolves to false.
 */
export const createNodeMiddleware =
  (webhooks: Receiver, options: HttpOptions = {}) =>
  async (
    req: NodeRequest,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ): Promise<boolean> => {
    const start = {
      path: req.url ?? '/',
      method: req.method,
      length: req.headers['content-length'],
    };
    const early = beforeBody(start, options);
    if (early?.status === NOT_FOUND && next) {
      next();
      return false;
    }
    if (early) {
      send(res, early);
      return early.status !== NOT_FOUND;
    }
    let body: string | Uint8Array | HttpAnswer;
    try {
      body = await bodyOf(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    } catch {
      send(res, {
        status: 400,
        body: { ok: false, message: 'The webhook request was cut off before its body ended.' },
      });
      return true;
    }
    send(res, isBytes(body) ? await webhooks.receive(body, req.headers) : body);
    return true;
  };
