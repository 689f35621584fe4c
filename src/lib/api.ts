/**
 * The one request layer: every call to the ISAO API goes through `callApi`, which resolves the
 * base URL, and through the two middlewares below, which add the API key (only for the API host)
 * and turn every failure into an error a Zap user can act on.
 */
import type {
  AfterResponseMiddleware,
  BeforeRequestMiddleware,
  HttpRequestOptions,
  HttpResponse,
  ZObject,
} from 'zapier-platform-core';
import { clip, quote } from './inputs';

export const DEFAULT_API_URL = 'https://staging.isao.io/api/external';
export const REQUEST_TIMEOUT_MS = 25_000;
export const DOCS_URL = 'https://staging.isao.io/docs';
export const API_KEY_HELP = `Find or create your API key in your ISAO dashboard (Settings → API keys). The key needs the \`webhooks:read\` and \`webhooks:write\` permissions (plus \`contacts:write\` to create contacts). See [the ISAO API documentation](${DOCS_URL}).`;

/** Hosts that may be reached over plain http: this machine (the sandbox), never the internet. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Why `ISAO_API_URL` cannot be used (undefined when it can, or is unset): it must be an absolute
 * https URL; plain http is allowed for localhost and 127.0.0.1 only, where the sandbox runs.
 */
export const apiUrlProblem = (): string | undefined => {
  const raw = process.env.ISAO_API_URL?.trim();
  if (!raw) return undefined;
  const fix = `Set the app's ISAO_API_URL environment variable (zapier-platform env:set) to the ISAO API base URL, for example ${DEFAULT_API_URL}.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `ISAO_API_URL ${quote(raw)} is not a URL. ${fix}`;
  }
  if (url.username || url.password || url.search || url.hash) {
    return `ISAO_API_URL ${quote(raw)} must be a plain base URL, without credentials, query or fragment. ${fix}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname)) return undefined;
  return `ISAO_API_URL ${quote(raw)} must use https (plain http only for localhost or 127.0.0.1, where the ISAO sandbox runs). ${fix}`;
};

/** The API base URL, read at request time: `ISAO_API_URL` when set, else ISAO's documented URL. */
export const apiBaseUrl = (): string =>
  (process.env.ISAO_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');

export const apiUrl = (path: string): string => `${apiBaseUrl()}/${path.replace(/^\/+/, '')}`;

export const apiHost = (): string => {
  try {
    return new URL(apiBaseUrl()).host;
  } catch {
    return clip(apiBaseUrl());
  }
};

/**
 * True only for URLs on the API's origin (scheme, host and port) and under its base path, with a
 * usable ISAO_API_URL: the key goes nowhere else.
 */
export const isApiUrl = (url: string | undefined): boolean => {
  if (!url || apiUrlProblem()) return false;
  try {
    const target = new URL(url);
    const base = new URL(apiBaseUrl());
    if (target.origin !== base.origin) return false;
    const basePath = base.pathname.replace(/\/+$/, '');
    return target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
  } catch {
    return false;
  }
};

/** Request options the layer understands on top of core's. */
export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
  params?: Record<string, string | number>;
  /** Statuses the caller handles itself (e.g. 404 on unsubscribe means "already gone"). */
  acceptStatuses?: readonly number[];
  /** The connection test: a 401 is a plain error there, not "reconnect your account". */
  authTest?: boolean;
  /** Milliseconds before giving up; REQUEST_TIMEOUT_MS by default. */
  timeout?: number;
}

interface IsaoRequestFlags {
  isaoAcceptStatuses?: readonly number[];
  isaoAuthTest?: boolean;
}

type FlaggedRequest = HttpRequestOptions & IsaoRequestFlags;

/** Sets a header, replacing any spelling of the same name. */
const withHeader = (
  headers: Record<string, string>,
  name: string,
  value: string,
): Record<string, string> => ({
  ...Object.fromEntries(
    Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()),
  ),
  [name]: value,
});

/**
 * Characters a key cannot carry in an HTTP header (node throws a TypeError that quotes the whole
 * key): control characters such as a pasted line break or NUL, and anything beyond Latin-1 such
 * as a zero-width space.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NOT_IN_A_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

export const BAD_KEY_MESSAGE = `The API key contains a line break, a control character or an invisible character, so it cannot be sent. Copy the key again from your ISAO dashboard (Settings → API keys) and reconnect.`;

/**
 * beforeRequest: the API key and JSON headers, only for requests to the API. Redirects are not
 * followed by the HTTP client (it would carry the key to another port or subdomain): `callApi`
 * follows those that stay on the API's origin.
 */
