/**
 * The receiver as node:http middleware, also usable as Express/Connect-style `(req, res, next)`:
 * it reads the body's bytes from the stream, or takes those a framework already read
 * (`req.rawBody`, or a Buffer or string `req.body` from `express.raw()`/`express.text()`). A body
 * already parsed into an object (`express.json()` ran first) has lost its bytes: it answers 500
 * at once, saying how to fix it, and never waits for a stream nobody will feed. Koa's middleware
 * (koa.ts) reads its request the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answerDelivery,
  answerText,
  CUT_OFF,
  JSON_TYPE,
  NOT_FOUND,
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

const CONSUMED =
  "The webhook request's body was already read by something mounted before this middleware, which kept no copy of its bytes. Mount the ISAO route before it, or have it keep the bytes as rawBody.";

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
    // before its end, a request that fails (the client went away) or is closed (destroyed
    // without an error) is cut off; after its end, the promise is settled and neither changes it
    req.on('error', reject);
    req.on('close', reject);
    // a 'data' listener does not restart a stream paused by something before this (req.pause())
    req.resume();
  });

/** A Node request's body as a framework left it: the stream, and what it may have read. */
export interface NodeBody {
  stream: IncomingMessage;
  /** The bytes a body parser kept (`req.rawBody`, Koa's `ctx.request.rawBody`). */
  rawBody: unknown;
  /** What a body parser made of the body: bytes or text are taken, an object has lost them. */
  body: unknown;
  /** What to say when a parser turned the body into an object. */
  parsed: string;
}

/** Reads a Node request's body: the bytes a framework kept, else the stream if nobody read it. */
export const nodeBodyReader =
  ({ stream, rawBody, body, parsed }: NodeBody) =>
  async (max: number): Promise<string | Uint8Array | HttpAnswer | undefined> => {
    if (isBytes(rawBody)) return rawBody;
    if (isBytes(body)) return body;
    // a request destroyed before this ran (the client went away while a middleware before it
    // awaited) fired its 'close' already: it is cut off, answered at once rather than waited for
    if (!stream.readableDidRead && !stream.readableEnded) {
      return stream.destroyed ? CUT_OFF : readUpTo(stream, max);
    }
    const message = body !== undefined && body !== null ? parsed : CONSUMED;
    return { status: 500, body: { ok: false, problem: 'unread', message } };
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
    const { status, body, headers } = await answerDelivery(
      webhooks,
      {
        path: req.url ?? '/',
        method: req.method,
        length: req.headers['content-length'],
        headers: req.headers,
        read: nodeBodyReader({
          stream: req,
          rawBody: req.rawBody,
          body: req.body,
          parsed: PARSED_BODY,
        }),
      },
      options,
    );
    if (status === NOT_FOUND && next) {
      next();
      return false;
    }
    res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers });
    res.end(answerText({ status, body }));
    return status !== NOT_FOUND;
  };
