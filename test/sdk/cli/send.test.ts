/**
 * How `isao trigger` and `isao check` send one delivery (sdk/src/cli/send.ts), against servers
 * on 127.0.0.1: an answer that never comes within the attempt's time, a connection refused, and
 * an answer cut off after its status; each said in the words the CLI prints.
 */
import { described, send } from '../../../sdk/src/cli/send';
import { listen } from '../helpers';
import { isao } from './run';

const BODY = new TextEncoder().encode('{"event":"deal.won"}');

it('gives up on an answer that does not come within the time given, saying so', async () => {
  const server = await listen((req) => {
    req.resume();
  });
  try {
    const started = Date.now();
    const sent = await send(new URL(server.url), BODY, {}, { timeoutMs: 200 });
    expect(sent).toEqual({ error: 'no answer within 0.2 s', ms: expect.any(Number) as unknown });
    // the time it took: the 0.2 s waited, not more than it took here
    expect(sent.ms).toBeGreaterThanOrEqual(150);
    expect(sent.ms).toBeLessThanOrEqual(Date.now() - started);
    expect(described(sent)).toBe('no answer (no answer within 0.2 s)');
  } finally {
    await server.close();
  }
});

it('a connection refused: no answer, with the reason on the attempt line', async () => {
  const ran = await isao([
    'trigger',
    'deal.won',
    '--forward-to',
    'http://127.0.0.1:1/',
    '--secret',
    's',
  ]);
  expect(ran.code).toBe(1);
  expect(ran.stdout).toMatch(
    /^✗ 1\/1 deal\.won \S+ attempt 1: no answer \(connect ECONNREFUSED 127\.0\.0\.1:1\)\n/,
  );
});

it('an answer cut off after its status: the status it gave, and why its text is missing', async () => {
  const server = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('{"ok":');
      setTimeout(() => res.destroy(), 50);
    });
  });
  try {
    const sent = await send(new URL(server.url), BODY, {}, { timeoutMs: 5000 });
    expect(sent).toEqual({ status: 200, error: 'aborted', ms: expect.any(Number) as unknown });
    expect(described(sent)).toMatch(/^200 in \d+ ms$/);
  } finally {
    await server.close();
  }
});
