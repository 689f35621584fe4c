/**
 * The framework matrix: each server of servers.ts, real on 127.0.0.1, receives ISAO's own signed
 * deliveries from the sandbox (a subscription to its URL, a contact created there), with ISAO's
 * retries: a 503 is retried and the event handled once, the same event delivered again is
 * answered 200 and not run again, a tampered or unsigned body is refused 401. Express with
 * express.json() mounted first answers 500 with the fix at once, never a false "bad signature".
 */
import express5 from 'express';
import express4 from 'express4';
import { createNodeMiddleware, Webhooks } from '../../../sdk/src/index';
import { PARSED_BODY } from '../../../sdk/src/problems';
import { signedDelivery } from '../../../sdk/src/testing';
import type { Sandbox } from '../../../sandbox/server';
import { listen, post } from '../helpers';
import { deliverTo, startIsao } from './isao';
import { FRAMEWORK_SECRET, FRAMEWORKS, WEBHOOK_PATH, type Started } from './servers';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startIsao();
});
afterEach(async () => {
  await sandbox.close();
});

/** Runs `test` against a fresh start of the server, closing it after. */
const withServer = async (
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

describe.each(FRAMEWORKS.map((framework) => [framework.name, framework] as const))(
  '%s',
  (_name, framework) => {
    it('handles ISAO’s delivery once after a 503 and ISAO’s retry', () =>
      withServer(framework.start({ failures: 1 }), async (server) => {
        const { eventId, attempts } = await deliverTo(sandbox, server.url);
        expect(attempts.map(([, attempt, status]) => [attempt, status])).toEqual([
          [1, 503],
          [2, 200],
        ]);
        expect(server.handled).toEqual([eventId]);
      }));

    it('answers the same event delivered again 200 without running it again', () =>
      withServer(framework.start(), async (server) => {
        // two subscriptions to one URL: ISAO sends the event (same id, same bytes) to each
        const { eventId, attempts } = await deliverTo(sandbox, server.url, 2);
        const last = new Map(attempts.map(([subscription, , status]) => [subscription, status]));
        expect([...last.values()]).toEqual([200, 200]);
        expect(server.handled).toEqual([eventId]);
      }));

    it('refuses a tampered body and an unsigned one with 401, running nothing', () =>
      withServer(framework.start(), async (server) => {
        const sent = signedDelivery('contact.created', { secret: FRAMEWORK_SECRET });
        const tampered = await post(server.url, sent.text.replace('Jane', 'Joan'), sent.headers);
        expect(tampered).toMatchObject({ status: 401, body: { problem: 'mismatch' } });
        const unsigned = signedDelivery('contact.created', { secret: null });
        const refused = await post(server.url, unsigned.body, unsigned.headers);
        expect(refused).toMatchObject({ status: 401, body: { problem: 'missing' } });
        expect(server.handled).toEqual([]);
        expect((await post(server.url, sent.body, sent.headers)).status).toBe(200);
        expect(server.handled).toEqual([sent.eventId]);
      }));
  },
);

describe.each([
  ['Express 4', express4],
  ['Express 5', express5],
])('%s with express.json() mounted first', (_name, express) => {
  it('answers 500 with the fix in under a second, to ISAO and to every retry, never 401', async () => {
    const webhooks = new Webhooks({ secrets: FRAMEWORK_SECRET });
    const handled: string[] = [];
    webhooks.onAny((event) => handled.push(event.id ?? ''));
    const app = express();
    app.use(express.json());
    app.post(WEBHOOK_PATH, createNodeMiddleware(webhooks));
    const server = await listen(app);
    try {
      const url = `${server.url}${WEBHOOK_PATH}`;
      const sent = signedDelivery('contact.created', { secret: FRAMEWORK_SECRET });
      const reply = await post(url, sent.body, sent.headers);
      expect(reply).toMatchObject({
        status: 500,
        body: { ok: false, problem: 'unread', message: PARSED_BODY },
      });
      expect(reply.ms).toBeLessThan(1000);
      const { attempts } = await deliverTo(sandbox, url);
      expect(attempts.map(([, attempt, status]) => [attempt, status])).toEqual([
        [1, 500],
        [2, 500],
        [3, 500],
        [4, 500],
      ]);
      expect(handled).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
