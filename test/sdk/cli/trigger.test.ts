/**
 * `isao trigger`, `isao sign` and `isao verify`, run in the test's process (./run.ts), and the built
 * bin for stdin and the vectors packaged beside it: deliveries a receiver on
 * 127.0.0.1 verifies, with overrides, several times, and with ISAO's retries in order; a
 * signature made and checked by hand; the conformance vectors through the package's verify.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '../../../sdk/src/verify';
import { listen, readBody, ROOT, VECTORS } from '../helpers';
import { builtCli, isao } from './run';

// --like-isao takes seconds by design, and the bin's commands are child processes
jest.setTimeout(60_000);

const SECRET = 'whsec_trigger';
const cli = builtCli();
const dir = mkdtempSync(join(tmpdir(), 'isao-cli-'));
afterAll(() => {
  cli.remove();
  rmSync(dir, { recursive: true, force: true });
});

interface Received {
  attempt: string | undefined;
  eventId: string | undefined;
  data: unknown;
}

/** A receiver verifying each delivery; `fail` answers 500 to the first n attempts. */
const receiver = async (fail = 0) => {
  const received: Received[] = [];
  let left = fail;
  const server = await listen(async (req, res) => {
    const result = verify(await readBody(req), req.headers, { secrets: SECRET });
    const attempt = req.headers['x-isao-delivery-attempt'];
    const first = result.ok ? result.events[0] : undefined;
    received.push({
      attempt: typeof attempt === 'string' ? attempt : undefined,
      eventId: first?.id ?? undefined,
      data: first?.data,
    });
    const status = !result.ok ? result.status : left > 0 ? 500 : 200;
    left -= 1;
    res.writeHead(status).end(JSON.stringify({ ok: status === 200 }));
  });
  return { received, server };
};

it('sends signed deliveries from the sample with --set overrides, --times in order', async () => {
  const { received, server } = await receiver();
  try {
    const ran = await isao([
      'trigger',
      'contact.created',
      '--forward-to',
      server.url,
      '--secret',
      SECRET,
      '--set',
      'data.email=ana@example.com',
      '--set',
      'data.tags=["vip"]',
      '--times',
      '2',
    ]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(
      /^✓ 1\/2 contact\.created evt_test_\S+ attempt 1: 200 in \d+ ms: \{"ok":true\}\n✓ 2\/2 /,
    );
    expect(ran.stdout).toContain('2 delivered.');
    expect(received.map((r) => r.data)).toEqual([
      expect.objectContaining({ email: 'ana@example.com', tags: ['vip'], name: 'Jane Smith' }),
      expect.objectContaining({ email: 'ana@example.com' }),
    ]);
    expect(new Set(received.map((r) => r.eventId)).size).toBe(2);
  } finally {
    await server.close();
  }
});

it('--like-isao retries a failed delivery with the same event id, as ISAO does', async () => {
  const { received, server } = await receiver(2);
  try {
    const ran = await isao(
      [
        'trigger',
        'deal.won',
        '--forward-to',
        server.url,
        '--like-isao',
        '--json',
        '--set',
        'eventId=evt_fixed',
      ],
      { env: { ISAO_WEBHOOK_SECRET: SECRET } },
    );
    expect(ran.code).toBe(0);
    expect(received.map((r) => [r.attempt, r.eventId])).toEqual([
      ['1', 'evt_fixed'],
      ['2', 'evt_fixed'],
      ['3', 'evt_fixed'],
    ]);
    const report: unknown = JSON.parse(ran.stdout);
    expect(report).toMatchObject({
      deliveries: [
        {
          eventId: 'evt_fixed',
          delivered: true,
          attempts: [{ status: 500 }, { status: 500 }, { status: 200 }],
        },
      ],
    });
    // without --like-isao: one attempt, and exit 1 when it is not answered 2xx
    const once = await receiver(1);
    const single = await isao([
      'trigger',
      'deal.won',
      '--forward-to',
      once.server.url,
      '--secret',
      SECRET,
    ]);
    await once.server.close();
    expect(once.received).toHaveLength(1);
    expect(single.code).toBe(1);
    expect(single.stdout).toContain('1 of 1 not delivered (no 2xx answer).');
  } finally {
    await server.close();
  }
});

it('refuses a --set it cannot read and an unknown event, exit 2', async () => {
  const set = await isao([
    'trigger',
    'deal.won',
    '--forward-to',
    'http://127.0.0.1:1/',
    '--set',
    'email=x',
  ]);
  expect(set.code).toBe(2);
  expect(set.stderr).toContain('--set "email=x": expected data.FIELD=VALUE');
  const event = await isao(['trigger', 'deal.signed', '--forward-to', 'http://127.0.0.1:1/']);
  expect(event.code).toBe(2);
});

it('signs and verifies a body by hand, from a file or stdin', async () => {
  const body =
    '{"event":"deal.won","timestamp":"2024-11-08T10:30:00.000Z","data":{"id":"deal_1"},"metadata":{"eventId":"evt_1"}}';
  const file = join(dir, 'body.json');
  writeFileSync(file, body);
  const signed = await isao(['sign', '--secret', SECRET, file]);
  expect(signed.code).toBe(0);
  const signature = /^X-Isao-Hmac-Sha256: (\S+)\n$/.exec(signed.stdout)?.[1] ?? '';
  const now = '2024-11-08T10:31:00Z';
  const good = await cli.isao(
    ['verify', '--secret', 'old', '--secret', SECRET, '--signature', signature, '--now', now],
    { input: body },
  );
  expect(good).toMatchObject({
    code: 0,
    stdout: 'valid: signed with secret 2 of 2\n1 event(s): deal.won evt_1\n',
  });
  const bad = await cli.isao(
    ['verify', '--secret', SECRET, '--signature', signature, '--now', now, '--json'],
    { input: `${body} ` },
  );
  expect(bad.code).toBe(1);
  expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, status: 401, problem: 'mismatch' });
});

