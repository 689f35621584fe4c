/**
 * `isao check` grades real receivers on 127.0.0.1: the package's own (createNodeMiddleware on
 * node:http) passes every line; one written like ISAO's guide (express.json(), no verification,
 * 200 to everything) and one that verifies but runs every duplicate again fail, each on the
 * right lines of the report card, with exit code 1.
 */
import express from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { EVENT_NAMES } from '../../../core/events';
import { isRecord } from '../../../core/inputs';
import { createNodeMiddleware, verify, Webhooks } from '../../../sdk/src/index';
import { tampered } from '../../../sdk/src/cli/check';
import { signedDelivery } from '../../../sdk/src/testing';
import { listen, readBody } from '../helpers';
import { isao } from './run';

// check takes seconds by design (a stale event, slow chunks)
jest.setTimeout(60_000);

const SECRET = 'whsec_check';

const LINES = [
  'a valid event is taken',
  'a tampered copy is refused',
  'an unsigned event is refused',
  'a stale event is refused',
  'the same event 5 times at once runs once',
  'emoji and U+2028 in the body are taken',
  'a pretty-printed body is taken',
  'a body arriving in slow chunks is taken',
];

/** Each line of the report card: its check and PASS or FAIL. */
const card = (stdout: string): Record<string, string> =>
  Object.fromEntries(
    LINES.map((line) => [
      line,
      /^(PASS|FAIL) /m.exec(stdout.split('\n').find((l) => l.includes(line)) ?? '')?.[1] ??
        'missing',
    ]),
  );

const expected = (failing: readonly string[]): Record<string, string> =>
  Object.fromEntries(LINES.map((line) => [line, failing.includes(line) ? 'FAIL' : 'PASS']));

/** `isao check` run against a receiver on 127.0.0.1 answering with `handler`, then closed. */
const checkAgainst = async (
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  ...options: string[]
) => {
  const server = await listen(handler);
  try {
    const ran = await isao(['check', server.url, '--secret', SECRET, ...options]);
    return { ...ran, url: server.url };
  } finally {
    await server.close();
  }
};

it("passes the package's own receiver on node:http, and says so as JSON", async () => {
  const handled: string[] = [];
  const webhooks = new Webhooks({ secrets: SECRET });
  webhooks.onAny(async (event) => {
    // a little work, so that the concurrent copies find the event in flight
    await new Promise((resolve) => setTimeout(resolve, 50));
    handled.push(event.id ?? '');
  });
  const server = await listen(createNodeMiddleware(webhooks));
  try {
    const ran = await isao(['check', `${server.url}/`, '--secret', SECRET]);
    expect(card(ran.stdout)).toEqual(expected([]));
    expect(ran.stdout).toContain('8 of 8 checks passed.');
    expect(ran.code).toBe(0);
    // five valid deliveries (the valid one, the burst, emoji, pretty, slow), each run once
    expect(new Set(handled).size).toBe(handled.length);
    expect(handled).toHaveLength(5);
    const json = await isao(['check', server.url, '--json'], {
      env: { ISAO_WEBHOOK_SECRET: SECRET },
    });
    const report: unknown = JSON.parse(json.stdout);
    expect(report).toMatchObject({ passed: true, grades: expect.any(Array) });
    expect(json.code).toBe(0);
  } finally {
    await server.close();
  }
});

