/**
 * Every way a call to ISAO can fail, as an error a Zap user can act on: one table from an answer's
 * status to the error's class, code and message (with what to do about it), and the reading of
 * the API's own words from an error body. callApi (api.ts) applies it to every answer with the
 * call's own policy (the statuses it handles itself, whether it is the connection test, the
 * permission it needs). Core has already turned a 429 into a ThrottledError (honouring
 * Retry-After) before any of this runs.
 */
import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { clip, isRecord, quote } from './inputs';

/** The permissions of an ISAO API key that the app's calls need. */
export type Permission = 'webhooks:read' | 'webhooks:write' | 'contacts:write';

/** What a call declares about itself, for the mapping of its answer. */
export interface CallPolicy {
  /** Statuses the caller handles itself (e.g. 404 on unsubscribe means "already gone"). */
  acceptStatuses?: readonly number[];
  /** The connection test: a 401 there is a plain error, not "reconnect your account". */
  authTest?: boolean;
  /** The permission the call needs, named when ISAO answers 403. */
  permission: Permission;
}

const MAX_DETAIL = 300;

/**
 * A short, single-line message; never the API key. Markup is stripped from bodies that are not
 * JSON (an HTML or XML error page); a JSON message is kept as the API wrote it
 * (`Contact "Jane <jane@example.com>" already exists`).
 */
export const sanitise = (text: string, secrets: readonly string[], stripMarkup = false): string => {
  let out = stripMarkup
    ? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')
    : text;
  out = out.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return clip(out, MAX_DETAIL);
};

const messageOf = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (isRecord(value)) {
    const field = typeof value.field === 'string' ? value.field : undefined;
    const text = messageOf(value.message) ?? messageOf(value.error) ?? messageOf(value.detail);
    if (text) return field && !text.includes(field) ? `${field}: ${text}` : text;
  }
  return undefined;
};

/**
 * The API's own words from an error body: `{message}`, `{error}`, `{error:{message}}`,
 * `{errors:[…]}` (strings or `{field, message}`) or `{success:false, …}`.
 */
export const apiErrorDetail = (body: unknown): string | undefined => {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!isRecord(body)) return undefined;
  const errors = Array.isArray(body.errors)
    ? body.errors.map(messageOf).filter((m): m is string => Boolean(m))
    : [];
  const main = messageOf(body.message) ?? messageOf(body.error) ?? messageOf(body.detail);
  if (errors.length > 0) return main ? `${main} (${errors.join('; ')})` : errors.join('; ');
  return main;
};

const looksLikeHtml = (content: string): boolean => /^\s*<(!doctype|html|head|body)/i.test(content);

export const parseBody = (response: HttpResponse): { json: boolean; value: unknown } => {
  const content = response.content;
  if (!content.trim()) return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(content) as unknown };
  } catch {
    return { json: false, value: content };
  }
};

const describe = (response: HttpResponse, secrets: readonly string[]): string => {
  // a body that starts like an HTML page is not JSON (JSON never starts with "<")
  if (looksLikeHtml(response.content))
    return 'the server answered with an HTML page instead of JSON';
  const body = parseBody(response);
  const detail = apiErrorDetail(body.value);
  return detail ? sanitise(detail, secrets, !body.json) : '';
};

/** What the table needs to word an error. */
interface Context {
  status: number;
  /** `: <the API's words>`, or '' when it gave none. */
  said: string;
  policy: CallPolicy;
  /** The path that was called. */
  path: string;
  host: string;
}

type Thrower = (z: ZObject, c: Context) => Error;

const error =
  (code: string, message: (c: Context) => string): Thrower =>
  (z, c) =>
    new z.errors.Error(message(c), code, c.status);

/** 409 and 422: ISAO already has it, or will not take it; nothing to do (a deliberate halt). */
const nothingToDo: Thrower = (z, c) =>
  new z.errors.HaltedError(
    `ISAO could not process the request (${String(c.status)})${c.said || ': no reason was given'}.`,
  );

