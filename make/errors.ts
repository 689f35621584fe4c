/**
 * How the Make app words a failed call: the core's table (core/errors.ts), evaluated at
 * generation time for each status it words, with the API's words left as an IML expression that
 * reads them where the core reads them, so a Make user reads the same sentences as a Zap user.
 * Each status gets the Make error type that makes Make do the right thing
 * (InvalidAccessTokenError asks for a reconnection, RateLimitError and ConnectionError are
 * retried, DataError stops the bundle: developers.make.com/custom-apps-documentation,
 * app-components/base/error-handling). A 429 is each platform's own: this is Make's.
 */
import { DEFAULT_API_URL } from '../core/api';
import {
  failureFor,
  MAX_DETAIL,
  type CallPolicy,
  type Failure,
  type Permission,
} from '../core/errors';
import { firstOf, fn, iml, imlRegex, imlText, type JsonObject } from './iml';

/** Make's error types this app uses (Make knows a few more). */
type MakeErrorType =
  | 'RuntimeError'
  | 'DataError'
  | 'RateLimitError'
  | 'ConnectionError'
  | 'InvalidConfigurationError'
  | 'InvalidAccessTokenError'
  | 'DuplicateDataError';

/**
 * Where the core finds the API's words in an error body (core/errors.ts `apiErrorDetail`):
 * `message`, `error`, `detail`, each a text or an object holding one in `message`, `msg`,
 * `error` or `detail`. Deeper nesting and the lists of field errors are the core's only.
 */
const WORD_KEYS = ['message', 'error', 'detail'] as const;
const INNER_KEYS = ['message', 'msg', 'error', 'detail'] as const;

const WORDS = firstOf(
  WORD_KEYS.flatMap((key) => [...INNER_KEYS.map((inner) => `body.${key}.${inner}`), `body.${key}`]),
  'emptystring',
);

/** The words as the core shows them: trimmed, on one line, cut to MAX_DETAIL with an ellipsis. */
const SHOWN = fn(
  'replace',
  fn('replace', fn('trim', WORDS), imlRegex(/\s+/g), "' '"),
  imlRegex(new RegExp(`^([\\s\\S]{${String(MAX_DETAIL - 1)}})[\\s\\S]{2,}$`)),
  "'$1…'",
);

/** `: <words>` when the API gave words, else what the core says instead (`none`). */
const said = (none: string): string => {
  const words = fn('replace', SHOWN, imlRegex(/^(?=[\s\S])/), "': '");
  return none === '' ? words : fn('ifempty', words, imlText(none));
};

/** Stands for the API's words while the core words a message. */
const MARK = 'ISAOAPIWORDS';

/** A core message around the API's words: the text before, what stands for no words, after. */
interface Parts {
  before: string;
  none: string;
  after: string;
}

/**
 * The parts of the core's message, from the message with words and the one without; an error when
 * the core no longer words them as `<before>: <words><after>` and `<before><none><after>`.
 */
export const partsOf = (message: (body: Record<string, unknown>) => string): Parts => {
  const withWords = message({ message: MARK });
  const without = message({});
  const at = withWords.indexOf(`: ${MARK}`);
  const before = withWords.slice(0, at);
  const after = withWords.slice(at + MARK.length + 2);
  if (at < 0 || !without.startsWith(before) || !without.endsWith(after))
    throw new Error(`core/errors.ts words the API's words differently: ${withWords}`);
  return { before, none: without.slice(before.length, without.length - after.length), after };
};

/** The message as a template: text around one expression. */
const template = ({ before, none, after }: Parts): string => `${before}${iml(said(none))}${after}`;

/** The message as one expression, to choose between messages. */
const expression = ({ before, none, after }: Parts): string =>
  [imlText(before), said(none), imlText(after)].join(' + ');

/** What one call is, for the wording of its failures: its path and the permission it needs. */
export interface CallSite {
  /** The path called (named by a 404); omitted for a call whose path the user chose. */
  path?: string;
  /** The permission named by a 403; omitted where none can be named (the universal module). */
  permission?: Permission;
}

/** The core's failure for `status`; an error when the core no longer calls that status one. */
export const wordedFailure = (failure: Failure | undefined, status: number): Failure => {
  if (failure === undefined)
    throw new Error(`core/errors.ts words no failure for ${String(status)}`);
  return failure;
};

