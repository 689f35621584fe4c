/**
 * The receiver as a Fastify plugin: `app.register(createFastifyPlugin(webhooks, { path }))`. In
 * its own scope (Fastify's encapsulation: the rest of the app keeps its parsers) a content-type
 * parser for every type leaves the body's stream unread, and the route reads its exact bytes as
 * createNodeMiddleware does (node.ts): bounded by `maxBodyBytes`, a larger body answered 413 in
 * the package's words, as on every other framework (Fastify's own body limit would answer first,
 * in its words). It answers ISAO's POSTs at `path` ('/' by default, under the register's
 * `prefix`). Fastify is typed here by shape only: the package does not import it.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { answerDelivery, answerText, JSON_TYPE, type HttpOptions } from './http';
import { nodeBodyReader } from './node';
import { PARSED_BODY } from './problems';
import type { Receiver } from './receiver';

/** What the plugin uses of a Fastify request. */
export interface FastifyRequestLike {
  headers: IncomingHttpHeaders;
  method: string;
  /** Node's request: its stream holds the body, unread. */
  raw: IncomingMessage;
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
    parser: (request: unknown, payload: unknown, done: (error: null) => void) => void,
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
    // no body made here: the route reads the stream itself, within the package's bound
    scope.addContentTypeParser('*', (_request, _payload, done) => {
      done(null);
    });
    scope.post(path, async (request, reply) => {
      const answer = await answerDelivery(
        webhooks,
        {
          path,
          method: request.method,
          length: request.headers['content-length'],
          headers: request.headers,
          read: nodeBodyReader({
            stream: request.raw,
            rawBody: undefined,
            body: undefined,
            parsed: PARSED_BODY,
          }),
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