/** The one table: an error status → the error a Zap user sees. */
const BY_STATUS: Readonly<Record<number, Thrower>> = {
  400: error(
    'bad_request',
    (c) =>
      `ISAO could not process the request (400 Bad Request)${c.said || ': no reason was given'}. Check the values this step sends.`,
  ),
  401: (z, c) => {
    const message = `ISAO rejected the API key (401 Unauthorized${c.said}). The key is invalid or has been revoked: create a new key in your ISAO dashboard and reconnect.`;
    return c.policy.authTest
      ? new z.errors.Error(message, 'invalid_api_key', 401)
      : new z.errors.ExpiredAuthError(message);
  },
  403: error(
    'missing_permission',
    (c) =>
      `ISAO refused this request (403 Forbidden${c.said}). The API key lacks the \`${c.policy.permission}\` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.`,
  ),
  404: error('not_found', (c) => `ISAO could not find ${quote(c.path)} (404 Not Found${c.said}).`),
  409: nothingToDo,
  422: nothingToDo,
};

const serverError = error(
  'api_error',
  (c) =>
    `The ISAO API had a problem (${String(c.status)})${c.said || ': no details were given'}. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.`,
);
const otherStatus = error('api_error', (c) => `ISAO answered ${String(c.status)}${c.said}.`);
const notJson = error(
  'invalid_response',
  (c) =>
    `The ISAO API at ${c.host} returned a response that is not JSON (status ${String(c.status)}${c.said}). Check that the API URL is right.`,
);
// not a deliberate drop: the run errors and the user is told (HaltedError would hide it)
const refused = error(
  'request_refused',
  (c) => `ISAO refused the request${c.said || ' without saying why'}.`,
);

/**
 * The error for an answer (undefined when it is a success the caller can use): an error status,
 * a 2xx that is not JSON (a DELETE's answer is not read: "OK" as text must not stop a user
 * switching a Zap off) or a 2xx saying `{success: false}`. `secrets` never appear in a message.
 */
export const errorFor = (
  z: ZObject,
  response: HttpResponse,
  policy: CallPolicy,
  request: { method: string; path: string; host: string },
  secrets: readonly string[],
): Error | undefined => {
  const { status } = response;
  if (policy.acceptStatuses?.includes(status)) return undefined;
  const context = (said: string): Context => ({ status, said, policy, ...request });
  if (status < 400) {
    const body = parseBody(response);
    if (!body.json && request.method !== 'DELETE') {
      return notJson(z, context(looksLikeHtml(response.content) ? ', an HTML page' : ''));
    }
    if (isRecord(body.value) && body.value.success === false) {
      const why = describe(response, secrets);
      return refused(z, context(why ? `: ${why}` : ''));
    }
    return undefined;
  }
  const detail = describe(response, secrets);
  const throwing = BY_STATUS[status] ?? (status >= 500 ? serverError : otherStatus);
  return throwing(z, context(detail ? `: ${detail}` : ''));
};

/** Milliseconds before a request gives up. */
export const REQUEST_TIMEOUT_MS = 25_000;

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_SOCKET: 'the connection was closed',
};

interface FetchLikeError {
  name?: string;
  type?: string;
  code?: string;
  errno?: string;
  message?: string;
}

/** A timeout or connection failure as a message naming the API host, or undefined. */
export const networkFailure = (
  error: unknown,
  host: string,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): string | undefined => {
  if (!isRecord(error)) return undefined;
  const e = error as FetchLikeError;
  if (e.type === 'request-timeout' || e.name === 'AbortError' || e.type === 'aborted') {
    return `The ISAO API at ${host} did not answer within ${timeoutMs / 1000} seconds.`;
  }
  const code = e.code ?? e.errno;
  if (e.name === 'FetchError' || (code && code in NETWORK_CODES)) {
    const why = (code && NETWORK_CODES[code]) ?? 'the request failed';
    return `Could not reach the ISAO API at ${host}: ${why}${code ? ` (${code})` : ''}.`;
  }
  return undefined;
};