it('the bin piped into a reader that goes away (| head -n 1): the rest ends quietly, no EPIPE', async () => {
  const { received, server } = await receiver();
  try {
    const args = ['trigger', 'deal.won', '--forward-to', server.url, '--secret', SECRET];
    const child = spawn('sh', ['-c', '"$0" "$@" --times 20 | head -n 1', cli.bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await new Promise((resolve) => child.on('close', resolve));
    expect(stdout).toMatch(/^✓ 1\/20 deal\.won \S+ attempt 1: 200 in \d+ ms/);
    expect(stderr).toBe('');
    // the bin stopped once its reader was gone: not every delivery was sent
    expect(received.length).toBeLessThan(20);
  } finally {
    await server.close();
  }
});

it('verify --vectors passes the packaged vectors and a given file, and fails a wrong one', async () => {
  const n = VECTORS.length;
  const packaged = await cli.isao(['verify', '--vectors']);
  expect(packaged).toMatchObject({ code: 0, stdout: `${String(n)} of ${String(n)} passed\n` });
  const source = join(ROOT, 'conformance', 'vectors.json');
  expect((await isao(['verify', '--vectors', source, '--json'])).stdout).toContain(
    `"passed": ${String(n)}`,
  );
  const vectors: unknown = JSON.parse(readFileSync(source, 'utf8'));
  const wrong = join(dir, 'wrong.json');
  writeFileSync(wrong, JSON.stringify(vectors).replace('"signedWith":0', '"signedWith":5'));
  const failed = await isao(['verify', '--vectors', wrong]);
  expect(failed.code).toBe(1);
  expect(failed.stdout).toMatch(/^FAIL signature: base64, as ISAO sends it\n/);
  expect(failed.stdout).toContain(`${String(n - 1)} of ${String(n)} passed`);
  writeFileSync(wrong, '{"cases": 3}');
  const notVectors = await isao(['verify', '--vectors', wrong]);
  expect(notVectors.code).toBe(2);
  expect(notVectors.stderr).toContain('holds no conformance vectors: it has no "cases" list.');
});
