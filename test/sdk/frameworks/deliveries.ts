/**
 * The delivery matrix every receiver is held to, whatever its language: each server, real on
 * 127.0.0.1, receives ISAO's own signed deliveries from the sandbox (a subscription to its URL, a
 * contact created there), with ISAO's retries: a 503 is retried and the event handled once, the
 * same event delivered again is answered 200 and not run again, a tampered or unsigned body is
 * refused 401. The Node frameworks (matrix.test.ts) and the Python ones (test/python/) run it.
 */
import { signedDelivery } from '../../../sdk/src/testing';
import type { Sandbox } from '../../../sandbox/server';
import { post } from '../helpers';
import { deliverTo, startIsao } from './isao';
import { outputIn } from './process';
import { FRAMEWORK_SECRET, type FrameworkServer, type Started } from './servers';

/** ISAO's sandbox, started before each test of the file and closed after: call it for the one. */
export const useIsao = (): (() => Sandbox) => {
  let sandbox: Sandbox | undefined;
  beforeEach(async () => {
    sandbox = await startIsao();
  });
  afterEach(async () => {
    await sandbox?.close();
  });
  return () => {
    if (sandbox === undefined) throw new Error('the sandbox runs only within a test');
    return sandbox;
  };
};

/** Runs `test` against a fresh start of the server, closing it after. */
export const withServer = async (
  started: Promise<Started>,
  test: (server: Started) => Promise<void>,
): Promise<void> => {
  const server = await started;
  try {
    await test(server);
  } finally {
    await server.close();
  }
};

/** The matrix's tests for each of `servers`, with the file's sandbox. */
export const deliveryMatrix = (servers: readonly FrameworkServer[], isao: () => Sandbox): void => {
  describe.each(servers.map((server) => [server.name, server] as const))('%s', (_name, server) => {
    it('handles ISAO’s delivery once after a 503 and ISAO’s retry', () =>
      withServer(server.start({ failures: 1 }), async (started) => {
        const { eventId, attempts } = await deliverTo(isao(), started.url);
        expect(attempts.map(([, attempt, status]) => [attempt, status])).toEqual([
          [1, 503],
          [2, 200],
        ]);
        await outputIn();
        expect(started.handled).toEqual([eventId]);
      }));

    it('answers the same event delivered again 200 without running it again', () =>
      withServer(server.start(), async (started) => {
        // two subscriptions to one URL: ISAO sends the event (same id, same bytes) to each
        const { eventId, attempts } = await deliverTo(isao(), started.url, 2);
        const last = new Map(attempts.map(([subscription, , status]) => [subscription, status]));
        expect([...last.values()]).toEqual([200, 200]);
        await outputIn();
        expect(started.handled).toEqual([eventId]);
      }));

    it('refuses a tampered body and an unsigned one with 401, running nothing', () =>
      withServer(server.start(), async (started) => {
        const sent = signedDelivery('contact.created', { secret: FRAMEWORK_SECRET });
        const tampered = await post(started.url, sent.text.replace('Jane', 'Joan'), sent.headers);
        expect(tampered).toMatchObject({ status: 401, body: { problem: 'mismatch' } });
        const unsigned = signedDelivery('contact.created', { secret: null });
        const refused = await post(started.url, unsigned.body, unsigned.headers);
        expect(refused).toMatchObject({ status: 401, body: { problem: 'missing' } });
        await outputIn();
        expect(started.handled).toEqual([]);
        expect((await post(started.url, sent.body, sent.headers)).status).toBe(200);
        await outputIn();
        expect(started.handled).toEqual([sent.eventId]);
      }));
  });
};
