/**
 * The receiver as a fetch handler, `(request: Request) => Promise<Response>`: for Hono, Next.js
 * route handlers, Workers, Deno and Bun, and Node 22's own Request and Response.
 */
import {
  DEFAULT_MAX_BODY_BYTES,
  declaredTooLarge,
  JSON_TYPE,
  METHOD_NOT_ALLOWED,
  notFound,
  onPath,
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
  (webhooks: Receiver, { path, maxBodyBytes = DEFAULT_MAX_BODY_BYTES }: HttpOptions = {}) =>
  async (request: Request): Promise<Response> => {
    if (!onPath(new URL(request.url).pathname, path)) return respond(notFound(path ?? '/'));
    if (request.method !== 'POST') return respond(METHOD_NOT_ALLOWED);
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
    if (declaredTooLarge(request.headers.get('content-length'), maxBodyBytes)) {
      return respond(tooLarge(maxBodyBytes));
    }
    const body = request.body ? await readUpTo(request.body, maxBodyBytes) : new Uint8Array();
    if (body === undefined) return respond(tooLarge(maxBodyBytes));
    return respond(await webhooks.receive(body, request.headers));
  };
