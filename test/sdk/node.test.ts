/**
 * createNodeMiddleware on a real node:http server on 127.0.0.1, with real signed bytes: every
 * conformance vector over the wire, the bodies frameworks hand over (rawBody, express.raw,
 * express.text, express.json first), paths, methods, sizes, and ISAO's own delivery (the
 * sandbox's dispatcher, retries included) into it.
 */
import type { ServerResponse } from 'node:http';
import { createNodeMiddleware, MemoryStore, RetryableError, Webhooks } from '../../sdk/src/index';
import type { NodeRequest } from '../../sdk/src/node';
import { PARSED_BODY } from '../../sdk/src/problems';
import { signedDelivery } from '../../sdk/src/testing';
import { createDispatcher, envelope } from '../../sandbox/webhooks';
import {
  answerToHeadersOnly,
  expectVectorsOverHttp,
  listen,
  post,
  readBody,
  VECTORS,
} from './helpers';

const SECRET = 'whsec_node_middleware';

const signed = (eventId = 'evt_n1') =>
  signedDelivery('contact.created', { secret: SECRET, eventId });

describe('createNodeMiddleware', () => {
  it('answers every conformance vector over HTTP as verify does', async () => {
    // one receiver per vector (its secrets and time), chosen by a test header
    const receivers = VECTORS.map(
      (vector) => new Webhooks({ secrets: vector.secrets, now: () => vector.now }),
    );
    const server = await listen((req, res) => {
      const receiver = receivers[Number(req.headers['x-vector'])];
      return receiver && createNodeMiddleware(receiver)(req, res);
    });
    try {
      await expectVectorsOverHttp(server.url);
    } finally {
      await server.close();
    }
  });

  it('handles a delivery, refuses a tampered copy with the reason, and answers a retry as a duplicate', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const names: string[] = [];
    webhooks.on('contact.created', (event) => {
      names.push(String(event.data.name));
    });
    const server = await listen(createNodeMiddleware(webhooks));
    try {
      const sent = signed();
      expect((await post(server.url, sent.body, sent.headers)).body).toEqual({
        ok: true,
        message: 'Handled 1 event(s).',
        handled: 1,
        duplicates: 0,
      });
      const tampered = await post(server.url, sent.text.replace('Jane', 'Joan'), sent.headers);
      expect(tampered.status).toBe(401);
      expect(tampered.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(tampered.body.message).toMatch(/does not match the body under the signing secret/);
      expect((await post(server.url, sent.body, sent.headers)).body.duplicates).toBe(1);
      expect(names).toEqual(['Jane Smith']);
    } finally {
      await server.close();
    }
  });

  it('takes the bytes a framework already read: req.rawBody, a Buffer or string req.body', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const keep: ((req: NodeRequest, body: Buffer) => void)[] = [
      (req, body) => {
        req.rawBody = body;
        req.body = JSON.parse(body.toString('utf8'));
      },
      (req, body) => {
        req.body = body;
      },
      (req, body) => {
        req.body = body.toString('utf8');
      },
    ];
    const server = await listen(async (req: NodeRequest, res: ServerResponse) => {
      const body = await readBody(req);
      keep[Number(req.headers['x-way'])]?.(req, body);
      return createNodeMiddleware(webhooks)(req, res);
    });
    try {
      for (const [way] of keep.entries()) {
        const sent = signed(`evt_way_${String(way)}`);
        const reply = await post(server.url, sent.body, { ...sent.headers, 'X-Way': String(way) });
        expect({ way, status: reply.status }).toEqual({ way, status: 200 });
      }
    } finally {
      await server.close();
    }
  });

  it('reads a stream set to give text (req.setEncoding) as the bytes sent, counted in bytes', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const sent = signedDelivery('contact.created', {
      secret: SECRET,
      data: { name: 'Zoë 🚀 Ünal\u2028line two' },
    });
    // exactly as many bytes as the delivery's: it is taken
    const max = sent.body.length;
    const middleware = createNodeMiddleware(webhooks, { maxBodyBytes: max });
    const server = await listen((req: NodeRequest, res: ServerResponse) => {
      req.setEncoding('utf8');
      return middleware(req, res);
    });
    /** A delivery whose emoji take it past `max` bytes, though not past `max` characters. */
    const past = (n: number): ReturnType<typeof signedDelivery> => {
      const long = signedDelivery('contact.created', {
        secret: SECRET,
        data: { name: '🚀'.repeat(n) },
      });
      return long.body.length > max ? long : past(n + 1);
    };
    try {
      // chunked: no declared length, so the bound is counted as the stream's text arrives
      const chunked = (headers: Record<string, string>) => ({
        ...headers,
        'Transfer-Encoding': 'chunked',
      });
      expect((await post(server.url, sent.body, chunked(sent.headers))).status).toBe(200);
      const long = past(1);
      expect(long.text.length).toBeLessThanOrEqual(max);
      expect((await post(server.url, long.body, chunked(long.headers))).status).toBe(413);
    } finally {
      await server.close();
    }
  });

  it('answers 500 with the fix at once when express.json() ran first, never a bad signature or a hang', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const server = await listen(async (req: NodeRequest, res: ServerResponse) => {
      const text = (await readBody(req)).toString('utf8');
      // express.json(): the bytes are gone, an object is left; a reader that kept nothing
      if (req.headers['x-parser'] === 'json') req.body = JSON.parse(text);
      if (req.headers['x-parser'] === 'null') req.body = null;
      return createNodeMiddleware(webhooks)(req, res);
    });
    try {
      const sent = signed();
      const parsed = await post(server.url, sent.body, { ...sent.headers, 'X-Parser': 'json' });
      expect(parsed).toMatchObject({
        status: 500,
        body: { ok: false, problem: 'unread', message: PARSED_BODY },
      });
      expect(parsed.ms).toBeLessThan(1000);
      for (const parser of ['none', 'null']) {
        const consumed = await post(server.url, sent.body, { ...sent.headers, 'X-Parser': parser });
        expect(consumed.status).toBe(500);
        expect(consumed.body.message).toMatch(
          /already read by something mounted before this middleware, which kept no copy/,
        );
        expect(consumed.ms).toBeLessThan(1000);
      }
    } finally {
      await server.close();
    }
  });

  it('still reads the stream when a body parser set req.body to {} without reading it', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const server = await listen((req: NodeRequest, res: ServerResponse) => {
      // body-parser 1 sets req.body = {} before it checks the content type, and reads nothing
      req.body = {};
      return createNodeMiddleware(webhooks)(req, res);
    });
    try {
      const sent = signed();
      expect((await post(server.url, sent.body, sent.headers)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('keeps to its path, passing others to next(), and to POST', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const passed: string[] = [];
    const handled: boolean[] = [];
    const middleware = createNodeMiddleware(webhooks, { path: '/isao/webhooks' });
    const server = await listen(async (req, res) => {
      handled.push(
        await middleware(req, res, () => {
          passed.push(req.url ?? '');
          res.end('next');
        }),
      );
    });
    const alone = createNodeMiddleware(webhooks, { path: '/isao/webhooks' });
    const bare = await listen(async (req, res) => {
      handled.push(await alone(req, res));
    });
    try {
      const sent = signed();
      expect((await post(`${server.url}/isao/webhooks?x=1`, sent.body, sent.headers)).status).toBe(
        200,
      );
      expect((await post(`${server.url}/other`, sent.body, sent.headers)).body).toEqual({
        text: 'next',
      });
      expect(passed).toEqual(['/other']);
      expect(handled).toEqual([true, false]);
      expect(await post(`${bare.url}/other`, sent.body, sent.headers)).toMatchObject({
        status: 404,
        body: { ok: false, message: 'ISAO webhooks are received at /isao/webhooks.' },
      });
      // answered 404 itself, without a next(): not a delivery it handled
      expect(handled).toEqual([true, false, false]);
      const get = await post(`${server.url}/isao/webhooks`, '', {}, 'GET');
      expect(get).toMatchObject({
        status: 405,
        body: { ok: false, message: 'ISAO delivers webhooks with POST.' },
      });
      expect(get.headers.allow).toBe('POST');
    } finally {
      await Promise.all([server.close(), bare.close()]);
    }
  });

  it('answers 413 past maxBodyBytes, declared or streamed', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const server = await listen(createNodeMiddleware(webhooks, { maxBodyBytes: 100 }));
    try {
      const big = 'x'.repeat(5000);
      const declared = await post(server.url, big, { 'Content-Type': 'application/json' });
      expect(declared).toMatchObject({
        status: 413,
        body: { ok: false, message: 'The webhook body is larger than 100 bytes (maxBodyBytes).' },
      });
      // the rest is not read: the connection is closed after the answer
      expect(declared.headers.connection).toBe('close');
      const streamed = await post(server.url, big, { 'Transfer-Encoding': 'chunked' });
      expect(streamed.status).toBe(413);
      // a declared length past the bound is answered at once, before any of the body arrives
      expect(await answerToHeadersOnly(server.url, 5000)).toMatch(/^HTTP\/1\.1 413 /);
      // exactly maxBodyBytes is read, streamed or declared
      const full = 'x'.repeat(100);
      expect((await post(server.url, full, { 'Transfer-Encoding': 'chunked' })).status).toBe(401);
      expect((await post(server.url, full)).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('answers a slow handler 503 within the deadline, over the wire', async () => {
    const webhooks = new Webhooks({ secrets: SECRET, deadline: 100 });
    webhooks.on('contact.created', () => new Promise(() => undefined));
    const server = await listen(createNodeMiddleware(webhooks));
    try {
      const sent = signed();
      const reply = await post(server.url, sent.body, sent.headers);
      expect(reply).toMatchObject({ status: 503, body: { problem: 'deadline' } });
      expect(reply.ms).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });

  it('receives ISAO’s own deliveries: a retry after a 503 is handled once, a second send is a duplicate', async () => {
    const store = new MemoryStore();
    const webhooks = new Webhooks({ secrets: SECRET, store });
    const handled: string[] = [];
    let unavailable = true;
    webhooks.on('deal.won', (event) => {
      if (unavailable) {
        unavailable = false;
        throw new RetryableError('the database is restarting');
      }
      handled.push(String(event.id));
    });
    const server = await listen(createNodeMiddleware(webhooks));
    const dispatcher = createDispatcher({
      delivery: { retries: 3, backoffMs: 10, timeoutMs: 5000 },
      signingSecret: () => SECRET,
      isActive: () => true,
      log: () => undefined,
    });
    const subscription = {
      id: 'hook_1',
      subscription_id: 'sub_1',
      event: 'deal.won' as const,
      target_url: server.url,
      created_at: new Date().toISOString(),
    };
    try {
      const event = envelope(
        'deal.won',
        { id: 'deal_9', title: 'Won' },
        'company_1',
        'api',
        new Date(),
      );
      dispatcher.dispatch(event, [subscription]);
      await dispatcher.idle();
      dispatcher.dispatch(event, [subscription]);
      await dispatcher.idle();
      expect(dispatcher.attempts.map(({ attempt, status }) => [attempt, status])).toEqual([
        [1, 503],
        [2, 200],
        [1, 200],
      ]);
      expect(handled).toEqual([event.metadata.eventId]);
    } finally {
      dispatcher.close();
      await server.close();
    }
  });
});
