/**
 * What the receiver's tests share (receiver.test.ts, receiver-claims.test.ts,
 * receiver-edges.test.ts): a receiver on a clock the test moves, signed deliveries of one secret,
 * and a promise the test settles.
 */
import { Webhooks, MemoryStore, type WebhookError } from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';

export const SECRET = 'whsec_receiver';
export const NOW = Date.parse('2024-11-08T12:00:00.000Z');

/** A receiver on a clock the test moves. */
export const setup = (options: Partial<ConstructorParameters<typeof Webhooks>[0]> = {}) => {
  let now = NOW;
  const store = new MemoryStore();
  const errors: WebhookError[] = [];
  const webhooks = new Webhooks({ secrets: SECRET, store, now: () => now, ...options });
  webhooks.onError((error) => errors.push(error));
  return { webhooks, store, errors, advance: (ms: number) => (now += ms) };
};

export const delivery = (
  event: Parameters<typeof signedDelivery>[0] = 'deal.won',
  eventId = 'evt_r1',
  body?: string,
) =>
  signedDelivery(event, {
    secret: SECRET,
    eventId,
    now: NOW - 1000,
    ...(body === undefined ? {} : { body }),
  });

export const receive = (webhooks: Webhooks, sent = delivery()) =>
  webhooks.receive(sent.body, sent.headers);

/** A promise the test settles. */
export const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};
