/**
 * Every way a call to ISAO can fail, as a failure a user can act on: one table from an answer's
 * status to the failure's kind, code and message (with what to do about it), and the reading of
 * the API's own words from an error body. Each platform's request layer applies it to every
 * answer with the call's own policy (the statuses it handles itself, whether it is the connection
 * test, the permission it needs) and raises the failure as its platform's error: Zapier's
 * (src/lib/errors.ts), n8n's (n8n/). A 429 is each platform's own (Zapier's core turns it into a
 * ThrottledError honouring Retry-After before any of this runs).
 */
import { clip, isRecord, quote, QUOTE_MAX, redact, shown, text } from './inputs';

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

/** How many characters of the API's own words a message passes on. */
export const MAX_DETAIL = 300;

/**
 * How much of an answer's text is examined for its message and markup. Bounded before any regular
 * expression runs, so a hostile body (a megabyte of `<`) costs a linear pass, not minutes.
 */
export const MAX_EXAMINED = 4096;

/** An HTML or XML page's text: scripts and styles with their content, then every tag, removed. */
const withoutMarkup = (text: string): string =>
  text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');

/**
 * A short, single-line message; never a secret. Redacted first (over the whole text, so a secret
 * straddling a cut is still caught), then bounded: only MAX_EXAMINED characters are read, and the
 * result is cut to MAX_DETAIL. Markup is stripped from bodies that are not JSON (an HTML or XML
 * error page); a JSON message is kept as the API wrote it
 * (`Contact "Jane <jane@example.com>" already exists`).
 */
export const sanitise = (
  text: string,
  secrets: readonly unknown[],
  stripMarkup = false,
): string => {
  const examined = redact(text, secrets).slice(0, MAX_EXAMINED);
  return shown(stripMarkup ? withoutMarkup(examined) : examined, MAX_DETAIL, secrets).trim();
};

/** Where an error item names the field it is about (`loc` and `path` may be lists: the last part). */
const FIELD_KEYS = ['field', 'param', 'path', 'loc', 'property'] as const;

const fieldOf = (item: Record<string, unknown>): string | undefined =>
  FIELD_KEYS.map((key) => {
    const value = item[key];
    const name: unknown = Array.isArray(value) ? value.at(-1) : value;
    return typeof name === 'string' ? text(name) : undefined;
  }).find((name) => name !== undefined);

const messageOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return text(value);
  if (isRecord(value)) {
    const field = typeof value.field === 'string' ? value.field : undefined;
    const said =
      messageOf(value.message) ??
      messageOf(value.msg) ??
      messageOf(value.error) ??
      messageOf(value.detail);
    if (said) return field && !said.includes(field) ? `${field}: ${said}` : said;
  }
  return undefined;
};

/** One thing the API says is wrong, and the field it is about when it names one. */
interface Problem {
  field?: string;
  said: string;
}

const problemOf = (item: unknown, field?: string): Problem | undefined => {
  const said = messageOf(item);
  if (said === undefined) return undefined;
  const named = isRecord(item) ? (fieldOf(item) ?? field) : field;
  return { field: named, said: named && !said.includes(named) ? `${named}: ${said}` : said };
};

/** The items of an error list: `[msg | {field, message}]`; anything that is no list gives none. */
const problemsIn = (list: unknown): Problem[] =>
  Array.isArray(list)
    ? list.map((item) => problemOf(item)).filter((item) => item !== undefined)
    : [];

/**
 * What an `errors` key holds: a list (`problemsIn`), or a map from each field to its message(s),
 * as in `{email: ['is invalid']}`. Only `errors` is read as such a map: a `details` map is
 * context (`{request_id: 'r1'}`), and reading it would name a field the user never set.
 */
const errorsIn = (errors: unknown): Problem[] =>
  isRecord(errors)
    ? Object.entries(errors)
        .flatMap(([field, said]) =>
          (Array.isArray(said) ? said : [said]).map((item) => problemOf(item, text(field))),
        )
        .filter((item) => item !== undefined)
    : problemsIn(errors);

/** Field errors wherever common APIs put them: `errors`, `details`, under `error`, or a `detail` list. */
const problemsOf = (body: Record<string, unknown>): Problem[] => {
  const nested = isRecord(body.error) ? body.error : {};
  return [
    ...errorsIn(body.errors),
    ...problemsIn(body.details),
    ...errorsIn(nested.errors),
    ...problemsIn(nested.details),
    ...problemsIn(body.detail),
  ];
};

/**
 * The API's own words from an error body: `{message}`, `{error}`, `{error:{message}}`,
 * `{errors:[…]}` (strings or `{field, message}`), `{errors:{field:[…]}}` or `{success:false, …}`.
 */
export const apiErrorDetail = (body: unknown): string | undefined => {
  if (typeof body === 'string') return text(body);
  if (!isRecord(body)) return undefined;
  const errors = problemsOf(body).map((problem) => problem.said);
  const main = messageOf(body.message) ?? messageOf(body.error) ?? messageOf(body.detail);
  if (errors.length > 0) return main ? `${main} (${errors.join('; ')})` : errors.join('; ');
  return main;
};

/** The fields an error body says are wrong, each once, in the API's order. */
export const apiErrorFields = (body: unknown): string[] => {
  if (!isRecord(body)) return [];
  const fields = problemsOf(body).flatMap((problem) => (problem.field ? [problem.field] : []));
  return [...new Set(fields)];
};

/** Anchored at the start, so linear however long the body (unlike the markup stripping). */
const looksLikeHtml = (content: string): boolean => /^\s*<(!doctype|html|head|body)/i.test(content);

