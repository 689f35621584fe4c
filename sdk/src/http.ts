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

export const notFound = (path: string): HttpAnswer => ({
  status: 404,
  body: { ok: false, message: `ISAO webhooks are received at ${path}.` },
});

export const METHOD_NOT_ALLOWED: HttpAnswer = {
  status: 405,
  body: { ok: false, message: 'ISAO delivers webhooks with POST.' },
  headers: { Allow: 'POST' },
};

export const tooLarge = (max: number): HttpAnswer => ({
  status: 413,
  body: {
    ok: false,
    message: `The webhook body is larger than ${String(max)} bytes (maxBodyBytes).`,
  },
  headers: { Connection: 'close' },
});

export const JSON_TYPE = 'application/json; charset=utf-8';

/** Whether a request's path (no query) is `path`, or any when none is set. */
export const onPath = (url: string, path: string | undefined): boolean =>
  path === undefined || url.split('?')[0] === path;

/** Whether a declared Content-Length is past the limit. */
export const declaredTooLarge = (length: string | null | undefined, max: number): boolean =>
  Number(length ?? 0) > max;
