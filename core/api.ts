/**
 * What every platform's request layer knows of ISAO's API: its documented URL, which base URLs
 * may carry the key, which keys can be sent at all, and how answers wrap their data and lists.
 */
import type { CallPolicy } from './errors';
import { isRecord, QUOTE_MAX, REDACTED, shown } from './inputs';

export const DEFAULT_API_URL = 'https://staging.isao.io/api/external';
export const DOCS_URL = 'https://staging.isao.io/docs';
export const API_KEY_HELP = `Find or create your API key in your ISAO dashboard (Settings → API keys). The key needs the \`webhooks:read\` and \`webhooks:write\` permissions (plus \`contacts:write\` to create contacts). See [the ISAO API documentation](${DOCS_URL}).`;

/** Hosts that may be reached over plain http: this machine (the sandbox), never the internet. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Where a base URL is set, for a message about it: the setting's name and how to change it. */
export interface UrlSetting {
  name: string;
  fix: string;
}

/**
 * A base URL as a message about it quotes it: its scheme and host, and only the shape of the
 * rest: `[redacted]@` for a user name or password, `/…` for a path, `?[redacted]` and
 * `#[redacted]` for a query and a fragment (an empty `?` or `#` as it is, since that is what is
 * wrong). Any of those may hold the API key or another token the user pasted, whatever the
 * parameter's name or the encoding; a token in a path cannot be told from a path, and none of
 * them is needed to see what is wrong. What is left goes through the one redaction (`shown`),
 * for a secret the caller knows typed as the host.
 */
const quotedBaseUrl = (url: URL, raw: string, secrets: readonly unknown[]): string => {
  // `new URL` drops an empty query or fragment: the text itself tells they are there (a `?`
  // before any `#`, a `#`)
  const parts = [
    url.protocol,
    url.host ? '//' : '',
    url.username || url.password ? `${REDACTED}@` : '',
    url.host,
    ['', '/'].includes(url.pathname) ? '' : '/…',
    /^[^#]*\?/.test(raw) ? (url.search ? `?${REDACTED}` : '?') : '',
    raw.includes('#') ? (url.hash ? `#${REDACTED}` : '#') : '',
  ];
  return `"${shown(parts.join(''), QUOTE_MAX, secrets)}"`;
};

/**
 * Why a base URL cannot be used (undefined when it can, or is unset): it must be an absolute
 * https URL; plain http is allowed for this machine only (localhost, 127.0.0.1, [::1]), where the
 * sandbox runs. The message quotes the URL without anything that may be a secret
 * (`quotedBaseUrl`), and text that is no URL not at all: it may be the key, pasted into the wrong
 * field. `secrets`: what the caller knows no message may show (the key), redacted from the rest.
 */
export const apiUrlProblem = (
  value: string | undefined,
  { name, fix }: UrlSetting,
  // Stryker disable next-line ArrayDeclaration: no secret by default; one that no message holds changes nothing
  secrets: readonly unknown[] = [],
): string | undefined => {
  const raw = value?.trim();
  if (!raw) return undefined;
  const url = URL.parse(raw);
  if (!url) return `${name} is not a URL. ${fix}`;
  // `new URL` drops an empty query or fragment (`…/external?`, `…#`): the text itself is checked
  if (url.username || url.password || /[?#]/.test(raw)) {
    return `${name} ${quotedBaseUrl(url, raw, secrets)} must be a plain base URL, without credentials, query or fragment. ${fix}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname)) return undefined;
  return `${name} ${quotedBaseUrl(url, raw, secrets)} must use https (plain http only for this machine: localhost, 127.0.0.1 or [::1], where the ISAO sandbox runs). ${fix}`;
};

/**
 * Characters a key cannot carry in an HTTP header (node throws a TypeError that quotes the whole
 * key): control characters such as a pasted line break or NUL, and anything beyond Latin-1 such
 * as a zero-width space.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
export const NOT_IN_A_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

export const BAD_KEY_MESSAGE = `The API key contains a line break, a control character or an invisible character, so it cannot be sent. Copy the key again from your ISAO dashboard (Settings → API keys) and reconnect.`;

/** Why the key cannot be sent (undefined when it can). */
export const keyProblem = (key: string): string | undefined =>
  NOT_IN_A_HEADER.test(key) ? BAD_KEY_MESSAGE : undefined;

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

/**
 * One call to ISAO as every platform makes it: method, path under the base URL, JSON body, and
 * its policy (the permission it needs, the statuses it handles itself). Each platform's request
 * layer sends it; the calls themselves are defined once, beside what reads their answers.
 */
export interface IsaoCall extends CallPolicy {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
}
