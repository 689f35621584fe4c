/**
 * What the node:http middleware and the web handler share: the answer's JSON, the body size
 * limit, and the answers they give themselves (a wrong path, method or size).
 */
import type { Answer } from './receiver';

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
