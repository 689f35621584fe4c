/**
 * How createNodeMiddleware reads a request's stream that does not simply end: closed, failed or
 * cut off by the client before its end (even before the middleware runs), paused or partly read
 * by something mounted before it, or handed over without a URL; and
 * the connection after a 413. On a real node:http server on 127.0.0.1.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createNodeMiddleware, Webhooks } from '../../sdk/src/index';
import { signedDelivery } from '../../sdk/src/testing';
import { listen, post, sendPart } from './helpers';

const SECRET = 'whsec_node_reading';

/** The middleware's result and status for each request, and a promise of the first. */
const recorded = (options: Parameters<typeof createNodeMiddleware>[1] = {}) => {
  const middleware = createNodeMiddleware(new Webhooks({ secrets: SECRET }), options);
  const results: [boolean, number][] = [];
  let done: () => void = () => undefined;
  const first = new Promise<void>((resolve) => {
    done = resolve;
  });
  const run = async (req: IncomingMessage, res: ServerResponse) => {
    results.push([await middleware(req, res), res.statusCode]);
    done();
  };
  return { results, first, run, middleware };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A way a request is cut off: by something on the server's side, or by its client. */
type Cut = (req: IncomingMessage, client: Socket) => unknown;

/** Cuts that end the request: 'close' is fired. */
const CLOSING: [string, Cut][] = [
  // something on the way (a timeout, the application) destroys the request, no error given
  ['the request is closed without an error', (req) => req.destroy()],
  // answered 400 though nobody is left to read it
  ['the client goes away', (_req, client) => client.destroy()],
];

/**
 * The middleware's results for a request cut 30 ms after it arrived, 10 of its 1000 bytes sent;
 * `start` runs the middleware.
 */
const resultsOfCut = async (
  cut: Cut,
  start: (run: () => Promise<void>, req: IncomingMessage) => void,
): Promise<[boolean, number][]> => {
  const { results, first, run } = recorded();
  const server = await listen((req, res) => {
    setTimeout(() => cut(req, socket), 30);
    start(() => run(req, res), req);
  });
  const socket = sendPart(server.url, 1000, '{"event":');
  try {
    await first;
    return results;
  } finally {
    socket.destroy();
    await server.close();
  }
};

describe('createNodeMiddleware reading a stream', () => {
  it.each<[string, Cut]>([
    ...CLOSING,
    // a wrapper of the request may report a failure and stay open
    [
      'the request reports an error without closing',
      (req) => req.emit('error', new Error('the stream failed')),
    ],
  ])('answers 400, without a hang, when %s before its body ended', async (_how, cut) => {
    const start = (run: () => Promise<void>) => {
      void run();
    };
    expect(await resultsOfCut(cut, start)).toEqual([[true, 400]]);
  });

  it.each(CLOSING)(
    'answers 400 at once when %s before it runs (a middleware before it awaited)',
    async (_how, cut) => {
      const start = (run: () => Promise<void>, req: IncomingMessage) => {
        req.once('close', () => void run());
      };
      expect(await resultsOfCut(cut, start)).toEqual([[true, 400]]);
    },
  );

  it('reads a request that something before it paused', async () => {
    const middleware = createNodeMiddleware(new Webhooks({ secrets: SECRET }));
    const server = await listen(async (req, res) => {
      // a middleware that pauses the stream while it awaits, and does not resume it
      req.pause();
      await pause(30);
      await middleware(req, res);
    });
    const sent = signedDelivery('contact.created', { secret: SECRET, eventId: 'evt_paused' });
    try {
      expect((await post(server.url, sent.body, sent.headers)).body).toMatchObject({ handled: 1 });
    } finally {
      await server.close();
    }
  });

  it('answers 500 with the fix when something before it read part of the body, never a bad signature', async () => {
    const { middleware } = recorded();
    const server = await listen((req, res) => {
      // a logger mounted first takes the first chunk, then passes the request on
      req.once('data', () => {
        void middleware(req, res);
      });
    });
    const sent = signedDelivery('contact.created', { secret: SECRET, eventId: 'evt_part' });
    try {
      const answer = new Promise<string>((resolve) => {
        const bytes = Buffer.from(sent.body);
        const socket = sendPart(server.url, bytes.length, '', sent.headers);
        socket.write(bytes.subarray(0, 10));
        let text = '';
        socket.on('data', (data) => {
          text += String(data);
          if (text.includes('}')) resolve(text);
        });
        void pause(50).then(() => socket.write(bytes.subarray(10)));
      });
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 500 /);
      expect(text).toContain('already read by something mounted before this middleware');
    } finally {
      await server.close();
    }
  });

  it('takes a request without a URL as one to /', async () => {
    const handled: boolean[] = [];
    const middleware = createNodeMiddleware(new Webhooks({ secrets: SECRET }), { path: '/' });
    const server = await listen(async (req, res) => {
      // a request made by hand (a unit test's) may have none
      req.url = undefined;
      handled.push(await middleware(req, res));
    });
    const sent = signedDelivery('contact.created', { secret: SECRET, eventId: 'evt_url' });
    try {
      expect((await post(`${server.url}/elsewhere`, sent.body, sent.headers)).status).toBe(200);
      expect(handled).toEqual([true]);
    } finally {
      await server.close();
    }
  });

  it('closes the connection after a 413 to a declared length, without waiting for the body', async () => {
    const { run } = recorded({ maxBodyBytes: 100 });
    const server = await listen(run);
    try {
      const socket = sendPart(server.url, 5000, 'x');
      let text = '';
      socket.on('data', (data) => {
        text += String(data);
      });
      // the server ends the connection itself, though 4999 bytes of the body were never sent
      await new Promise((resolve) => socket.on('end', resolve));
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text).toMatch(/\r\nConnection: close\r\n/i);
      socket.destroy();
    } finally {
      await server.close();
    }
  });
});
