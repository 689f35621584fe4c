/**
 * What the Koa middleware and the Fastify plugin do beyond the matrix's deliveries: Koa passes
 * other paths on to the next middleware and answers a body a parser turned into an object 500
 * with the fix, at once; Fastify keeps the rest of the app's JSON parsing, mounts under a
 * register prefix (at / without a path) and refuses a body past maxBodyBytes, its own bound
 * (5 MiB by default) in place of Fastify's.
 */
import fastify from 'fastify';
import Koa from 'koa';
import { text } from 'node:stream/consumers';
import { createFastifyPlugin, createKoaMiddleware, Webhooks } from '../../../sdk/src/index';
import { signedDelivery } from '../../../sdk/src/testing';
import { answerToHeadersOnly, listen, post } from '../helpers';
import { FRAMEWORK_SECRET } from './servers';

const sent = () => signedDelivery('deal.won', { secret: FRAMEWORK_SECRET });

describe('createKoaMiddleware', () => {
  it('passes other paths to the next middleware, and answers its own', async () => {
    const app = new Koa();
    app.use(createKoaMiddleware(new Webhooks({ secrets: FRAMEWORK_SECRET }), { path: '/isao' }));
    app.use((ctx) => {
      ctx.body = `next: ${ctx.path}`;
    });
    const server = await listen(app.callback());
    try {
      const delivery = sent();
      expect((await post(`${server.url}/isao`, delivery.body, delivery.headers)).body).toEqual({
        ok: true,
        message: 'Handled 1 event(s).',
        handled: 1,
        duplicates: 0,
      });
      const other = await post(`${server.url}/other`, delivery.body, delivery.headers);
      expect(other.body).toEqual({ text: 'next: /other' });
      const get = await post(`${server.url}/isao`, '', {}, 'GET');
      expect({ status: get.status, allow: get.headers.allow }).toEqual({
        status: 405,
        allow: 'POST',
      });
    } finally {
      await server.close();
    }
  });

  it('answers a declared length past maxBodyBytes at once, before any of the body arrives', async () => {
    const app = new Koa();
    const webhooks = new Webhooks({ secrets: FRAMEWORK_SECRET });
    app.use(createKoaMiddleware(webhooks, { maxBodyBytes: 100 }));
    const server = await listen(app.callback());
    try {
      expect(await answerToHeadersOnly(server.url, 5000)).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      await server.close();
    }
  });

  it('answers 500 with the fix at once after a body parser that kept no bytes', async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      Object.assign(ctx.request, { body: JSON.parse(await text(ctx.req)) as unknown });
      await next();
    });
    app.use(createKoaMiddleware(new Webhooks({ secrets: FRAMEWORK_SECRET })));
    const server = await listen(app.callback());
    try {
      const delivery = sent();
      const reply = await post(server.url, delivery.body, delivery.headers);
      expect(reply).toMatchObject({ status: 500, body: { ok: false, problem: 'unread' } });
      expect(reply.body.message).toMatch(
        /before the body parser, or use one that keeps them as ctx\.request\.rawBody/,
      );
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.ms).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });
});

describe('createFastifyPlugin', () => {
  it('keeps the app’s JSON parsing elsewhere, mounts under a prefix, and refuses past maxBodyBytes', async () => {
    const app = fastify();
    app.post('/json', (request) => ({ parsed: request.body }));
    await app.register(
      createFastifyPlugin(new Webhooks({ secrets: FRAMEWORK_SECRET }), {
        path: '/webhooks',
        maxBodyBytes: 2000,
      }),
      { prefix: '/isao' },
    );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const delivery = sent();
      const reply = await post(`${url}/isao/webhooks`, delivery.body, delivery.headers);
      expect(reply).toMatchObject({ status: 200, body: { handled: 1 } });
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      const json = await post(`${url}/json`, '{"a":1}', { 'Content-Type': 'application/json' });
      expect(json.body).toEqual({ parsed: { a: 1 } });
      // past maxBodyBytes, by its Content-Length or (chunked) as read: the package's 413, in
      // its words as on every framework, not Fastify's own body limit's
      const tooLarge = {
        status: 413,
        body: { ok: false, message: 'The webhook body is larger than 2000 bytes (maxBodyBytes).' },
      };
      const big = await post(`${url}/isao/webhooks`, 'x'.repeat(5000), delivery.headers);
      expect(big).toMatchObject(tooLarge);
      expect(big.headers.connection).toBe('close');
      const chunked = await post(`${url}/isao/webhooks`, 'x'.repeat(5000), {
        ...delivery.headers,
        'Transfer-Encoding': 'chunked',
      });
      expect(chunked).toMatchObject(tooLarge);
      const empty = await post(`${url}/isao/webhooks`, '', { 'X-Isao-Hmac-Sha256': 'x' });
      expect(empty).toMatchObject({ status: 401, body: { problem: 'malformed' } });
    } finally {
      await app.close();
    }
  });

  it('answers at / when no path is given, with the default body bound', async () => {
    const app = fastify();
    await app.register(createFastifyPlugin(new Webhooks({ secrets: FRAMEWORK_SECRET })));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const delivery = sent();
      expect(await post(`${url}/`, delivery.body, delivery.headers)).toMatchObject({
        status: 200,
        body: { handled: 1 },
      });
      // a body past Fastify's own default limit (1 MiB, a 413) is read, up to the package's bound,
      // and judged: an event this large is refused by the core's size rule
      const big = signedDelivery('deal.won', {
        secret: FRAMEWORK_SECRET,
        data: { notes: 'x'.repeat(1_100_000) },
      });
      const reply = await post(`${url}/`, big.body, big.headers);
      expect(big.body.length).toBeGreaterThan(1024 * 1024);
      expect(reply).toMatchObject({ status: 400, body: { problem: 'unusable' } });
      // a declared length past the package's bound is answered at once, before any body arrives
      expect(await answerToHeadersOnly(url, 5 * 1024 * 1024 + 1)).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      await app.close();
    }
  });
});
