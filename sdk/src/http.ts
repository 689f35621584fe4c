/**
 * The one pipeline every adapter runs (node:http and Express, Koa, Fastify, the fetch handler):
 * the answers an adapter gives itself (a wrong path, method or size), the body's bytes read the
 * adapter's way, then the receiver; and the answer's JSON.
 */
import type { Answer, Receiver } from './receiver';
import type { HeaderSource, RawBody } from './request';

/** The largest body read by default: 5 MiB, far above a batch of ISAO events. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface HttpOptions {
  /** Handle only requests to this path (the URL's path, no query); default: every request. */
  path?: string;
  /** The largest body read, in bytes (default 5 MiB); a larger one is answered 413. */
  maxBodyBytes?: number;
}

/** An answer of the adapter's own, with the headers it needs. */
export interface HttpAnswer {
  status: number;
  body: Answer['body'];
  headers?: Record<string, string>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export const NOT_FOUND = 404;

/** A request as an adapter first sees it: its URL's path, its method, its declared length. */
export interface RequestStart {
  path: string;
  method: string | undefined;
  length: string | null | undefined;
}

/**
 * What an adapter answers before it reads a body: 404 for another path than `path` (the node
 * middleware passes it to `next` instead), 405 for another method than POST, 413 for a body
 * declared larger than `maxBodyBytes`; undefined when the body is to be read.
 */
export const beforeBody = (
  { path: requested, method, length }: RequestStart,
  { path, maxBodyBytes = DEFAULT_MAX_BODY_BYTES }: HttpOptions,
): HttpAnswer | undefined => {
  if (path !== undefined && requested.split('?')[0] !== path) {
    return {
      status: NOT_FOUND,
      body: { ok: false, message: `ISAO webhooks are received at ${path}.` },
    };
  }
  if (method !== 'POST') {
    return {
      status: 405,
      body: { ok: false, message: 'ISAO delivers webhooks with POST.' },
      headers: { Allow: 'POST' },
    };
  }
  return Number(length ?? 0) > maxBodyBytes ? tooLarge(maxBodyBytes) : undefined;
};

export const tooLarge = (max: number): HttpAnswer => ({
  status: 413,
  body: {
    ok: false,
    message: `The webhook body is larger than ${String(max)} bytes (maxBodyBytes).`,
  },
  headers: { Connection: 'close' },
});

/** A request as an adapter hands it to the pipeline. */
export interface IncomingDelivery extends RequestStart {
  headers: HeaderSource;
  /**
   * The body's bytes, read the adapter's way: undefined once they pass `max`, or the answer
   * when there are none to read (a body a framework parsed). A rejection is a request cut off.
   */
  read: (max: number) => Promise<RawBody | HttpAnswer | undefined>;
}

/** The answer to a request cut off before its body ended (a rejected `read` gets it too). */
export const CUT_OFF: HttpAnswer = {
  status: 400,
  body: { ok: false, message: 'The webhook request was cut off before its body ended.' },
};

/** What to answer a request: the adapter's own answer (see beforeBody), or the receiver's. */
export const answerDelivery = async (
  webhooks: Receiver,
  delivery: IncomingDelivery,
  options: HttpOptions,
): Promise<HttpAnswer> => {
  const early = beforeBody(delivery, options);
  if (early) return early;
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let body: RawBody | HttpAnswer | undefined;
  try {
    body = await delivery.read(max);
  } catch {
    return CUT_OFF;
  }
  if (body === undefined) return tooLarge(max);
  if (typeof body === 'object' && 'status' in body) return body;
  return webhooks.receive(body, delivery.headers);
};

/** The answer's body as sent: JSON. */
export const answerText = ({ body }: HttpAnswer): string => JSON.stringify(body);
