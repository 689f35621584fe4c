/**
 * The one request layer: every call to the ISAO API goes through `callApi`, which checks the key
 * and the base URL, sends the request (the `addApiHeaders` middleware adds the key, only for the
 * API's origin), follows redirects that stay on it, and turns every failure into an error a Zap
 * user can act on (errors.ts) under the policy the caller declares.
 */
import type {
  BeforeRequestMiddleware,
  Bundle,
  HttpRequestOptions,
  HttpResponse,
  ZObject,
} from 'zapier-platform-core';
import { networkFailure, parseBody, REQUEST_TIMEOUT_MS, type CallPolicy } from '../../core/errors';
import { errorFor } from './errors';
import { clip, isRecord, quote, redact, text } from '../../core/inputs';

export const DEFAULT_API_URL = 'https://staging.isao.io/api/external';
export const DOCS_URL = 'https://staging.isao.io/docs';
export const API_KEY_HELP = `Find or create your API key in your ISAO dashboard (Settings → API keys). The key needs the \`webhooks:read\` and \`webhooks:write\` permissions (plus \`contacts:write\` to create contacts). See [the ISAO API documentation](${DOCS_URL}).`;

/** Hosts that may be reached over plain http: this machine (the sandbox), never the internet. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Why `ISAO_API_URL` cannot be used (undefined when it can, or is unset): it must be an absolute
 * https URL; plain http is allowed for this machine only (localhost, 127.0.0.1, [::1]), where the
 * sandbox runs.
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
  // `new URL` drops an empty query or fragment (`…/external?`, `…#`): the text itself is checked
  if (url.username || url.password || /[?#]/.test(raw)) {
    return `ISAO_API_URL ${quote(raw)} must be a plain base URL, without credentials, query or fragment. ${fix}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname)) return undefined;
  return `ISAO_API_URL ${quote(raw)} must use https (plain http only for this machine: localhost, 127.0.0.1 or [::1], where the ISAO sandbox runs). ${fix}`;
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
    // Stryker disable next-line Regex: apiBaseUrl dropped trailing slashes; only the root's remains
    const basePath = base.pathname.replace(/\/+$/, '');
    return target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
  } catch {
    return false;
  }
};

/** One call to ISAO: what to send, and its policy (errors.ts) for reading the answer. */
export interface ApiRequestOptions extends CallPolicy {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
  params?: Record<string, string | number>;
  /** Milliseconds before giving up; REQUEST_TIMEOUT_MS by default. */
  timeout?: number;
}

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

/** Where a subscribe answer may hold the subscription's secret; ISAO may send both. */
const SUBSCRIPTION_SECRET_KEYS = ['secret', 'signing_secret'];

/**
 * What no message may show: the connection's fields (the API key, the webhook signing secret) and
 * every secret this Zap's subscription was given (`secret` and `signing_secret`, not only the one
 * signatures are checked with), which an unsubscribe's answer could repeat.
 */
export const secretsOf = (bundle: Bundle): unknown[] => {
  const subscribed: unknown = bundle.subscribeData;
  const own = SUBSCRIPTION_SECRET_KEYS.map((key) =>
    isRecord(subscribed) ? subscribed[key] : undefined,
  );
  return [...Object.values(bundle.authData), ...own];
};

/** The connection's API key, trimmed; undefined when blank. */
const apiKeyOf = (bundle: Bundle): string | undefined => text(bundle.authData.api_key);

/**
 * beforeRequest: the API key and JSON headers, only for requests to the API. Redirects are not
 * followed by the HTTP client (it would carry the key to another port or subdomain): `callApi`
 * follows those that stay on the API's origin. A key that cannot be a header value is never
 * set (callApi has refused the call before it got here).
 */
export const addApiHeaders: BeforeRequestMiddleware = (request, _z, bundle) => {
  if (!isApiUrl(request.url)) return request;
  let headers = withHeader(request.headers ?? {}, 'Accept', 'application/json');
  const apiKey = apiKeyOf(bundle);
  if (apiKey && !NOT_IN_A_HEADER.test(apiKey)) {
    headers = withHeader(headers, 'Authorization', `Bearer ${apiKey}`);
  }
  if (request.body !== undefined) headers = withHeader(headers, 'Content-Type', 'application/json');
  return {
    ...request,
    headers,
    redirect: 'manual',
    timeout: request.timeout ?? REQUEST_TIMEOUT_MS,
  };
};

/**
 * A request as callApi sends it: the JSON body already serialised, the query already in the URL,
 * and without core's merge (`merge: false`, honoured by core's prepare-request though its types
 * omit it). Otherwise core would refuse any `{{bundle.…}}` or `{{process.…}}` in what the user
 * typed, with an error quoting the whole value, or strip `{{…}}` from a top-level body field or a
 * query parameter. This way ISAO gets the values as written, and nothing of the bundle or the
 * environment is ever substituted into them. Core's User-Agent, which the merge would have
 * added, is set by the request itself.
 */
type PreparedRequest = HttpRequestOptions & { url: string; merge: false; body?: string };

