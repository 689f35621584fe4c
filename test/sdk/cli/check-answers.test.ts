/**
 * `isao check` on receivers on 127.0.0.1 that each get one thing wrong (or right) in a way the
 * guide's receivers do not: the report card on a terminal (progress, colours), a refusal as a
 * 400 (a 4xx) or a 500 (no refusal: ISAO retries it), each way a burst of copies can go wrong,
 * a body decoded as Latin-1 or piece by piece as UTF-8, a body verified as re-serialised JSON,
 * and a body deadline of 1 s.
 */
import type { IncomingMessage } from 'node:http';
import { verify } from '../../../sdk/src/index';
import { listen } from '../helpers';
import { isao } from './run';

// each check takes seconds by design (a stale event, slow chunks)
jest.setTimeout(60_000);

const SECRET = 'whsec_check_answers';

/** The burst line's check, as the report card names it. */
const BURST = 'the same event 5 times at once runs once (one handled, others duplicate or 503)';

interface Policy {
  /** The status refusing a delivery that does not verify. */
  refuse?: number;
  /** The answer to the n-th verified copy of an event (1 for its first). */
  copy?: (n: number) => [number, string];
  /** The bytes verified, from the pieces received. */
  read?: (pieces: Buffer[]) => Buffer;
  /** The answer when the whole body took longer than this many ms to arrive. */
  deadlineMs?: number;
}

/** Claims each event id: the first copy handled, any later one a duplicate. */
const claiming = (n: number): [number, string] =>
  n === 1 ? [200, '{"handled":1}'] : [200, '{"handled":0,"duplicates":1}'];

/** A receiver verifying each delivery with SECRET and answering as `policy` says. */
const receiver = ({
  refuse = 401,
  copy = claiming,
  read = (pieces) => Buffer.concat(pieces),
  deadlineMs,
}: Policy) => {
  const seen = new Map<string, number>();
  return listen(async (req: IncomingMessage, res) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => req.on('end', resolve));
    if (deadlineMs !== undefined && Date.now() - started > deadlineMs) {
      res.writeHead(408).end();
      return;
    }
    const result = verify(read(chunks), req.headers, { secrets: SECRET });
    if (!result.ok) {
      res.writeHead(refuse).end();
      return;
    }
    const id = result.events[0]?.id ?? '';
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    const [status, body] = copy(n);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
};

/** Each line of the report's `grades`, by check: passed, and what it got. */
const graded = async (policy: Policy) => {
  const server = await receiver(policy);
  try {
    const ran = await isao(['check', server.url, '--secret', SECRET, '--json']);
    const report: unknown = JSON.parse(ran.stdout);
    const grades =
      typeof report === 'object' && report !== null && 'grades' in report
        ? [report.grades].flat()
        : [];
    return { code: ran.code, report, grades };
  } finally {
    await server.close();
  }
};

const failing = (grades: unknown[]): unknown[] =>
  grades.flatMap((grade) =>
    typeof grade === 'object' && grade !== null && 'passed' in grade && !grade.passed
      ? [grade]
      : [],
  );

it('on a terminal: each check in progress on stderr, PASS in green, the summary in green', async () => {
  const server = await receiver({ refuse: 400 });
  try {
    const ran = await isao(['check', server.url, '--secret', SECRET], { terminal: true });
    expect(ran.code).toBe(0);
    const progress = ran.stderr.split('\n').filter(Boolean);
    expect(progress).toHaveLength(8);
    expect(progress[0]).toBe('[1/8] a valid event is taken (2xx within 30 s)…');
    expect(progress[7]).toBe('[8/8] a body arriving in slow chunks is taken…');
    const lines = ran.stdout.split('\n');
    // a 400 is a refusal as much as a 401
    expect(lines[2]).toMatch(/^.{5}PASS.{4} {2}a tampered copy is refused \(4xx\): 400 in /);
    expect(lines[2]?.startsWith('\u001b[32mPASS\u001b[0m')).toBe(true);
    expect(lines.filter((line) => line.startsWith('\u001b[32mPASS\u001b[0m  '))).toHaveLength(8);
    expect(lines.at(-2)).toBe('\u001b[32m8 of 8 checks passed.\u001b[0m');
  } finally {
    await server.close();
  }
});

