/**
 * What `isao trigger` says of a receiver's answers, in the test's process (./run.ts): each
 * attempt's line with what the answer said (on one line, cut), ISAO's whole schedule against a
 * receiver that never takes the delivery (a retry announced before each retry, none after the
 * last) on a terminal, and an event it does not know named.
 */
import { EVENT_NAMES } from '../../../core/events';
import { listen } from '../helpers';
import { isao } from './run';

// --like-isao waits 1 + 2 + 4 s between its four attempts, as ISAO does
jest.setTimeout(30_000);

/** A receiver answering every delivery `status` with `body`; how many it got. */
const receiver = async (status: number, body: string) => {
  let got = 0;
  const server = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      got += 1;
      res.writeHead(status).end(body);
    });
  });
  return { url: server.url, got: () => got, close: server.close };
};

it("says what the answer said on the attempt's line: on one line, at most 200 characters", async () => {
  const answer = `Internal error:\n\n    at handler (app.js:1)\t${'x'.repeat(300)}`;
  const server = await receiver(500, answer);
  try {
    const ran = await isao(['trigger', 'deal.won', '--forward-to', server.url, '--secret', 's']);
    expect(ran.code).toBe(1);
    const [line] = ran.stdout.split('\n');
    const said = `Internal error: at handler (app.js:1) ${'x'.repeat(300)}`.slice(0, 200);
    expect(line).toMatch(/^✗ 1\/1 deal\.won evt_test_\S+ attempt 1: 500 in \d+ ms: /);
    expect(line?.endsWith(`: ${said}`)).toBe(true);
  } finally {
    await server.close();
  }
});

it('--like-isao against a receiver that never takes it: four attempts, a retry said before each of the last three', async () => {
  const server = await receiver(503, '');
  try {
    const ran = await isao(
      ['trigger', 'deal.won', '--forward-to', server.url, '--secret', 's', '--like-isao'],
      { terminal: true },
    );
    expect(ran.code).toBe(1);
    expect(server.got()).toBe(4);
    expect(ran.stderr).toBe('  retrying in 1 s\n  retrying in 2 s\n  retrying in 4 s\n');
    const lines = ran.stdout.split('\n');
    expect(
      lines.slice(0, 4).map((line) => /^(.*) 1\/1 .* attempt (\d):/.exec(line)?.slice(1)),
    ).toEqual(['1', '2', '3', '4'].map((attempt) => ['\u001b[31m✗\u001b[0m', attempt]));
    expect(lines.slice(4)).toEqual([
      '\u001b[31m1 of 1 not delivered (no 2xx answer).\u001b[0m',
      '',
    ]);
  } finally {
    await server.close();
  }
});

it('a command line it cannot run: exit 2 naming what is wrong, and not a word about sending', async () => {
  const usage = (message: string) => `isao: ${message}\nRun isao --help for the commands.\n`;
  const args = ['--forward-to', 'http://127.0.0.1:1/'];
  expect(await isao(['trigger', 'deal.signed', ...args])).toEqual({
    code: 2,
    stdout: '',
    stderr: usage(`"deal.signed" is not an ISAO event; the events are ${EVENT_NAMES.join(', ')}.`),
  });
  expect(await isao(['trigger', 'deal.won', ...args, '--set', 'title=x'])).toEqual({
    code: 2,
    stdout: '',
    stderr: usage(
      '--set "title=x": expected data.FIELD=VALUE (a dotted path under data), eventId=ID or timestamp=TIME.',
    ),
  });
  expect(await isao(['trigger', 'deal.won', '--forward-to', 'ftp://x'])).toMatchObject({
    code: 2,
    stdout: '',
  });
});