/** The core's message for `status` on this call, around the API's words. */
const coreParts = (status: number, site: CallSite, extra: Record<string, unknown> = {}): Parts =>
  partsOf((body) => {
    // the core words a failure alike whether the call is the connection test (authTest: that
    // changes only the kind of failure, which the Make error type of TYPED_STATUSES stands for
    // here) and whatever its method (which matters only for an answer that is not JSON)
    const policy: CallPolicy = {
      // Stryker disable next-line StringLiteral: a 403 is worded only for a call naming its permission (errorDirective)
      permission: site.permission ?? 'webhooks:read',
      // Stryker disable next-line BooleanLiteral: see above: the words are the same either way
      authTest: false,
    };
    const failure = failureFor(
      { status, content: JSON.stringify({ ...extra, ...body }) },
      policy,
      // Stryker disable next-line StringLiteral: the method matters only for an answer that is not JSON; a 404 is worded only for a call whose path is known (errorDirective)
      { method: 'GET', path: site.path ?? '', host: new URL(DEFAULT_API_URL).host },
      // Stryker disable next-line ArrayDeclaration: no secret; one that no message holds changes nothing
      [],
    );
    return wordedFailure(failure, status).message;
  });

/** The statuses the core words on their own, each with the Make error type that fits. */
const TYPED_STATUSES: readonly [number, MakeErrorType][] = [
  [400, 'DataError'],
  [401, 'InvalidAccessTokenError'],
  [403, 'InvalidConfigurationError'],
  [404, 'DataError'],
  [409, 'DuplicateDataError'],
  [422, 'DataError'],
];

/** A server error and any other status, as the core words them, told apart by Make's statusCode. */
const SERVER = 599;
const OTHER = 499;
const SERVER_ERROR = `statusCode >= 500`;

/** One text of the core's for each kind of status, with the status read from the answer. */
const byStatus = (server: string, other: string): string => {
  const read = (text: string, status: number) =>
    text
      .split(String(status))
      .map((part) => imlText(part))
      .join(' + statusCode + ');
  return server === other
    ? imlText(server)
    : fn('if', SERVER_ERROR, read(server, SERVER), read(other, OTHER));
};

const OTHER_STATUSES = ((): JsonObject => {
  const server = coreParts(SERVER, {});
  const other = coreParts(OTHER, {});
  return {
    type: iml(fn('if', SERVER_ERROR, "'ConnectionError'", "'RuntimeError'")),
    message: [
      iml(byStatus(server.before, other.before)),
      iml(fn('ifempty', said(''), byStatus(server.none, other.none))),
      iml(byStatus(server.after, other.after)),
    ].join(''),
  };
})();

const RATE_LIMITED =
  'ISAO is receiving too many requests from this API key (429 Too Many Requests). Make will retry; if it keeps happening, space out the scenario runs.';

/**
 * The `error` directive of a call: the default for a server error or any other status, then one
 * entry per status the core words (a 403 only where the call names its permission, a 404 only
 * where its path is known), and Make's own 429.
 */
export const errorDirective = (site: CallSite): JsonObject => {
  const entries = TYPED_STATUSES.filter(
    ([status]) =>
      (status !== 403 || site.permission !== undefined) &&
      (status !== 404 || site.path !== undefined),
  ).map(([status, type]): [string, JsonObject] => [
    String(status),
    { type, message: template(coreParts(status, site)) },
  ]);
  return {
    ...OTHER_STATUSES,
    ...Object.fromEntries(entries),
    '429': { type: 'RateLimitError', message: RATE_LIMITED },
  };
};

/** A 2xx `{success: false}` in the core's words (an expression, for a `valid` message). */
export const REFUSED = expression(coreParts(200, {}, { success: false }));

/** A 2xx answer `{success: false}` is a refusal: the core's words for it, as a `valid` directive. */
export const VALID_DIRECTIVE: JsonObject = {
  condition: iml('body.success != false'),
  type: 'DataError',
  message: template(coreParts(200, {}, { success: false })),
};

/** The `response` directive every call to ISAO carries (with what the call adds). */
export const responseFor = (site: CallSite, extra: JsonObject = {}): JsonObject => ({
  valid: VALID_DIRECTIVE,
  error: errorDirective(site),
  ...extra,
});
