/**
 * The receiver as Koa middleware, `(ctx, next)`. It reads the body as the node middleware does
 * (node.ts): the bytes a body parser kept in `ctx.request.rawBody` (@koa/bodyparser does), a
 * Buffer or string `ctx.request.body`, or the stream when nothing read it. A body a parser
 * turned into an object without keeping its bytes is answered 500 at once, with the fix. Koa is
 * typed here by shape only: the package does not import it.
 */
import type { IncomingMessage } from 'node:http';
import { answerDelivery, answerText, JSON_TYPE, NOT_FOUND, type HttpOptions } from './http';
import { nodeBodyReader } from './node';
import { SIGNATURE_HEADER } from '../../core/signatures';
import type { Receiver } from './receiver';

/** What the middleware uses of Koa's context. */
export interface KoaContext {
  req: IncomingMessage;
  /** Koa's request: a body parser may have put `body` and `rawBody` on it. */
  request: object;
  path: string;
  method: string;
  status: number;
  body: unknown;
  set(field: Record<string, string>): void;
}

const PARSED = `The webhook body was already parsed into an object by a body parser that kept no copy of its bytes, which the ${SIGNATURE_HEADER} signature covers. Mount the ISAO middleware before the body parser, or use one that keeps them as ctx.request.rawBody (@koa/bodyparser does).`;

/**
 * Koa middleware answering ISAO's deliveries (see Receiver.receive for the statuses); with
 * `path`, a request to another path goes on to `next`.
 */
export const createKoaMiddleware =
  (webhooks: Receiver, options: HttpOptions = {}) =>
  async (ctx: KoaContext, next: () => Promise<unknown>): Promise<void> => {
    const { request } = ctx;
    const answer = await answerDelivery(
      webhooks,
      {
        path: ctx.path,
        method: ctx.method,
        length: ctx.req.headers['content-length'],
        headers: ctx.req.headers,
        read: nodeBodyReader({
          stream: ctx.req,
          rawBody: 'rawBody' in request ? request.rawBody : undefined,
          body: 'body' in request ? request.body : undefined,
          parsed: PARSED,
        }),
      },
      options,
    );
    if (answer.status === NOT_FOUND) {
      await next();
      return;
    }
    ctx.set({ 'Content-Type': JSON_TYPE, ...answer.headers });
    ctx.status = answer.status;
    ctx.body = answerText(answer);
  };