export const addApiHeaders: BeforeRequestMiddleware = (request, z, bundle) => {
  if (!isApiUrl(request.url)) return request;
  let headers = withHeader(request.headers ?? {}, 'Accept', 'application/json');
  const apiKey = bundle.authData.api_key?.trim();
  if (apiKey && NOT_IN_A_HEADER.test(apiKey)) {
    // never quote the key: it would end up in Zap history
    if ((request as FlaggedRequest).isaoAuthTest) {
      throw new z.errors.Error(BAD_KEY_MESSAGE, 'invalid_api_key', 400);
    }
    throw new z.errors.ExpiredAuthError(BAD_KEY_MESSAGE);
  }
  if (apiKey) headers = withHeader(headers, 'Authorization', `Bearer ${apiKey}`);
  if (request.body !== undefined) headers = withHeader(headers, 'Content-Type', 'application/json');
  return {
    ...request,
    headers,
    redirect: 'manual',
    timeout: request.timeout ?? REQUEST_TIMEOUT_MS,
  };
};

const MAX_DETAIL = 300;

/**
 * A short, single-line message; never the API key. Markup is stripped from bodies that are not
 * JSON (an HTML or XML error page); a JSON message is kept as the API wrote it
 * (`Contact "Jane <jane@example.com>" already exists`).
 */
export const sanitise = (
  text: string,
  secrets: readonly string[] = [],
  stripMarkup = false,
): string => {
  let out = stripMarkup
    ? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')
    : text;
  out = out.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return clip(out, MAX_DETAIL);
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

const parseBody = (response: HttpResponse): { json: boolean; value: unknown } => {
  const content = response.content;
  if (!content.trim()) return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(content) as unknown };
  } catch {
    return { json: false, value: content };
  }
};

/** What permission a request needs, so a 403 can name it. */
const requiredPermission = (request: HttpRequestOptions): string => {
  const url = request.url ?? '';
  const reading = (request.method ?? 'GET') === 'GET';
  if (/\/contacts(\/|$|\?)/.test(url) && !reading) return 'contacts:write';
  if (/\/contacts(\/|$|\?)/.test(url)) return 'contacts:read';
  return reading ? 'webhooks:read' : 'webhooks:write';
};

const describe = (response: HttpResponse, secrets: readonly string[]): string => {
  const body = parseBody(response);
  if (!body.json && typeof body.value === 'string' && looksLikeHtml(body.value)) {
    return 'the server answered with an HTML page instead of JSON';
  }
  const detail = apiErrorDetail(body.value);
  return detail ? sanitise(detail, secrets, !body.json) : '';
};

/**
 * afterResponse: every failure from the API becomes an error that says what happened and what to
 * do. Core has already turned a 429 into a ThrottledError (honouring Retry-After) before this runs.
 */
export const mapApiErrors: AfterResponseMiddleware = (response, z, bundle) => {
  const request = response.request as FlaggedRequest;
  if (!isApiUrl(request.url)) return response;
  const { status } = response;
  const secrets = Object.values(bundle.authData).filter((v) => typeof v === 'string');
  if (request.isaoAcceptStatuses?.includes(status)) {
    return { ...response, skipThrowForStatus: true };
  }

  // a redirect is callApi's to follow or refuse
  if (status >= 300 && status < 400) return { ...response, skipThrowForStatus: true };
  if (status < 400) {
    const body = parseBody(response);
    // a DELETE's answer is not read: "OK" as text must not stop a user switching a Zap off
    if (!body.json && request.method !== 'DELETE') {
      throw new z.errors.Error(
        `The ISAO API at ${apiHost()} returned a response that is not JSON (status ${status}${
          looksLikeHtml(response.content) ? ', an HTML page' : ''
        }). Check that the API URL is right.`,
        'invalid_response',
        status,
      );
    }
    if (isRecord(body.value) && body.value.success === false) {
      const why = describe(response, secrets);
      // not a deliberate drop: the run errors and the user is told (HaltedError would hide it)
      const message = `ISAO refused the request${why ? `: ${why}` : ' without saying why'}.`;
      throw new z.errors.Error(message, 'request_refused', status);
    }
    return response;
  }

  const detail = describe(response, secrets);
  const said = detail ? `: ${detail}` : '';
  if (status === 401) {
    const message = `ISAO rejected the API key (401 Unauthorized${said}). The key is invalid or has been revoked: create a new key in your ISAO dashboard and reconnect.`;
    if (request.isaoAuthTest) throw new z.errors.Error(message, 'invalid_api_key', 401);
    throw new z.errors.ExpiredAuthError(message);
  }
  if (status === 403) {
    const permission = requiredPermission(request);
    throw new z.errors.Error(
      `ISAO refused this request (403 Forbidden${said}). The API key lacks the \`${permission}\` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.`,
      'missing_permission',
      403,
    );
  }
  if (status === 400) {
    throw new z.errors.Error(
      `ISAO could not process the request (400 Bad Request)${said || ': no reason was given'}. Check the values this step sends.`,
      'bad_request',
      400,
    );
  }
  // 409 and 422: ISAO already has it, or will not take it; nothing to do (a deliberate halt)
  if (status === 409 || status === 422) {
    throw new z.errors.HaltedError(
      `ISAO could not process the request (${status})${said || ': no reason was given'}.`,
    );
  }
  if (status === 404) {
    throw new z.errors.Error(
      `ISAO could not find ${new URL(request.url ?? apiBaseUrl()).pathname} (404 Not Found${said}).`,
      'not_found',
      404,
    );
  }
  if (status >= 500) {
    throw new z.errors.Error(
      `The ISAO API had a problem (${status})${said || ': no details were given'}. This is usually temporary: try again in a few minutes, and if it keeps failing, check ISAO's status.`,
      'api_error',
      status,
    );
  }
  throw new z.errors.Error(`ISAO answered ${status}${said}.`, 'api_error', status);
};

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
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): string | undefined => {
  if (!isRecord(error)) return undefined;
  const e = error as FetchLikeError;
  if (e.type === 'request-timeout' || e.name === 'AbortError' || e.type === 'aborted') {
    return `The ISAO API at ${apiHost()} did not answer within ${timeoutMs / 1000} seconds.`;
  }
  const code = e.code ?? e.errno;
  if (e.name === 'FetchError' || (code && code in NETWORK_CODES)) {
    const why = (code && NETWORK_CODES[code]) ?? 'the request failed';
    return `Could not reach the ISAO API at ${apiHost()}: ${why}${code ? ` (${code})` : ''}.`;
  }
  return undefined;
};

