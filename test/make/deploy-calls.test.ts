/**
 * The deploy's calls (make/deploy-calls.ts) where a deploy of the generated app never takes them:
 * the wait a 429 asks for, read from each shape of Retry-After; what a failure that is not Make's
 * answer says; a connection or webhook Make created without saying its name (a real HTTP server
 * on 127.0.0.1 answering as Make would not); a section the calls do not know; and what a dry run
 * takes Make to hold.
 */
import * as http from 'node:http';
import { Make } from '@makehq/sdk';
import { answerOf, PacedMake, printedCalls, sdkCalls } from '../../make/deploy-calls';
import './local-only';

/** The deploy's Make, its wait for a 429 answer asked directly. */
class Probe extends PacedMake {
  constructor() {
    super('token', 'eu1.make.com', () => Promise.resolve());
  }

  delay(retryAfter: string | undefined, attempt: number): number {
    const headers: Record<string, string> =
      retryAfter === undefined ? {} : { 'retry-after': retryAfter };
    return this.calculateRetryDelay(new Response(null, { status: 429, headers }), attempt);
  }
}

describe('the wait a 429 asks for', () => {
  const probe = new Probe();

  test.each<[string | undefined, number, number]>([
    ['7', 0, 7000],
    ['17', 3, 17000],
    [' 60 ', 0, 60_000],
    // Retry-After as a date, or not a whole number of seconds: 2 s doubling with each attempt
    ['Wed, 21 Oct 2026 07:28:00 GMT', 0, 2000],
    ['7s', 1, 4000],
    ['x7', 2, 8000],
    ['1.5', 0, 2000],
    [undefined, 4, 32_000],
  ])('Retry-After %p on attempt %p: %p ms', (retryAfter, attempt, ms) => {
    expect(probe.delay(retryAfter, attempt)).toBe(ms);
  });

  test('longer than the deploy waits: it stops, naming the wait', () => {
    expect(() => probe.delay('61', 0)).toThrow(
      'Make answered 429 Too Many Requests and asked to wait 61 s, longer than the deploy waits (60 s): run it again later',
    );
  });
});

test('a failure that is not an answer of Make’s is told in its own words', () => {
  expect(answerOf(new Error('socket hang up'))).toBe('socket hang up');
  expect(answerOf('refused')).toBe('refused');
});

describe('a connection or webhook Make created without saying its name', () => {
  let answer = '';
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(answer);
  });
  let make: Make;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    make = new Make('token', `127.0.0.1:${String(address.port)}`);
    make.protocol = 'http';
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  const app = { name: 'isao', version: 1 };

  test.each([
    ['{}'],
    ['[]'],
    ['{"appConnection": "isao-1"}'],
    ['{"appConnection": {"name": 1}}'],
    ['{"appWebhook": {"name": "isao-1"}}'],
  ])('a connection, answered %s', async (body) => {
    answer = body;
    await expect(
      sdkCalls(make).createConnection(app, { type: 'basic', label: 'ISAO' }),
    ).rejects.toThrow('Make created the connection without saying its name');
  });

  test('a webhook, answered as a connection', async () => {
    answer = '{"appConnection": {"name": "isao-1"}}';
    await expect(sdkCalls(make).createWebhook(app, { label: 'x' })).rejects.toThrow(
      'Make created the webhook without saying its name',
    );
    answer = '{"appWebhook": {"name": "isao-2"}}';
    await expect(sdkCalls(make).createWebhook(app, { label: 'x' })).resolves.toBe('isao-2');
    answer = '{"appConnection": {"name": "isao-1"}}';
    await expect(
      sdkCalls(make).createConnection(app, { type: 'basic', label: 'ISAO' }),
    ).resolves.toBe('isao-1');
  });
});

test('a section the calls do not know is refused before any call', () => {
  const calls = sdkCalls(new Make('token', 'eu1.make.com'));
  expect(() => calls.setWebhookSection('isao-1', 'expect', '{}')).toThrow(
    'no webhook section expect',
  );
  expect(() => calls.setModuleSection({ name: 'isao', version: 1 }, 'x', 'attach', '{}')).toThrow(
    'no module section attach',
  );
});

test('a dry run takes Make to hold no module', async () => {
  await expect(
    printedCalls(() => undefined).moduleExists({ name: 'isao', version: 1 }, 'x'),
  ).resolves.toBe(false);
});
