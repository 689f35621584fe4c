/**
 * `isao sign` and `isao verify` in the test's process (./run.ts): the body from a FILE or piped
 * into stdin, what --json holds, the lines a person reads (a refusal with its status and problem,
 * the events, what was skipped) and their colour on a terminal; and `verify --vectors` on a file
 * it cannot read, one holding no case, and one whose cases fail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '../../../sdk/src/testing';
import { ROOT, VECTORS } from '../helpers';
import { isao } from './run';

const SECRET = 'whsec_sign';
const dir = mkdtempSync(join(tmpdir(), 'isao-cli-signing-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NOW = '2024-11-08T10:31:00Z';
const event = (id: string | null, timestamp = '2024-11-08T10:30:00.000Z') => ({
  event: 'deal.won',
  timestamp,
  data: { id: 'deal_1', title: 'Zoë 🚀' },
  metadata: id === null ? {} : { eventId: id },
});

/** `isao verify` of `body` signed with SECRET, at NOW; more options after. */
const verified = (body: string, ...more: string[]) => {
  const file = join(dir, 'verify.json');
  writeFileSync(file, body);
  const signature = sign(SECRET, Buffer.from(body));
  return isao([
    'verify',
    '--secret',
    SECRET,
    '--signature',
    signature,
    '--now',
    NOW,
    file,
    ...more,
  ]);
};

describe('sign', () => {
  it('signs the same bytes from a FILE, from stdin and from stdin named "-"; --json says what', async () => {
    const body = JSON.stringify(event('evt_1'));
    const file = join(dir, 'body.json');
    writeFileSync(file, body);
    const signature = sign(SECRET, Buffer.from(body));
    const line = `X-Isao-Hmac-Sha256: ${signature}\n`;
    for (const ran of [
      await isao(['sign', '--secret', SECRET, file]),
      await isao(['sign', '--secret', SECRET], { input: body }),
      await isao(['sign', '--secret', SECRET, '-'], { input: body }),
    ]) {
      expect(ran).toEqual({ code: 0, stdout: line, stderr: '' });
    }
    const json = await isao(['sign', '--secret', SECRET, file, '--json']);
    // bytes, not characters: the emoji and the ë take more than one each
    expect(JSON.parse(json.stdout)).toEqual({
      header: 'X-Isao-Hmac-Sha256',
      value: signature,
      bytes: Buffer.byteLength(body),
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
  });

  it('"-" on a terminal, or stdin that cannot be read: exit 2 naming stdin', async () => {
    const usage = (message: string) => `isao: ${message}\nRun isao --help for the commands.\n`;
    expect(await isao(['sign', '--secret', SECRET, '-'])).toEqual({
      code: 2,
      stdout: '',
      stderr: usage('Give the body as a FILE, or pipe it into stdin.'),
    });
    const unreadable = await isao(['sign', '--secret', SECRET], {
      input: () => {
        throw new Error('EAGAIN: resource temporarily unavailable, read');
      },
    });
    expect(unreadable).toEqual({
      code: 2,
      stdout: '',
      stderr: usage('Could not read stdin: EAGAIN: resource temporarily unavailable, read'),
    });
  });
});

describe('verify', () => {
  it('--json: the result verify gives, for a body piped into stdin too', async () => {
    const body = JSON.stringify(event('evt_1'));
    const signature = sign(SECRET, Buffer.from(body));
    const ran = await isao(
      ['verify', '--secret', SECRET, '--signature', signature, '--now', NOW, '--json'],
      { input: body },
    );
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({
      ok: true,
      signedWith: 0,
      events: [expect.objectContaining({ name: 'deal.won', id: 'evt_1' })],
      unknown: [],
      skipped: [],
    });
    const refused = await isao(['verify', '--secret', SECRET, '--now', NOW, '--json'], {
      input: body,
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      status: 401,
      problem: 'missing',
    });
  });

  it('a refusal: its status, problem and message; exit 1', async () => {
    const body = JSON.stringify(event('evt_1'));
    const file = join(dir, 'refused.json');
    writeFileSync(file, body);
    const missing = await isao(['verify', '--secret', SECRET, '--now', NOW, file]);
    expect(missing).toEqual({
      code: 1,
      stdout:
        'refused (401 missing): The request has no X-Isao-Hmac-Sha256 header. ISAO signs every delivery of a webhook that has a signing secret: check that the request came from ISAO and that no proxy dropped the header.\n',
      stderr: '',
    });
    const other = sign('whsec_other', Buffer.from(body));
    const mismatch = await isao(['verify', '--secret', SECRET, '--signature', other, file]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toMatch(/^refused \(401 mismatch\): \S/);
  });

  it('the events by name and id, what was skipped and why, or none', async () => {
    const stale = await verified(
      JSON.stringify([event('evt_1'), event(null), event('evt_2', '2020-01-01T00:00:00.000Z')]),
    );
    expect(stale).toEqual({
      code: 0,
      stdout: [
        'valid: signed with secret 1 of 1',
        '2 event(s): deal.won evt_1, deal.won (no id)',
        'skipped: The signed event "evt_2" is from "2020-01-01T00:00:00.000Z" (read as 2020-01-01T00:00:00.000Z), older than the replay window of 7200 s: a request captured and sent again, or a clock far off.',
        '',
      ].join('\n'),
      stderr: '',
    });
    // an event the table does not know: valid, and no event of the table
    const unknown = await verified(JSON.stringify({ event: 'invoice.paid', data: {} }));
    expect(unknown).toEqual({
      code: 0,
      stdout: 'valid: signed with secret 1 of 1\n0 event(s)\n',
      stderr: '',
    });
  });

  it('on a terminal: valid in green, a refusal in red', async () => {
    const body = JSON.stringify(event('evt_1'));
    const file = join(dir, 'terminal.json');
    writeFileSync(file, body);
    const signature = sign(SECRET, Buffer.from(body));
    const args = ['verify', '--secret', SECRET, '--now', NOW, file];
    const valid = await isao([...args, '--signature', signature], { terminal: true });
    expect(valid.stdout).toBe(
      '\u001b[32mvalid: signed with secret 1 of 1\u001b[0m\n1 event(s): deal.won evt_1\n',
    );
    const refused = await isao(args, { terminal: true });
    expect(refused.stdout.startsWith('\u001b[31mrefused (401 missing): ')).toBe(true);
    expect(refused.stdout.endsWith('\u001b[0m\n')).toBe(true);
  });

  it('--now as an ISO 8601 time whose offset ends in digits', async () => {
    const body = JSON.stringify(event('evt_1'));
    const file = join(dir, 'offset.json');
    writeFileSync(file, body);
    const signature = sign(SECRET, Buffer.from(body));
    const ran = await isao([
      'verify',
      ...['--secret', SECRET, '--signature', signature, file],
      ...['--now', '2024-11-08T11:31:00+01:00'],
    ]);
    expect(ran).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid: /) as unknown });
  });
});

