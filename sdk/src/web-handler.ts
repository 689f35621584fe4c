/**
 * The receiver as a fetch handler, `(request: Request) => Promise<Response>`: for Hono, Next.js
 * route handlers, Workers, Deno and Bun, and Node 22's own Request and Response.
 */
import {
  beforeBody,
  DEFAULT_MAX_BODY_BYTES,
  JSON_TYPE,
  tooLarge,
  type HttpAnswer,
  type HttpOptions,
} from './http';
import { concatBytes } from './bytes';
import type { Receiver } from './receiver';

const respond = ({ status, body, headers }: HttpAnswer): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': JSON_TYPE, ...headers },
  });

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

/** A fetch handler answering ISAO's deliveries (see Receiver.receive for the statuses). */
export const createWebHandler =
  (webhooks: Receiver, options: HttpOptions = {}) =>
  async (request: Request): Promise<Response> => {
    const { pathname: path } = new URL(request.url);
    const length = request.headers.get('content-length');
    const early = beforeBody({ path, method: request.method, length }, options);
    if (early) return respond(early);
    if (request.bodyUsed) {
      return respond({
        status: 500,
        body: {
          ok: false,
          problem: 'unread',
          message:
            "The webhook request's body was already read before this handler: pass the request as received.",
        },
      });
    }
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const body = request.body ? await readUpTo(request.body, max) : new Uint8Array();
    if (body === undefined) return respond(tooLarge(max));
    return respond(await webhooks.receive(body, request.headers));
  };
