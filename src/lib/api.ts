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
import { apiUrlProblem, BAD_KEY_MESSAGE, DEFAULT_API_URL, NOT_IN_A_HEADER } from '../../core/api';
import { SUBSCRIPTION_SECRET_KEYS } from '../../core/subscriptions';

/**
 * Why `ISAO_API_URL` cannot be used (undefined when it can, or is unset): core/api.ts's rule,
 * named as the app's environment variable.
 */
export const configuredUrlProblem = (): string | undefined =>
  apiUrlProblem(process.env.ISAO_API_URL, {
    name: 'ISAO_API_URL',
    fix: `Set the app's ISAO_API_URL environment variable (zapier-platform env:set) to the ISAO API base URL, for example ${DEFAULT_API_URL}.`,
  });

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
  if (!url || configuredUrlProblem()) return false;
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
  const problem = configuredUrlProblem();
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
