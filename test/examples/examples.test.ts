/**
 * The examples run as their users run them (servers.ts), receiving ISAO's own deliveries from
 * the sandbox: each event handled once though ISAO sends it twice, a tampered or unsigned body
 * refused 401. The guide's own sample fails the same checks. The Next.js route module's POST is
 * also called with Node's Request, and the examples' TypeScript is type-checked.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { signedDelivery } from '../../sdk/src/testing';
import type { Sandbox } from '../../sandbox/server';
import { post, ROOT } from '../sdk/helpers';
import { deliverTo, startIsao } from '../sdk/frameworks/isao';
import { outputIn } from '../sdk/frameworks/process';
import { FRAMEWORK_SECRET, type Started } from '../sdk/frameworks/servers';
import { EXAMPLES, removeExamples, runInProject, startNode } from './servers';

// the first start builds the package and each example is a node process: slower than 5 s on a
// loaded machine
jest.setTimeout(30_000);

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startIsao();
});
afterEach(async () => {
  await sandbox.close();
});
afterAll(removeExamples);

/** What a receiver did with ISAO's event sent twice, and with a tampered and an unsigned body. */
const judge = async (server: Started) => {
  const { eventId, attempts } = await deliverTo(sandbox, server.url, 2);
  const sent = signedDelivery('contact.created', { secret: FRAMEWORK_SECRET });
  const tampered = await post(server.url, sent.text.replace('Jane', 'Joan'), sent.headers);
  const unsigned = signedDelivery('contact.created', { secret: null });
  const forged = await post(server.url, unsigned.body, unsigned.headers);
  await outputIn();
  return {
    eventId,
    answers: attempts.map(([, , status]) => status),
    statuses: [tampered.status, forged.status],
  };
};

describe.each(EXAMPLES.map((example) => [example.name, example] as const))(
  '%s',
  (_name, example) => {
    it('handles ISAO’s event once though sent twice, and refuses tampered and unsigned bodies', async () => {
      const server = await example.start();
      try {
        const { eventId, answers, statuses } = await judge(server);
        expect(answers).toEqual([200, 200]);
        expect(server.handled).toEqual([eventId]);
        expect(statuses).toEqual([401, 401]);
      } finally {
        await server.close();
      }
    });
  },
);

it('the guide’s own sample runs ISAO’s event twice and takes a forged one: what the examples fix', async () => {
  const server = await startNode('guide-sample.js', '/webhook/isao');
  try {
    const { answers, statuses } = await judge(server);
    expect(answers).toEqual([200, 200]);
    expect(statuses).toEqual([200, 200]);
    expect(server.output().match(/^New contact: /gm)).toHaveLength(4);
  } finally {
    await server.close();
  }
});

it('the Next.js route module answers its exported POST, called with Node’s Request', () => {
  const out = runInProject(
    'nextjs/call.mjs',
    `import { signedDelivery } from '@isao/webhooks/testing';
import { POST } from './app/api/isao/route.ts';
const sent = signedDelivery('deal.won', { secret: process.env.ISAO_WEBHOOK_SECRET, eventId: 'evt_next_1' });
const request = () => new Request('http://127.0.0.1/api/isao', { method: 'POST', body: sent.body, headers: sent.headers });
for (const answer of [await POST(request()), await POST(request())]) {
  console.log(answer.status, JSON.stringify(await answer.json()));
}
const tampered = await POST(new Request('http://127.0.0.1/api/isao', { method: 'POST', body: sent.text.replace('Tech Corp', 'Tech Co'), headers: sent.headers }));
console.log(tampered.status);`,
  );
  expect(out).toBe(
    [
      'Deal won: Enterprise plan – Tech Corp (event evt_next_1)',
      '200 {"ok":true,"message":"Handled 1 event(s).","handled":1,"duplicates":0}',
      '200 {"ok":true,"message":"Handled 0 event(s); 1 already handled.","handled":0,"duplicates":1}',
      '401',
      '',
    ].join('\n'),
  );
});

it('the examples’ TypeScript type-checks, strict', () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  expect(
    execFileSync(
      process.execPath,
      [tsc, '-p', join(ROOT, 'examples', 'tsconfig.json'), '--noEmit'],
      {
        encoding: 'utf8',
      },
    ),
  ).toBe('');
});