/** The URL with the call's query parameters (none: the URL as it is). */
const withQuery = (url: string, params: ApiRequestOptions['params']): string => {
  const query = new URLSearchParams(
    Object.entries(params ?? {}).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  return query ? `${url}?${query}` : url;
};

/** How many redirects on the API's origin a call follows. */
export const MAX_REDIRECTS = 5;

/** Where a redirect points, resolved against the URL that answered it. */
const redirectTarget = (response: HttpResponse, from: string): URL | undefined => {
  const location = response.getHeader('location');
  return (location && URL.parse(location, from)) || undefined;
};

/**
 * The one way the app calls ISAO. Returns the parsed JSON body (undefined when empty). Redirects
 * are followed only while they stay on the API's origin and base path (a 303, or a 301/302 after
 * a POST, continues as a GET); one anywhere else is refused with an error naming its host, so
 * the API key never leaves the API's origin.
 */
export const callApi = async (
  z: ZObject,
  bundle: Bundle,
  options: ApiRequestOptions,
): Promise<{ status: number; data: unknown }> => {
  const apiKey = apiKeyOf(bundle);
  if (apiKey && NOT_IN_A_HEADER.test(apiKey)) {
    // never quote the key: it would end up in Zap history
    if (options.authTest) throw new z.errors.Error(BAD_KEY_MESSAGE, 'invalid_api_key', 400);
    throw new z.errors.ExpiredAuthError(BAD_KEY_MESSAGE);
  }
  const problem = apiUrlProblem();
  if (problem) throw new z.errors.Error(problem, 'invalid_api_url', 500);
  const secrets = secretsOf(bundle);
  // the call's query is part of the first URL only: a redirect's Location carries its own
  let url = withQuery(apiUrl(options.path), options.params);
  // Stryker disable next-line StringLiteral: core sends a request without a method as a GET
  let method = options.method ?? 'GET';
  let body = options.body;
  for (let hop = 0; ; hop += 1) {
    let response: HttpResponse;
    try {
      const request: PreparedRequest = {
        url,
        method,
        // Stryker disable next-line ConditionalExpression: core sends no body for an undefined one
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(options.timeout ? { timeout: options.timeout } : {}),
        // errors.ts reads every answer; core still turns a 429 into a ThrottledError first
        skipThrowForStatus: true,
        merge: false,
        headers: { 'User-Agent': 'Zapier' },
      };
      response = await z.request(request);
    } catch (error) {
      const failure = networkFailure(error, apiHost(), options.timeout);
      if (failure) throw new z.errors.Error(failure, 'network_error', 0);
      throw error;
    }
    const { status } = response;
    if (status < 300 || status >= 400) {
      const where = { method, path: new URL(url).pathname, host: apiHost() };
      const error = errorFor(z, response, options, where, secrets);
      if (error) throw error;
      return { status, data: parseBody(response.content).value };
    }
    const target = redirectTarget(response, url);
    if (!target) {
      throw new z.errors.Error(
        `The ISAO API at ${apiHost()} answered ${String(status)} (a redirect) without a valid Location, so the request could not be completed. Check that the API URL is right.`,
        'invalid_response',
        status,
      );
    }
    if (!isApiUrl(target.href)) {
      const from = new URL(url);
      // another host: its name; the same host on another scheme or port: the origin; else the path
      const where =
        target.host !== from.host
          ? target.host
          : target.origin !== from.origin
            ? target.origin
            : target.pathname;
      throw new z.errors.Error(
        `The ISAO API at ${apiHost()} redirected the request to ${quote(redact(where, secrets))}, outside the API's address; the API key is only ever sent to ${apiHost()}, so the redirect was not followed. If the ISAO API has moved, set ISAO_API_URL to its new address.`,
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
      // Stryker disable next-line StringLiteral: core sends a request without a method as a GET
      method = 'GET';
      body = undefined;
    }
    url = target.href;
  }
};

/**
 * What an envelope carries besides its payload (`data`, `items`, `results`): status, message,
 * pagination. A body whose every other key is one of these is an envelope, not a record.
 */
const ENVELOPE_KEYS = new Set([
  'success',
  'status',
  'message',
  'meta',
  'links',
  'total',
  'count',
  'page',
  'pagination',
]);

/** Whether `body` holds `key` and nothing else but envelope keys. */
const envelopeOf = (body: Record<string, unknown>, key: string): boolean =>
  key in body && Object.keys(body).every((k) => k === key || ENVELOPE_KEYS.has(k));

/**
 * ISAO wraps most answers as `{success, data}`; others come as `{data, meta, links, total}`, and
 * recent/sample lists bare. An envelope is never the answer itself: `{success: true}` without
 * `data` carries nothing (undefined); a record that has a `data` field beside its own is a record.
 */
export const unwrapData = (body: unknown): unknown => {
  if (!isRecord(body)) return body;
  if ('success' in body) return body.data;
  return envelopeOf(body, 'data') ? body.data : body;
};

/** Where a list answer may hold its items, once unwrapped: `{items}`, `{results}`, `{data}`. */
const LIST_KEYS = ['items', 'results', 'data'];

/**
 * What an unwrapped answer holds as its list: itself, or the first of items/results/data that is
 * a list in an object without an `id` (an envelope: `{data: […], meta}`, and pagination this app
 * does not know, as in `{results, count, next, previous}`, Laravel's `{data, current_page,
 * per_page, …}` or `{items, next_cursor}`). An object with an `id` is a record, whatever it holds.
 */
const listIn = (data: unknown): unknown => {
  if (!isRecord(data)) return data;
  if ('id' in data) return undefined;
  return LIST_KEYS.map((k) => data[k]).find((value) => Array.isArray(value));
};

/**
 * The items of a list answer: a bare list, or a list in an envelope (`{data: […], meta}`,
 * `{success, data: {items: […], total}}`, `{results: […]}`); undefined when the answer is no list.
 */
export const unwrapList = (body: unknown): unknown[] | undefined => {
  const items = listIn(unwrapData(body));
  const list: unknown[] | undefined = Array.isArray(items) ? items : undefined;
  return list;
};
