/**
 * ISAO's own delivery for the receiver tests: the sandbox (sandbox/server.ts) signing with the
 * receivers' secret and retrying as ISAO does (up to 3 retries, short backoffs here), a real
 * subscription to the receiver's URL, and an ISAO event triggered there (a contact created).
 */
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { FRAMEWORK_SECRET } from './servers';

export const startIsao = (secret = FRAMEWORK_SECRET): Promise<Sandbox> =>
  startSandbox({
    signingSecret: secret,
    rateLimit: false,
    delivery: { backoffMs: 10, timeoutMs: 5_000 },
  });

export interface Delivered {
  /** The event's `metadata.eventId`. */
  eventId: string;
  /** Each attempt to the URL, in order: [subscription, attempt, status]. */
  attempts: [string, number, number | undefined][];
}

/**
 * Subscribes contact.created to `url` (`subscriptions` times: ISAO then sends the event to each),
 * creates a contact and waits until every delivery succeeded or was given up.
 */
export const deliverTo = async (
  sandbox: Sandbox,
  url: string,
  subscriptions = 1,
): Promise<Delivered> => {
  for (let i = 0; i < subscriptions; i += 1) {
    const subscribed = await sandbox.call('POST', '/webhooks/subscribe', {
      event: 'contact.created',
      target_url: url,
    });
    expect(subscribed.status).toBe(201);
  }
  const created = await sandbox.call('POST', '/contacts', {
    name: 'Ada Lovelace',
    phoneNumber: '+44 20 7946 0958',
  });
  expect(created.status).toBe(201);
  await sandbox.idle();
  const event = sandbox.events.at(-1);
  return {
    eventId: event?.metadata.eventId ?? '',
    attempts: sandbox.deliveries
      .filter((attempt) => attempt.targetUrl === url)
      .map(({ subscriptionId, attempt, status }) => [subscriptionId, attempt, status]),
  };
};
