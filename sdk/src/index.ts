/**
 * `@isao/webhooks`: ISAO's webhooks received on Node: verified over their exact bytes, typed by
 * event, de-duplicated across ISAO's retries, answered in time. `@isao/webhooks/web` is the same
 * without node:crypto (Web Crypto), `@isao/webhooks/testing` signs deliveries for tests.
 */
import { Receiver } from './receiver';
import type { WebhooksOptions } from './receiver-options';
import { verify } from './verify';

export { verify, verifyOrThrow } from './verify';
export { createNodeMiddleware, type NodeRequest } from './node';
export { createWebHandler } from './web-handler';
export { createKoaMiddleware, type KoaContext } from './koa';
export { createFastifyPlugin, type FastifyScope } from './fastify';
export {
  IsaoApiError,
  IsaoClient,
  type ClientOptions,
  type ContactInput,
  type Ensured,
  type Subscribed,
  type Subscription,
} from './client';
export * from './common';

/** The receiver (see Receiver), verifying with node:crypto. */
export class Webhooks extends Receiver {
  constructor(options: WebhooksOptions) {
    super(options, verify);
  }
}
