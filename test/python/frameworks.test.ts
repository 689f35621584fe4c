/**
 * isao_webhooks on real Python servers: Flask on werkzeug, FastAPI under uvicorn and Django, each
 * a separate /usr/bin/python3 process on 127.0.0.1 (servers.ts), held to the delivery matrix the
 * Node frameworks are held to (test/sdk/frameworks/deliveries.ts: the sandbox's own signed
 * deliveries, ISAO's retries included, tampered and unsigned bodies refused 401), and graded by
 * `isao check`, the Node CLI, as the Node receivers are. The examples (examples/flask, fastapi,
 * django) are run as their users run them and graded too.
 */
import { signedDelivery } from '../../sdk/src/testing';
import { post } from '../sdk/helpers';
import { builtCli } from '../sdk/cli/run';
import { deliveryMatrix, useIsao, withServer } from '../sdk/frameworks/deliveries';
import { deliverTo } from '../sdk/frameworks/isao';
import { outputIn } from '../sdk/frameworks/process';
import { FRAMEWORK_SECRET, type FrameworkServer } from '../sdk/frameworks/servers';
import { PYTHON_EXAMPLES, PYTHON_FRAMEWORKS } from './servers';

// each server is a Python process importing its framework; `isao check` takes seconds by design
jest.setTimeout(120_000);

const isao = useIsao();
const cli = builtCli();
afterAll(() => {
  cli.remove();
});

deliveryMatrix(PYTHON_FRAMEWORKS, isao);

describe.each([...PYTHON_FRAMEWORKS, ...PYTHON_EXAMPLES].map((s) => [s.name, s] as const))(
  'isao check on %s',
  (_name, server: FrameworkServer) => {
    it('passes every line, each event run once', () =>
      withServer(server.start(), async (started) => {
        const ran = await cli.isao(['check', started.url, '--secret', FRAMEWORK_SECRET, '--json']);
        expect(JSON.parse(ran.stdout)).toMatchObject({ passed: true });
        expect(ran.code).toBe(0);
        await outputIn();
        // the valid event, the burst of five, emoji, pretty-printed and slow: five events, once each
        expect(started.handled).toHaveLength(5);
        expect(new Set(started.handled).size).toBe(5);
      }));
  },
);

describe.each(PYTHON_EXAMPLES.map((example) => [example.name, example] as const))(
  '%s',
  (_name, example) => {
    it('handles ISAO’s event once though sent twice, and refuses tampered and unsigned bodies', () =>
      withServer(example.start(), async (server) => {
        // two subscriptions to one URL: ISAO sends the event to each at once; one may find the
        // other handling it (503, in flight) and be retried
        const { eventId, attempts } = await deliverTo(isao(), server.url, 2);
        const last = new Map(attempts.map(([subscription, , status]) => [subscription, status]));
        expect([...last.values()]).toEqual([200, 200]);
        await outputIn();
        expect(server.handled).toEqual([eventId]);
        const sent = signedDelivery('contact.created', { secret: FRAMEWORK_SECRET });
        const tampered = await post(server.url, sent.text.replace('Jane', 'Joan'), sent.headers);
        const unsigned = signedDelivery('contact.created', { secret: null });
        const forged = await post(server.url, unsigned.body, unsigned.headers);
        expect([tampered.status, forged.status]).toEqual([401, 401]);
        await outputIn();
        expect(server.handled).toEqual([eventId]);
      }));
  },
);
