/**
 * The receiver as a Fastify plugin: `app.register(createFastifyPlugin(webhooks, { path }))`. In
 * its own scope (Fastify's encapsulation: the rest of the app keeps its parsers) it takes every
 * body as the exact bytes received (a content-type parser with `parseAs: 'buffer'`) and answers
 * ISAO's POSTs at `path` ('/' by default, under the register's `prefix`). Fastify is typed here
 * by shape only: the package does not import it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  answerDelivery,
  answerText,
  DEFAULT_MAX_BODY_BYTES,
  JSON_TYPE,
  type HttpOptions,
} from './http';
import type { Receiver } from './receiver';

/** What the plugin uses of a Fastify request. */
export interface FastifyRequestLike {
  body: unknown;
  headers: IncomingHttpHeaders;
  method: string;
}

/** What the plugin uses of a Fastify reply. */
export interface FastifyReplyLike {
  code(status: number): this;
  headers(values: Record<string, string>): this;
  send(payload: string): this;
}

/** What the plugin uses of the Fastify instance it is registered on. */
export interface FastifyScope {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: unknown, body: Buffer, done: (error: null, body: Buffer) => void) => void,
  ): void;
  post(
    path: string,
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
}

/** A Fastify plugin answering ISAO's deliveries at `path` (see Receiver.receive for the statuses). */
export const createFastifyPlugin =
  (webhooks: Receiver, options: HttpOptions = {}) =>
  (scope: FastifyScope): Promise<void> => {
    // Fastify routes the request here: the path is this route's, not checked again
    const { path = '/', ...rest } = options;
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );
    scope.post(path, async (request, reply) => {
      const { body } = request;
      const answer = await answerDelivery(
        webhooks,
        {
          path,
          method: request.method,
          length: request.headers['content-length'],
          headers: request.headers,
          // the scope's parser gives a Buffer, or nothing for an empty body
          read: () => Promise.resolve(body instanceof Uint8Array ? body : new Uint8Array()),
        },
        rest,
      );
      return reply
        .code(answer.status)
        .headers({ 'Content-Type': JSON_TYPE, ...answer.headers })
        .send(answerText(answer));
    });
    return Promise.resolve();
  };