describe('verify --vectors', () => {
  const source = join(ROOT, 'conformance', 'vectors.json');

  it('a file it cannot read or parse: exit 2 naming it', async () => {
    const missing = join(dir, 'none.json');
    const ran = await isao(['verify', '--vectors', missing]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(
      new RegExp(`^isao: Could not read the vectors in ${missing}: ENOENT`),
    );
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{"cases": [');
    expect((await isao(['verify', '--vectors', notJson])).stderr).toMatch(
      new RegExp(`^isao: Could not read the vectors in ${notJson}: \\S`),
    );
  });

  it.each([
    ['headers', 'a list of [name, value] pairs of strings'],
    ['secrets', 'a list of one or more non-blank strings'],
  ])(
    'a case whose %s are not strings: exit 2 naming the case and the part, no stack',
    async (key, what) => {
      const malformed = join(dir, 'malformed.json');
      const cases = VECTORS.map((vector, i) => (i === 1 ? { ...vector, [key]: [5] } : vector));
      writeFileSync(malformed, JSON.stringify({ cases }));
      expect(await isao(['verify', '--vectors', malformed])).toEqual({
        code: 2,
        stdout: '',
        stderr: `isao: ${malformed} holds no conformance vectors: case 2 is not a vector: its "${key}" is not ${what}.\nRun isao --help for the commands.\n`,
      });
    },
  );

  it('a file holding no case: nothing passed, exit 1', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{"cases": []}');
    expect(await isao(['verify', '--vectors', empty])).toEqual({
      code: 1,
      stdout: '0 of 0 passed\n',
      stderr: '',
    });
  });

  it('a failed case: its name, what was expected and what came, each cut at 300 characters', async () => {
    const vectors: unknown = JSON.parse(readFileSync(source, 'utf8'));
    const text = JSON.stringify(vectors);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, text.replace('"signedWith":0', '"signedWith":5'));
    const ran = await isao(['verify', '--vectors', wrong]);
    expect(ran.code).toBe(1);
    const [name, expected, got] = ran.stdout.split('\n');
    expect(name).toBe('FAIL signature: base64, as ISAO sends it');
    const shown = JSON.stringify({ ...VECTORS[0]?.expected, signedWith: 5 });
    expect(shown.length).toBeGreaterThan(300);
    expect(expected).toBe(`  expected ${shown.slice(0, 300)}`);
    expect(got).toMatch(/^ {2}got {6}\{"ok":true,/);
    expect(got).toHaveLength('  got      '.length + 300);
    const terminal = await isao(['verify', '--vectors', wrong], { terminal: true });
    expect(terminal.stdout.split('\n')[0]).toBe(
      '\u001b[31mFAIL signature: base64, as ISAO sends it\u001b[0m',
    );
    const json = await isao(['verify', '--vectors', wrong, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      file: wrong,
      total: VECTORS.length,
      passed: VECTORS.length - 1,
      failed: [{ name: 'signature: base64, as ISAO sends it', passed: false }],
    });
  });
});
