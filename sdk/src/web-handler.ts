/**
 * The receiver as a fetch handler, `(request: Request) => Promise<Response>`: for Hono, Next.js
 * route handlers, Workers, Deno and Bun, and Node 22's own Request and Response.
 */
import { answerDelivery, answerText, JSON_TYPE, type HttpAnswer, type HttpOptions } from './http';
import { concatBytes } from './bytes';
import type { Receiver } from './receiver';

/** The stream's bytes; undefined once they pass `max` (reading stops there). */
const readUpTo = async (
  stream: ReadableStream<Uint8Array>,
  max: number,
): Promise<Uint8Array | undefined> => {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.length;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    parts.push(read.value);
  }
  return concatBytes(parts);
};

const USED: HttpAnswer = {
  status: 500,
  body: {
    ok: false,
    problem: 'unread',
    message:
      "The webhook request's body was already read, or taken for reading, before this handler: pass the request as received.",
  },
};

/** A fetch handler answering ISAO's deliveries (see Receiver.receive for the statuses). */
export const createWebHandler =
  (webhooks: Receiver, options: HttpOptions = {}) =>
  async (request: Request): Promise<Response> => {
    const answer = await answerDelivery(
      webhooks,
      {
        path: new URL(request.url).pathname,
        method: request.method,
        length: request.headers.get('content-length'),
        headers: request.headers,
        read: async (max) => {
          // a body read, or locked by a reader taken before this handler, is a setup mistake
          if (request.bodyUsed || request.body?.locked) return USED;
          return request.body ? readUpTo(request.body, max) : new Uint8Array();
        },
      },
      options,
    );
    return new Response(answerText(answer), {
      status: answer.status,
      headers: { 'Content-Type': JSON_TYPE, ...answer.headers },
    });
  };