it('a 500 is no refusal (ISAO retries it): FAIL in red, its fix dimmed, the summary in red; --json says not passed', async () => {
  const server = await receiver({ refuse: 500 });
  try {
    const ran = await isao(['check', server.url, '--secret', SECRET], { terminal: true });
    expect(ran.code).toBe(1);
    const lines = ran.stdout.split('\n');
    expect(lines[2]).toMatch(/^.{5}FAIL.{4} {2}a tampered copy is refused \(4xx\): 500 in /);
    expect(lines[2]?.startsWith('\u001b[31mFAIL\u001b[0m')).toBe(true);
    expect(lines[3]).toBe(
      '\u001b[2m      fix: Verify the X-Isao-Hmac-Sha256 signature over the exact bytes received, and answer 401 when it does not match.\u001b[0m',
    );
    expect(lines.at(-2)).toBe('\u001b[31m3 of 8 checks failed.\u001b[0m');
  } finally {
    await server.close();
  }
  const { code, report, grades } = await graded({ refuse: 500 });
  expect(code).toBe(1);
  expect(report).toMatchObject({ passed: false });
  expect(failing(grades)).toEqual([
    expect.objectContaining({ check: 'a tampered copy is refused (4xx)' }),
    expect.objectContaining({ check: 'an unsigned event is refused (4xx)' }),
    expect.objectContaining({ check: 'a stale event is refused (4xx)' }),
  ]);
});

it.each<[string, (n: number) => [number, string], RegExp]>([
  [
    'every copy a duplicate, the first too',
    () => [200, '{"duplicates":1}'],
    /^duplicate, duplicate, duplicate, duplicate, duplicate; a retry after them: duplicate /,
  ],
  [
    'one copy answered 500',
    (n) => (n === 2 ? [500, '{}'] : claiming(n)),
    /; a retry after them: duplicate /,
  ],
  [
    'the retry after them handled again',
    (n) => (n === 6 ? [200, '{"handled":1}'] : claiming(n)),
    /; a retry after them: handled /,
  ],
])('fails the burst line alone on %s', async (_name, copy, got) => {
  const { code, grades } = await graded({ copy });
  expect(code).toBe(1);
  expect(failing(grades)).toEqual([
    expect.objectContaining({ check: BURST, got: expect.stringMatching(got) as unknown }),
  ]);
});

it.each<[string, (pieces: Buffer[]) => Buffer]>([
  ['decoded as Latin-1', (pieces) => Buffer.from(Buffer.concat(pieces).toString('latin1'))],
  // `text += chunk.toString()`: a character cut between two pieces is garbled
  ['decoded piece by piece', (pieces) => Buffer.from(pieces.map(String).join(''))],
])('fails the emoji line alone for a body %s', async (_name, read) => {
  const { grades } = await graded({ read });
  expect(failing(grades)).toEqual([
    expect.objectContaining({ check: 'emoji and U+2028 in the body are taken' }),
  ]);
});

it('fails the pretty-printed line alone for re-serialised JSON', async () => {
  const reserialised = await graded({
    read: (pieces) => {
      const parsed: unknown = JSON.parse(Buffer.concat(pieces).toString('utf8'));
      return Buffer.from(JSON.stringify(parsed));
    },
  });
  expect(failing(reserialised.grades)).toEqual([
    expect.objectContaining({ check: 'a pretty-printed body is taken' }),
  ]);
});

it('sends the slow body slowly: a receiver giving up on a body after 1 s fails that line alone', async () => {
  const { grades } = await graded({ deadlineMs: 1000 });
  expect(failing(grades)).toEqual([
    expect.objectContaining({
      check: 'a body arriving in slow chunks is taken',
      got: expect.stringMatching(/^408 in \d+ ms$/) as unknown,
    }),
  ]);
});
