/**
 * Every framework the package is proven on, as a real server on 127.0.0.1 at a free port with
 * the package's adapter at WEBHOOK_PATH: node:http, Express 4 and 5 (also behind express.raw()
 * and express.text()), Fastify, Koa (also behind a body parser keeping rawBody), Hono on
 * @hono/node-server, and the fetch handler under Node's own Request. Each start() gives the
 * URL to send deliveries to, the ids of the events its handler ran, in order, and close(). Any
 * test (a delivery matrix, a check of the receivers) can run them all the same way.
 */
import { text } from 'node:stream/consumers';
import express5 from 'express';
import express4 from 'express4';
import fastify from 'fastify';
import Koa from 'koa';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import {
  createFastifyPlugin,
  createKoaMiddleware,
  createNodeMiddleware,
  createWebHandler,
  RetryableError,
  Webhooks,
  type Receiver,
  type WebhooksOptions,
} from '../../../sdk/src/index';
import { Webhooks as WebWebhooks } from '../../../sdk/src/web';
import { listen } from '../helpers';
import { toRequest, writeResponse } from './bridge';

export const FRAMEWORK_SECRET = 'whsec_frameworks';
export const WEBHOOK_PATH = '/webhooks/isao';

export interface StartOptions {
  /** The signing secret (default FRAMEWORK_SECRET). */
  secret?: string;
  /** How many events, first of all, the handler asks ISAO to retry (answered 503). */
  failures?: number;
}

export interface Started {
  /** Where ISAO delivers: the server's address with WEBHOOK_PATH. */
  url: string;
  /** The event ids the handler ran, in order (a retried one once it succeeded). */
  handled: readonly string[];
  close: () => Promise<void>;
}

export interface FrameworkServer {
  name: string;
  start: (options?: StartOptions) => Promise<Started>;
}

/** A receiver recording what it handled; its first `failures` events are answered 503. */
const receiver = (
  Kind: new (options: WebhooksOptions) => Receiver,
  { secret = FRAMEWORK_SECRET, failures = 0 }: StartOptions,
): { webhooks: Receiver; handled: string[] } => {
  const handled: string[] = [];
  let failing = failures;
  const webhooks = new Kind({ secrets: secret }).onAny((event) => {
    if (failing > 0) {
      failing -= 1;
      throw new RetryableError('the database is restarting');
    }
    handled.push(event.id ?? '(no id)');
  });
  return { webhooks, handled };
};

/** An Express app (4 or 5) with the middleware on the webhook's route, after `first`. */
const expressApp =
  (express: typeof express5, first?: 'raw' | 'text'): FrameworkServer['start'] =>
  async (options = {}) => {
    const { webhooks, handled } = receiver(Webhooks, options);
    const app = express();
    if (first === 'raw') app.use(express.raw({ type: 'application/json' }));
    if (first === 'text') app.use(express.text({ type: '*/*' }));
    app.post(WEBHOOK_PATH, createNodeMiddleware(webhooks));
    // the rest of the app parses JSON after the webhook's route
    app.use(express.json());
    const server = await listen(app);
    return { url: `${server.url}${WEBHOOK_PATH}`, handled, close: server.close };
  };

/** A Koa app with the middleware, after a body parser keeping rawBody when `parser`. */
const koaApp =
  (parser: boolean): FrameworkServer['start'] =>
  async (options = {}) => {
    const { webhooks, handled } = receiver(Webhooks, options);
    const app = new Koa();
    if (parser) {
      app.use(async (ctx, next) => {
        // as @koa/bodyparser does: the body parsed, its text kept as ctx.request.rawBody
        const rawBody = await text(ctx.req);
        Object.assign(ctx.request, { rawBody, body: JSON.parse(rawBody) as unknown });
        await next();
      });
    }
    app.use(createKoaMiddleware(webhooks, { path: WEBHOOK_PATH }));
    const server = await listen(app.callback());
    return { url: `${server.url}${WEBHOOK_PATH}`, handled, close: server.close };
  };

export const FRAMEWORKS: readonly FrameworkServer[] = [
  {
    name: 'node:http',
    start: async (options = {}) => {
      const { webhooks, handled } = receiver(Webhooks, options);
      const server = await listen(createNodeMiddleware(webhooks, { path: WEBHOOK_PATH }));
      return { url: `${server.url}${WEBHOOK_PATH}`, handled, close: server.close };
    },
  },
  { name: 'Express 4', start: expressApp(express4) },
  { name: 'Express 4, express.raw() first', start: expressApp(express4, 'raw') },
  { name: 'Express 5', start: expressApp(express5) },
  { name: 'Express 5, express.text() first', start: expressApp(express5, 'text') },
  {
    name: 'Fastify',
    start: async (options = {}) => {
      const { webhooks, handled } = receiver(Webhooks, options);
      const app = fastify();
      await app.register(createFastifyPlugin(webhooks, { path: WEBHOOK_PATH }));
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      return { url: `${address}${WEBHOOK_PATH}`, handled, close: () => app.close() };
    },
  },
  { name: 'Koa', start: koaApp(false) },
  { name: 'Koa, a body parser keeping rawBody first', start: koaApp(true) },
  {
    name: 'Hono (@hono/node-server)',
    start: async (options = {}) => {
      const { webhooks, handled } = receiver(Webhooks, options);
      const handler = createWebHandler(webhooks);
      const app = new Hono().post(WEBHOOK_PATH, (c) => handler(c.req.raw));
      const { server, port } = await new Promise<{ server: ServerType; port: number }>(
        (resolve) => {
          const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
            resolve({ server: started, port: info.port });
          });
        },
      );
      const close = () =>
        new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
      return { url: `http://127.0.0.1:${String(port)}${WEBHOOK_PATH}`, handled, close };
    },
  },
  {
    name: "fetch handler (web entry) under Node's Request",
    start: async (options = {}) => {
      const { webhooks, handled } = receiver(WebWebhooks, options);
      const handler = createWebHandler(webhooks, { path: WEBHOOK_PATH });
      const server = await listen(async (req, res) => {
        await writeResponse(await handler(toRequest(req)), res);
      });
      return { url: `${server.url}${WEBHOOK_PATH}`, handled, close: server.close };
    },
  },
];
