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
import { listen, post } from '../helpers';
import { deliveryMatrix, useIsao } from './deliveries';
import { deliverTo } from './isao';
import { FRAMEWORK_SECRET, FRAMEWORKS, WEBHOOK_PATH } from './servers';

const isao = useIsao();

deliveryMatrix(FRAMEWORKS, isao);

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
      const { attempts } = await deliverTo(isao(), url);
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