/** How many redirects on the API's origin a call follows. */
export const MAX_REDIRECTS = 5;

/** Where a redirect points, resolved against the URL that answered it. */
const redirectTarget = (response: HttpResponse, from: string): URL | undefined => {
  const location = response.getHeader('location');
  if (!location) return undefined;
  try {
    return new URL(location, from);
  } catch {
    return undefined;
  }
};

/**
 * The one way the app calls ISAO. Returns the parsed JSON body (undefined when empty). Redirects
 * are followed only while they stay on the API's origin and base path (a 303, or a 301/302 after
 * a POST, continues as a GET); one anywhere else is refused with an error naming its host, so
 * the API key never leaves the API's origin.
 */
export const callApi = async (
  z: ZObject,
  options: ApiRequestOptions,
): Promise<{ status: number; data: unknown }> => {
  const problem = apiUrlProblem();
  if (problem) throw new z.errors.Error(problem, 'invalid_api_url', 500);
  let url = apiUrl(options.path);
  let method = options.method ?? 'GET';
  let body = options.body;
  let params = options.params;
  for (let hop = 0; ; hop += 1) {
    const request: FlaggedRequest & { url: string } = {
      url,
      method,
      ...(body !== undefined ? { body } : {}),
      ...(params ? { params } : {}),
      ...(options.acceptStatuses ? { isaoAcceptStatuses: options.acceptStatuses } : {}),
      ...(options.authTest ? { isaoAuthTest: true } : {}),
      ...(options.timeout ? { timeout: options.timeout } : {}),
    };
    let response: HttpResponse;
    try {
      response = await z.request(request);
    } catch (error) {
      const failure = networkFailure(error, options.timeout);
      if (failure) throw new z.errors.Error(failure, 'network_error', 0);
      throw error;
    }
    const { status } = response;
    if (status < 300 || status >= 400) {
      return { status, data: parseBody(response).value };
    }
    const target = redirectTarget(response, url);
    if (!target) {
      throw new z.errors.Error(
        `The ISAO API at ${apiHost()} answered ${status} (a redirect) without a valid Location, so the request could not be completed. Check that the API URL is right.`,
        'invalid_response',
        status,
      );
    }
    if (!isApiUrl(target.href)) {
      const where = target.host === new URL(url).host ? target.pathname : target.host;
      throw new z.errors.Error(
        `The ISAO API at ${apiHost()} redirected the request to ${quote(where)}, outside the API's address; the API key is only ever sent to ${apiHost()}, so the redirect was not followed. If the ISAO API has moved, set ISAO_API_URL to its new address.`,
        'unsafe_redirect',
        status,
      );
    }
    if (hop >= MAX_REDIRECTS) {
      throw new z.errors.Error(
        `The ISAO API at ${apiHost()} redirected the request more than ${String(MAX_REDIRECTS)} times, so it was abandoned.`,
        'too_many_redirects',
        status,
      );
    }
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    url = target.href;
    params = undefined; // the Location carries its own query
  }
};

/**
 * ISAO wraps most answers as `{success, data}`; recent/sample lists come bare. An envelope is
 * never the answer itself: `{success: true}` without `data` carries nothing (undefined).
 */
export const unwrapData = (body: unknown): unknown => {
  if (!isRecord(body)) return body;
  if ('success' in body) return body.data;
  return 'data' in body && Object.keys(body).length <= 3 ? body.data : body;
};

export { isRecord };
