/**
 * The `isao` command line's own rules, run in the test's process (./run.ts): help and its exit
 * codes, each option a command refuses with the words that name it, where the secret, the API
 * key and the base URL come from, and how `--now` and `--times` are read.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleOf } from '../../../core/events';
import { overrides } from '../../../sdk/src/cli/trigger';
import { WEBHOOKS_USAGE } from '../../../sdk/src/cli/webhooks';
import { signedDelivery } from '../../../sdk/src/testing';
import { listen } from '../helpers';
import { isao } from './run';

const dir = mkdtempSync(join(tmpdir(), 'isao-cli-usage-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('help', () => {
  it('no command: the usage, exit 2; help, --help and -h: the usage, exit 0', async () => {
    const none = await isao([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/^Usage: isao COMMAND \[options\]\n\nisao webhooks list/);
    for (const asked of ['help', '--help', '-h']) {
      expect(await isao([asked])).toEqual({ code: 0, stdout: none.stdout, stderr: '' });
    }
  });

  it("a command's --help: the webhooks usage for webhooks, the whole usage for the others", async () => {
    expect(await isao(['webhooks', 'list', '--help'])).toEqual({
      code: 0,
      stdout: `${WEBHOOKS_USAGE}\n`,
      stderr: '',
    });
    const trigger = await isao(['trigger', '--help']);
    expect(trigger.code).toBe(0);
    expect(trigger.stdout).toMatch(/^Usage: isao COMMAND/);
  });

  it('help asked for with --json: the usage all the same', async () => {
    const usage = (await isao(['--help'])).stdout;
    for (const args of [
      ['help', '--json'],
      ['--help', '--json'],
      ['trigger', '--help', '--json'],
    ]) {
      expect(await isao(args)).toEqual({ code: 0, stdout: usage, stderr: '' });
    }
    expect(await isao(['webhooks', '--json', '--help'])).toEqual({
      code: 0,
      stdout: `${WEBHOOKS_USAGE}\n`,
      stderr: '',
    });
  });

  it.each([
    ['trigger', 'deal.won', 'deal.lost', '--forward-to', 'http://127.0.0.1:1/'],
    ['check', 'http://127.0.0.1:1/', 'deal.lost', '--secret', 's'],
    ['sign', '--secret', 's', 'a.json', 'deal.lost'],
    ['verify', '--vectors', 'a.json', 'deal.lost'],
    ['verify', '--secret', 's', 'a.json', 'deal.lost'],
  ])('isao %s with an argument too many: exit 2, naming it', async (...args) => {
    expect(await isao(args)).toEqual({
      code: 2,
      stdout: '',
      stderr: `isao: isao ${args[0]} takes one argument at most; "deal.lost" is one too many.\nRun isao --help for the commands.\n`,
    });
  });

  it('an unknown command: exit 2, naming it', async () => {
    expect(await isao(['triger'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'isao: Unknown command "triger".\nRun isao --help for the commands.\n',
    });
  });
});

describe('trigger', () => {
  it('--times: a whole number from 1 to 1000', async () => {
    for (const times of ['0', '1001', '1.5', 'two']) {
      const ran = await isao([
        'trigger',
        'deal.won',
        '--forward-to',
        'http://127.0.0.1:1/',
        '--times',
        times,
      ]);
      expect(ran).toMatchObject({
        code: 2,
        stderr: `isao: --times must be a whole number from 1 to 1000, not "${times}".\nRun isao --help for the commands.\n`,
      });
    }
  });

  it('--times 1000 is taken: a thousand deliveries, here each refused', async () => {
    const ran = await isao([
      'trigger',
      'deal.won',
      '--forward-to',
      'http://127.0.0.1:1/',
      '--times',
      '1000',
      '--secret',
      's',
    ]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('1000 of 1000 not delivered (no 2xx answer).');
    // a thousand refused connections: seconds on a busy machine
  }, 30_000);

  it('takes an https receiver URL (here refused: nothing listens), exit 1', async () => {
    const ran = await isao([
      'trigger',
      'deal.won',
      '--forward-to',
      'https://127.0.0.1:1/',
      '--secret',
      's',
    ]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('1 of 1 not delivered (no 2xx answer).');
  });

  it('names what is missing: the event, the URL', async () => {
    const noEvent = await isao(['trigger', '--forward-to', 'http://127.0.0.1:1/']);
    expect(noEvent.code).toBe(2);
    expect(noEvent.stderr).toMatch(/^isao: An event is needed; the events are contact\.created, /);
    const noUrl = await isao(['trigger', 'deal.won']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/^isao: --forward-to must be an http\(s\) URL\.\n/);
    const notUrl = await isao(['trigger', 'deal.won', '--forward-to', 'not a url']);
    expect(notUrl.stderr).toMatch(
      /^isao: --forward-to must be an http\(s\) URL, not "not a url"\.\n/,
    );
  });

  it('without a secret: says so, and sends unsigned deliveries', async () => {
    const headers: string[] = [];
    const server = await listen((req, res) => {
      headers.push(String(req.headers['x-isao-hmac-sha256']));
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    try {
      const ran = await isao(['trigger', 'deal.won', '--forward-to', server.url]);
      expect(ran.code).toBe(0);
      const unsigned =
        /^No --secret \(or ISAO_WEBHOOK_SECRET\), or a blank one: sending unsigned deliveries\.\n✓ 1\/1 deal\.won /;
      expect(ran.stdout).toMatch(unsigned);
      expect(headers).toEqual(['undefined']);
      const signed = await isao(['trigger', 'deal.won', '--forward-to', server.url], {
        env: { ISAO_WEBHOOK_SECRET: 'whsec_env' },
      });
      expect(signed.stdout).not.toContain('No --secret');
      expect(headers[1]).not.toBe('undefined');
      // a blank secret is none, as for the other commands: not an HMAC keyed with nothing
      const blankOption = await isao(
        ['trigger', 'deal.won', '--forward-to', server.url, '--secret='],
        { env: { ISAO_WEBHOOK_SECRET: 'whsec_env' } },
      );
      const blankEnv = await isao(['trigger', 'deal.won', '--forward-to', server.url], {
        env: { ISAO_WEBHOOK_SECRET: ' ' },
      });
      expect([blankOption.stdout, blankEnv.stdout]).toEqual([
        expect.stringMatching(unsigned),
        expect.stringMatching(unsigned),
      ]);
      expect(headers.slice(2)).toEqual(['undefined', 'undefined']);
    } finally {
      await server.close();
    }
  });
});

describe('verify', () => {
  const body = JSON.stringify({
    event: 'deal.won',
    timestamp: '2024-11-08T10:30:00.000Z',
    data: { id: 'deal_1' },
    metadata: { eventId: 'evt_1' },
  });
  const file = join(dir, 'body.json');
  const signatureOf = (secret: string): string =>
    signedDelivery('deal.won', { secret, body }).headers['X-Isao-Hmac-Sha256'] ?? '';

  it('--now as epoch milliseconds or ISO 8601; anything else exit 2', async () => {
    writeFileSync(file, body);
    const signature = signatureOf('whsec_v');
    const at = Date.parse('2024-11-08T10:31:00Z');
    const args = ['verify', '--secret', 'whsec_v', '--signature', signature, file];
    expect((await isao([...args, '--now', String(at)])).code).toBe(0);
    expect((await isao([...args, '--now', '2024-11-08T10:31:00Z'])).code).toBe(0);
    // a day later: stale
    expect((await isao([...args, '--now', String(at + 86_400_000)])).code).toBe(1);
    // without --now, this machine's clock: the 2024 event is stale, refused (exit 1, not 2)
    expect((await isao(args)).code).toBe(1);
    const bad = await isao([...args, '--now', 'soon']);
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'isao: --now must be epoch milliseconds or an ISO 8601 time from 1970 on, not "soon".',
      ) as unknown,
    });
  });

  it('--now before 1970, or a blank secret: exit 2 naming it, never a crash', async () => {
    writeFileSync(file, body);
    const usage = (message: string) => `isao: ${message}\nRun isao --help for the commands.\n`;
    const args = ['verify', '--signature', signatureOf('whsec_v'), file];
    expect(await isao([...args, '--secret', 'whsec_v', '--now', '1969-12-31T23:59:59Z'])).toEqual({
      code: 2,
      stdout: '',
      stderr: usage(
        '--now must be epoch milliseconds or an ISO 8601 time from 1970 on, not "1969-12-31T23:59:59Z".',
      ),
    });
    // 1970 itself is a time (a later event is no replay)
    expect((await isao([...args, '--secret', 'whsec_v', '--now', '0'])).code).toBe(0);
    const blank = usage('Give the signing secret: --secret S (or ISAO_WEBHOOK_SECRET).');
    for (const [given, env] of [
      [['--secret', ' '], {}],
      [['--secret', 'whsec_v', '--secret', ''], {}],
      [[], { ISAO_WEBHOOK_SECRET: ' ' }],
    ] as const) {
      expect(await isao([...args, ...given], { env })).toEqual({
        code: 2,
        stdout: '',
        stderr: blank,
      });
    }
    expect(await isao(['sign', '--secret', '\t', file])).toEqual({
      code: 2,
      stdout: '',
      stderr: blank,
    });
  });

  it('the secret from ISAO_WEBHOOK_SECRET when no --secret is given, else exit 2', async () => {
    writeFileSync(file, body);
    const args = [
      'verify',
      '--signature',
      signatureOf('whsec_env'),
      '--now',
      '2024-11-08T10:31:00Z',
      file,
    ];
    expect(await isao(args, { env: { ISAO_WEBHOOK_SECRET: 'whsec_env' } })).toMatchObject({
      code: 0,
      stdout: 'valid: signed with secret 1 of 1\n1 event(s): deal.won evt_1\n',
    });
    expect((await isao(args)).stderr).toContain('Give the signing secret');
  });

  it('a body from a FILE it cannot read, or none: exit 2 naming it', async () => {
    const missing = join(dir, 'missing.json');
    const ran = await isao(['sign', '--secret', 's', missing]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(new RegExp(`^isao: Could not read ${missing}: ENOENT`));
    expect((await isao(['sign', '--secret', 's'])).stderr).toContain(
      'Give the body as a FILE, or pipe it into stdin.',
    );
  });
});

describe("trigger's --set", () => {
  it('lays data.PATH=VALUE over the sample (JSON when it reads as JSON), eventId and timestamp', () => {
    const sample = sampleOf('deal.won');
    expect(
      overrides('deal.won', [
        'data.amount=42',
        'data.title=Big deal',
        'data.owner.name=Ana',
        'data.title.x=deep',
        'metadata.eventId=evt_a',
        'eventId=evt_b',
        'timestamp=1700000000',
      ]),
    ).toEqual({
      data: { ...sample, amount: 42, title: { x: 'deep' }, owner: { name: 'Ana' } },
      eventId: 'evt_b',
      timestamp: 1700000000,
    });
    expect(overrides('deal.won', ['timestamp=2024-11-08T10:30:00Z', 'eventId=a=b'])).toEqual({
      data: sample,
      timestamp: '2024-11-08T10:30:00Z',
      eventId: 'a=b',
    });
    expect(overrides('deal.won', ['metadata.eventId=evt_m'])).toMatchObject({ eventId: 'evt_m' });
    // a timestamp that is not a number goes as the text given, whatever JSON reads in it
    expect(overrides('deal.won', ['timestamp=null', 'timestamp="1700000000"'])).toMatchObject({
      timestamp: '"1700000000"',
    });
    expect(overrides('deal.won', ['timestamp=null'])).toMatchObject({ timestamp: 'null' });
    // a copy: the table's sample is untouched
    expect(sampleOf('deal.won')).toEqual(sample);
  });

  it.each([
    'data=x',
    'data.=x',
    'data..a=x',
    'data.a..b=x',
    'data.a.=x',
    '=x',
    'title=x',
    'data.title',
    'metadata=x',
    // no "=": not read as the key without its last character
    'eventIdX',
    'metadata.eventIdX',
    'timestampZ',
  ])('refuses --set %s, saying what it takes', (set) => {
    expect(() => overrides('deal.won', [set])).toThrow(
      `--set ${JSON.stringify(set)}: expected data.FIELD=VALUE (a dotted path under data), eventId=ID or timestamp=TIME.`,
    );
  });

  it.each(['eventId=', 'metadata.eventId= '])('refuses --set %j: a blank event id', (set) => {
    expect(() => overrides('deal.won', [set])).toThrow(
      `--set ${JSON.stringify(set)}: an event id cannot be blank.`,
    );
  });

  it('exits 2 on a --set without "=", naming it, before sending anything', async () => {
    const ran = await isao(
      ['trigger', 'deal.won', '--forward-to', 'http://127.0.0.1:1/', '--set', 'eventIdX'],
      { env: { ISAO_WEBHOOK_SECRET: 's' } },
    );
    expect(ran).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'isao: --set "eventIdX": expected data.FIELD=VALUE (a dotted path under data), eventId=ID or timestamp=TIME.\nRun isao --help for the commands.\n',
    });
  });
});
