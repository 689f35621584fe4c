/**
 * `@isao/webhooks/web`: the package for runtimes without node:crypto (Workers, Deno, Bun, edge
 * functions, browsers): `verify` is asynchronous (Web Crypto) and gives the same results as the
 * node entry's; the fetch handler and the receiver are the same.
 */
import { Receiver } from './receiver';
import type { WebhooksOptions } from './receiver-options';
import { verify } from './verify-web';

export { verify, verifyOrThrow } from './verify-web';
export { createWebHandler } from './web-handler';
export * from './common';

/** The receiver (see Receiver), verifying with Web Crypto. */
export class Webhooks extends Receiver {
  constructor(options: WebhooksOptions) {
    super(options, verify);
  }
}