/** An HTTP answer, as far as the wording of its failure needs it. */
export interface Answer {
  status: number;
  /** The body as text. */
  content: string;
}

export const parseBody = (content: string): { json: boolean; value: unknown } => {
  if (!content.trim()) return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(content) as unknown };
  } catch {
    return { json: false, value: content };
  }
};

/** What an answer says: `: <the API's words>` ('' when it gave none), and the fields it names. */
interface Said {
  said: string;
  /** The fields it says are wrong (redacted, bounded); none for an answer that is no error body. */
  fields?: readonly string[];
}

const readAnswer = (response: Answer, secrets: readonly unknown[]): Said => {
  // a body that starts like an HTML page is not JSON (JSON never starts with "<")
  if (looksLikeHtml(response.content))
    return { said: ': the server answered with an HTML page instead of JSON' };
  const body = parseBody(response.content);
  const detail = apiErrorDetail(body.value);
  const words = detail && sanitise(detail, secrets, !body.json);
  return {
    said: words ? `: ${words}` : '',
    fields: apiErrorFields(body.value).map((field) => shown(field, QUOTE_MAX, secrets)),
  };
};

/** What the table needs to word an error. */
interface Context extends Said {
  status: number;
  policy: CallPolicy;
  /** The path that was called (after a redirect, the server's). */
  path: string;
  host: string;
  /** What no message may show. */
  secrets: readonly unknown[];
}

/**
 * A call that failed, as every platform raises it: `error` marks the run failed and tells the
 * user; `reauth` asks them to reconnect the account; `halt` is a deliberate stop (ISAO already has
 * what was sent). `code` is a stable machine name; `status` the HTTP status.
 */
export interface Failure {
  kind: 'error' | 'reauth' | 'halt';
  code: string;
  status: number;
  message: string;
}

type Wording = (c: Context) => Failure;

const error =
  (code: string, message: (c: Context) => string): Wording =>
  (c) => ({ kind: 'error', code, status: c.status, message: message(c) });

/** 409: ISAO already has it; nothing to do (a deliberate halt, the only one of the table). */
const nothingToDo: Wording = (c) => ({
  kind: 'halt',
  code: 'conflict',
  status: c.status,
  message: `ISAO could not process the request (${String(c.status)})${c.said || ': no reason was given'}.`,
});

/** What to do about refused values: fix the fields ISAO named (bounded), or check them all. */
const fixFor = (fields: readonly string[]): string =>
  fields.length > 0
    ? `Fix ${fields.length > 1 ? 'the fields' : 'the field'} ISAO named (${clip(fields.join(', '))}) and run the step again.`
    : 'Check the values this step sends.';

/**
 * A 422, or a 400 naming fields: ISAO would not take the values sent. The user must fix them, so
 * it is an error (the run is marked errored and the user notified), never a halt, and it names
 * the fields ISAO named.
 */
/** The reason phrases of the statuses whose messages name them. */
const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  422: 'Unprocessable Entity',
};

const refusedValues = error(
  'invalid_input',
  (c) =>
    `ISAO refused the values this step sent (${String(c.status)} ${String(REASON[c.status])})${c.said || ': no reason was given'}. ${fixFor(c.fields ?? [])}`,
);

const badRequest = error(
  'bad_request',
  (c) =>
    `ISAO could not process the request (400 Bad Request)${c.said || ': no reason was given'}. Check the values this step sends.`,
);

/** The one table: an error status → the error a Zap user sees. */
const BY_STATUS: Readonly<Record<number, Wording>> = {
  400: (c) => (c.fields?.length ? refusedValues : badRequest)(c),
  401: (c) => ({
    kind: c.policy.authTest ? 'error' : 'reauth',
    code: 'invalid_api_key',
    status: 401,
    message: `ISAO rejected the API key (401 Unauthorized${c.said}). The key is invalid or has been revoked: create a new key in your ISAO dashboard and reconnect.`,
  }),
  403: error(
    'missing_permission',
    (c) =>
      `ISAO refused this request (403 Forbidden${c.said}). The API key lacks the \`${c.policy.permission}\` permission: give the key that permission in your ISAO dashboard, or connect a key that has it.`,
  ),
  404: error(
    'not_found',
    (c) => `ISAO could not find ${quote(redact(c.path, c.secrets))} (404 Not Found${c.said}).`,
  ),
  409: nothingToDo,
  422: refusedValues,
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
 * The failure of an answer (undefined when it is a success the caller can use): an error status,
 * a 2xx that is not JSON (a DELETE's answer is not read: "OK" as text must not stop a user
 * switching a Zap off) or a 2xx saying `{success: false}`. `secrets` never appear in a message.
 */
export const failureFor = (
  response: Answer,
  policy: CallPolicy,
  request: { method: string; path: string; host: string },
  secrets: readonly unknown[],
): Failure | undefined => {
  const { status } = response;
  if (policy.acceptStatuses?.includes(status)) return undefined;
  const context = ({ said, fields }: Said): Context => ({
    status,
    said,
    fields,
    policy,
    secrets,
    ...request,
  });
  if (status < 400) {
    const body = parseBody(response.content);
    if (!body.json && request.method !== 'DELETE') {
      const said = looksLikeHtml(response.content) ? ', an HTML page' : '';
      return notJson(context({ said }));
    }
    if (isRecord(body.value) && body.value.success === false) {
      return refused(context(readAnswer(response, secrets)));
    }
    return undefined;
  }
  const wording = BY_STATUS[status] ?? (status >= 500 ? serverError : otherStatus);
  return wording(context(readAnswer(response, secrets)));
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
