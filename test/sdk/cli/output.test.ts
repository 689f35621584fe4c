/**
 * How the `isao` CLI speaks, in the test's process: colour only on a terminal without NO_COLOR,
 * progress only on a terminal's stderr, one JSON document with --json and no lines; and how
 * `isao check` reads a receiver's answer to a repeated event.
 */
import { run } from '../../../sdk/src/cli';
import { kindOf } from '../../../sdk/src/cli/check';
import { outputFor } from '../../../sdk/src/cli/output';
import { listen } from '../helpers';

/** A stream that keeps what is written, a terminal or not. */
const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return {
    isTTY,
    written,
    write: (text: string) => {
      written.push(text);
      return true;
    },
  };
};

describe('outputFor', () => {
  it('paints only on a terminal, and not when NO_COLOR is set', () => {
    const paint = (tty: boolean, env: Record<string, string>) =>
      outputFor(false, stream(tty), stream(tty), env).paint('red', 'x');
    expect(paint(true, {})).toBe('\u001b[31mx\u001b[0m');
    expect(outputFor(false, stream(true), stream(true), {}).paint('green', 'x')).toBe(
      '\u001b[32mx\u001b[0m',
    );
    expect(paint(true, { NO_COLOR: '1' })).toBe('x');
    expect(paint(false, {})).toBe('x');
  });

  it('lines for people, or one JSON document; progress only on a terminal, never with --json', () => {
    const [stdout, stderr] = [stream(true), stream(true)];
    const human = outputFor(false, stdout, stderr, {});
    human.line('a line');
    human.data({ a: 1 });
    human.progress('working');
    expect([stdout.written, stderr.written]).toEqual([['a line\n'], ['working\n']]);
    const [jsonOut, jsonErr] = [stream(true), stream(true)];
    const json = outputFor(true, jsonOut, jsonErr, {});
    json.line('a line');
    json.data({ a: 1 });
    json.progress('working');
    expect([jsonOut.written, jsonErr.written]).toEqual([['{\n  "a": 1\n}\n'], []]);
    const piped = stream(false);
    outputFor(false, stream(false), piped, {}).progress('working');
    expect(piped.written).toEqual([]);
  });

  it('a failed delivery on a terminal: the marks painted, and the retry said on stderr', async () => {
    let left = 1;
    const server = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(left-- > 0 ? 500 : 200).end();
      });
    });
    try {
      const [stdout, stderr] = [stream(true), stream(true)];
      const code = await run(
        ['trigger', 'deal.won', '--forward-to', server.url, '--secret', 's', '--like-isao'],
        { stdout, stderr, stdin: { isTTY: true, read: () => Buffer.alloc(0) }, env: {} },
      );
      expect(code).toBe(0);
      const [first, second] = stdout.written;
      expect(first?.startsWith('\u001b[31m✗\u001b[0m 1/1 deal.won ')).toBe(true);
      expect(first).toMatch(/ attempt 1: 500 in \d+ ms\n$/);
      expect(second?.startsWith('\u001b[32m✓\u001b[0m 1/1 deal.won ')).toBe(true);
      expect(second).toMatch(/ attempt 2: 200 in \d+ ms\n$/);
      expect(stderr.written).toEqual(['  retrying in 1 s\n']);
    } finally {
      await server.close();
    }
  });
});

describe('run', () => {
  it("rejects with an error that is neither the command line's nor ISAO's, not dressed as exit 2 or 3", async () => {
    const stderr = stream(false);
    const broken = {
      write: () => {
        throw new Error('EPIPE: broken pipe, write');
      },
    };
    await expect(
      run(['help'], {
        stdout: broken,
        stderr,
        stdin: { isTTY: true, read: () => Buffer.alloc(0) },
        env: {},
      }),
    ).rejects.toThrow('EPIPE: broken pipe, write');
    expect(stderr.written).toEqual([]);
  });
});

describe("isao check's reading of an answer", () => {
  it.each([
    [{ status: 503, text: '' }, 'in-flight'],
    [{ status: 500, text: '{"duplicate":true}' }, 'other'],
    [{ status: 409, text: '' }, 'other'],
    [{ text: '' }, 'other'],
    [{ status: 200, text: 'OK' }, 'handled'],
    [{ status: 200 }, 'handled'],
    [{ status: 204, text: '[1]' }, 'handled'],
    [{ status: 200, text: '{"ok":true,"handled":1,"duplicates":0}' }, 'handled'],
    [{ status: 200, text: '{"ok":true,"handled":1,"duplicates":1}' }, 'handled'],
    [{ status: 200, text: '{"ok":true,"handled":0,"duplicates":1}' }, 'duplicate'],
    [{ status: 200, text: '{"duplicates":1}' }, 'duplicate'],
    [{ status: 200, text: '{"duplicates":0}' }, 'handled'],
    [{ status: 200, text: 'null' }, 'handled'],
    [{ status: 200, text: '{"duplicates":"1"}' }, 'handled'],
    [{ status: 200, text: '{"duplicate":true}' }, 'duplicate'],
    [{ status: 200, text: '{"duplicate":"yes"}' }, 'handled'],
  ])('%j is %s', (sent, kind) => {
    expect(kindOf({ ms: 1, ...sent })).toBe(kind);
  });
});