it("fails a receiver written like ISAO's guide (express.json(), no verification) on the lines it gets wrong", async () => {
  const app = express();
  app.use(express.json());
  app.post('/webhook/isao', (_req, res) => {
    res.status(200).json({ received: true });
  });
  const server: Server = await new Promise((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => {
      resolve(started);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const ran = await isao([
      'check',
      `http://127.0.0.1:${String(port)}/webhook/isao`,
      '--secret',
      SECRET,
    ]);
    expect(card(ran.stdout)).toEqual(
      expected([
        'a tampered copy is refused',
        'an unsigned event is refused',
        'a stale event is refused',
        'the same event 5 times at once runs once',
      ]),
    );
    // each failed line with what to fix, and nothing to fix on the lines it passed
    const fixes = ran.stdout.split('\n').filter((line) => line.startsWith('      fix: '));
    expect(fixes).toEqual([
      '      fix: Verify the X-Isao-Hmac-Sha256 signature over the exact bytes received, and answer 401 when it does not match.',
      '      fix: Refuse a delivery without an X-Isao-Hmac-Sha256 header (401): anyone can POST to your URL.',
      '      fix: Refuse a signed event whose timestamp is older than the replay window (2 hours), so a captured delivery cannot be sent again.',
      '      fix: Claim each metadata.eventId before running it: a second request for the same id answers 503 while the first runs, and 200 with duplicates: 1 (not handled again) once it completed. @isao/webhooks does this.',
    ]);
    expect(ran.stdout).toMatch(
      /^isao check http:\/\/127\.0\.0\.1:\d+\/webhook\/isao \(contact\.created\)\n/,
    );
    expect(ran.stdout).toContain('4 of 8 checks failed.');
    expect(ran.code).toBe(1);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

it('fails a receiver that verifies but runs every duplicate again, on that line only', async () => {
  const ran = await checkAgainst(
    async (req, res) => {
      const result = verify(await readBody(req), req.headers, { secrets: SECRET });
      res.writeHead(result.ok ? 200 : result.status, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(result.ok ? { ok: true, handled: result.events.length } : { ok: false }),
      );
    },
    '--event',
    'deal.won',
  );
  expect(ran.stdout.startsWith(`isao check ${ran.url}/ (deal.won)\n`)).toBe(true);
  expect(card(ran.stdout)).toEqual(expected(['the same event 5 times at once runs once']));
  expect(ran.stdout).toMatch(
    /FAIL {2}the same event 5 times .*: handled, handled, handled, handled, handled; a retry after them: handled/,
  );
  expect(ran.code).toBe(1);
});

/** A JSON value's shape: each object's keys, and the type of everything else. */
const shapeOf = (value: unknown): unknown =>
  isRecord(value)
    ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]))
    : typeof value;

it.each(EVENT_NAMES)(
  'tampers with a %s delivery by one letter, its length and shape kept',
  (event) => {
    const { text } = signedDelivery(event, { secret: null });
    const copy = tampered(text);
    let at = 0;
    while (at < text.length && text[at] === copy[at]) at += 1;
    expect(at).toBeLessThan(text.length);
    expect([copy.length, copy.slice(0, at), copy.slice(at + 1)]).toEqual([
      text.length,
      text.slice(0, at),
      text.slice(at + 1),
    ]);
    expect(shapeOf(JSON.parse(copy))).toEqual(shapeOf(JSON.parse(text)));
  },
);

it('fails a receiver that only looks for the signature header, however strictly it reads the body', async () => {
  // the shape of a contact.created delivery: an unknown field, or a known one of another type, is a 400
  const shape = JSON.stringify(
    shapeOf(JSON.parse(signedDelivery('contact.created', { secret: null }).text)),
  );
  const ran = await checkAgainst(async (req, res) => {
    const strict = JSON.stringify(shapeOf(JSON.parse((await readBody(req)).toString('utf8'))));
    const status =
      req.headers['x-isao-hmac-sha256'] === undefined ? 401 : strict === shape ? 200 : 400;
    res.writeHead(status).end();
  });
  expect(card(ran.stdout)).toEqual(
    expected([
      'a tampered copy is refused',
      'a stale event is refused',
      'the same event 5 times at once runs once',
    ]),
  );
  expect(ran.stdout).toMatch(/^FAIL {2}a tampered copy is refused \(4xx\): 200 in \d+ ms$/m);
});

it('sends the emoji body cut inside each of its 4 characters of several bytes, and the slow one in 5 pieces', async () => {
  const pieces: number[] = [];
  await checkAgainst((req, res) => {
    let count = 0;
    req.on('data', () => {
      count += 1;
    });
    req.on('end', () => {
      pieces.push(count);
      res.writeHead(200).end();
    });
  });
  // every other delivery in one piece
  expect(pieces.filter((count) => count > 1)).toEqual([5, 5]);
});

it('fails a receiver that refuses everything on each line that must be taken, with its fix', async () => {
  const ran = await checkAgainst((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(401).end());
  });
  expect(card(ran.stdout)).toEqual(
    expected([
      'a valid event is taken',
      'the same event 5 times at once runs once',
      'emoji and U+2028 in the body are taken',
      'a pretty-printed body is taken',
      'a body arriving in slow chunks is taken',
    ]),
  );
  const fixes = ran.stdout.split('\n').filter((line) => line.startsWith('      fix: '));
  expect(fixes).toEqual([
    '      fix: Answer 2xx within 30 s once the signature is verified; do slow work after answering, or within a deadline.',
    expect.stringMatching(/^ {6}fix: Claim each metadata\.eventId/),
    '      fix: Verify the bytes as received, not text decoded (piece by piece) and encoded again.',
    '      fix: Verify the bytes as received: a body parser that re-serialises the JSON changes them.',
    '      fix: Read the whole body before verifying it, however slowly it arrives.',
  ]);
  expect(ran.stdout).toContain(
    'FAIL  the same event 5 times at once runs once (one handled, others duplicate or 503): other, other, other, other, other; a retry after them: other (401 in ',
  );
  expect(ran.code).toBe(1);
});

it('exits 2 on a command line that cannot run, naming what is wrong', async () => {
  const noSecret = await isao(['check', 'http://127.0.0.1:1/']);
  expect(noSecret).toMatchObject({ code: 2, stdout: '' });
  expect(noSecret.stderr).toContain(
    'Give the signing secret: --secret S (or ISAO_WEBHOOK_SECRET).',
  );
  const badUrl = await isao(['check', 'ftp://x', '--secret', 's']);
  expect(badUrl.code).toBe(2);
  expect(badUrl.stderr).toContain('The receiver URL must be an http(s) URL, not "ftp://x".');
  const badOption = await isao(['check', '--colour']);
  expect(badOption.code).toBe(2);
  expect(badOption.stderr).toContain("Unknown option '--colour'");
});
