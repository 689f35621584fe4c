/**
 * createWebHandler under Node 22's own Request and Response, on a real node:http server on
 * 127.0.0.1: each request's wire headers and streamed body become a fetch Request, and the
 * handler's Response is written back. The web entry's receiver (Web Crypto) answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createWebHandler, RetryableError, Webhooks } from '../../sdk/src/web';
import { signedDelivery } from '../../sdk/src/testing';
import { expectVectorsOverHttp, listen, post, VECTORS } from './helpers';
import { toRequest, writeResponse } from './frameworks/bridge';

const SECRET = 'whsec_web_handler';

const USED =
  "The webhook request's body was already read, or taken for reading, before this handler: pass the request as received.";

const serve = (handler: (request: Request) => Promise<Response>) =>
  listen(async (req: IncomingMessage, res: ServerResponse) => {
    await writeResponse(await handler(toRequest(req)), res);
  });

const signed = (eventId = 'evt_w1') =>
  signedDelivery('appointment.created', { secret: SECRET, eventId });

describe('createWebHandler', () => {
  it('answers every conformance vector over HTTP as verify does', async () => {
    const handlers = VECTORS.map((vector) =>
      createWebHandler(new Webhooks({ secrets: vector.secrets, now: () => vector.now })),
    );
    const server = await serve((request) => {
      const handler = handlers[Number(request.headers.get('x-vector'))];
      return handler ? handler(request) : Promise.resolve(new Response(null, { status: 418 }));
    });
    try {
      await expectVectorsOverHttp(server.url);
    } finally {
      await server.close();
    }
  });

  it('handles a delivery once, asks for a retry with 503, refuses a tampered copy', async () => {
    const webhooks = new Webhooks({ secrets: SECRET });
    const staff: string[] = [];
    let first = true;
    webhooks.on('appointment.created', (event) => {
      if (first) {
        first = false;
        throw new RetryableError('later');
      }
      staff.push(String(event.record.staff.fullName));
    });
    const server = await serve(createWebHandler(webhooks, { path: '/hooks/isao' }));
    try {
      const sent = signed();
      const url = `${server.url}/hooks/isao`;
      expect((await post(url, sent.body, sent.headers)).status).toBe(503);
      expect((await post(url, sent.body, sent.headers)).body).toMatchObject({ handled: 1 });
      expect((await post(url, sent.body, sent.headers)).body).toMatchObject({ duplicates: 1 });
      expect(staff).toEqual(['Dr. Ana Jones']);
      const tampered = await post(url, sent.text.replace('Jon', 'Jan'), sent.headers);
      expect(tampered).toMatchObject({ status: 401, body: { problem: 'mismatch' } });
      expect(tampered.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(await post(`${server.url}/elsewhere`, sent.body, sent.headers)).toMatchObject({
        status: 404,
        body: { message: 'ISAO webhooks are received at /hooks/isao.' },
      });
      const get = await post(url, '', {}, 'GET');
      expect({ status: get.status, allow: get.headers.allow }).toEqual({
        status: 405,
        allow: 'POST',
      });
    } finally {
      await server.close();
    }
  });

  it('answers 413 past maxBodyBytes, declared or streamed, and 500 for a body already read', async () => {
    const handler = createWebHandler(new Webhooks({ secrets: SECRET }), { maxBodyBytes: 100 });
    const server = await serve(handler);
    try {
      const big = 'x'.repeat(5000);
      // the rest of the body is not read: the connection is closed after the answer
      expect(await post(server.url, big, {})).toMatchObject({
        status: 413,
        headers: { connection: 'close' },
        body: { ok: false, message: 'The webhook body is larger than 100 bytes (maxBodyBytes).' },
      });
      expect((await post(server.url, big, { 'Transfer-Encoding': 'chunked' })).status).toBe(413);
      // exactly maxBodyBytes is read
      const full = 'x'.repeat(100);
      expect((await post(server.url, full, { 'Transfer-Encoding': 'chunked' })).status).toBe(401);
    } finally {
      await server.close();
    }
    const request = new Request('http://127.0.0.1/', { method: 'POST', body: '{}' });
    await request.text();
    const answer = await handler(request);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      ok: false,
      problem: 'unread',
      message: USED,
    });
    // no body at all is an empty one
    const empty = await handler(new Request('http://127.0.0.1/', { method: 'POST' }));
    expect(await empty.json()).toMatchObject({ problem: 'missing' });
  });

  it('answers 500 unread, not 400 cut off, to a body that something before it took a reader of', async () => {
    const handler = createWebHandler(new Webhooks({ secrets: SECRET }));
    const made = () => new Request('http://127.0.0.1/', { method: 'POST', body: '{}' });
    // a reader taken and kept, nothing read: the body is locked but not used
    const locked = made();
    locked.body?.getReader();
    // a part read and the reader let go: the body is used but not locked
    const part = made();
    const reader = part.body?.getReader();
    await reader?.read();
    reader?.releaseLock();
    const answers = [await handler(locked), await handler(part)];
    expect(await Promise.all(answers.map((answer) => answer.json()))).toEqual([
      { ok: false, problem: 'unread', message: USED },
      { ok: false, problem: 'unread', message: USED },
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([500, 500]);
  });
});
