/**
 * How the Make app words a failed call: the core's table (core/errors.ts), evaluated once per
 * status at generation time with the API's words left as an IML expression, so a Make user reads
 * the same sentences as a Zap user, and each status gets the Make error type that makes Make do
 * the right thing (InvalidAccessTokenError asks for a reconnection, RateLimitError and
 * ConnectionError are retried, DataError stops the bundle). A 429 is each platform's own: this is
 * Make's.
 */
import { DEFAULT_API_URL } from '../core/api';
import { failureFor, type CallPolicy, type Permission } from '../core/errors';
import { fn, iml, type JsonObject } from './iml';

/** Make's error types this app uses (Make knows a few more). */
type MakeErrorType =
  | 'RuntimeError'
  | 'DataError'
  | 'RateLimitError'
  | 'ConnectionError'
  | 'InvalidConfigurationError'
  | 'InvalidAccessTokenError'
  | 'DuplicateDataError';

/** The API's own words in a failed answer, as far as Make can read them: `message`, else `error`. */
export const API_WORDS = iml(fn('ifempty', 'body.message', 'body.error'));

/** Stands for the API's words while the core words a message; replaced by API_WORDS after. */
const SAID = 'ISAOAPIWORDS';

/** The statuses the table words, each with the Make error type that fits what the user must do. */
const TYPED_STATUSES: readonly [number, MakeErrorType][] = [
  [400, 'DataError'],
  [401, 'InvalidAccessTokenError'],
  [403, 'InvalidConfigurationError'],
  [404, 'DataError'],
  [409, 'DuplicateDataError'],
  [422, 'DataError'],
  [500, 'ConnectionError'],
  [502, 'ConnectionError'],
  [503, 'ConnectionError'],
  [504, 'ConnectionError'],
];

/** What one call is, for the wording of its failures: its path and the permission it needs. */
export interface CallSite {
  /** The path called (named by a 404); omitted for a call whose path the user chose. */
  path?: string;
  /** The permission named by a 403; omitted where none can be named (the universal module). */
  permission?: Permission;
  /** The connection test: a 401 there is wrong input, not a connection to renew. */
  authTest?: boolean;
}

/** The core's message for `status` on this call, with the API's words as an IML expression. */
const coreMessage = (
  status: number,
  site: CallSite,
  permission: Permission,
  body: Record<string, unknown> = { message: SAID },
): string => {
  const policy: CallPolicy = { permission, authTest: site.authTest ?? false };
  const failure = failureFor(
    { status, content: JSON.stringify(body) },
    policy,
    { method: 'GET', path: site.path ?? '', host: new URL(DEFAULT_API_URL).host },
    [],
  );
  if (failure === undefined)
    throw new Error(`core/errors.ts words no failure for ${String(status)}`);
  return failure.message.replaceAll(SAID, API_WORDS);
};

/** The message Make shows for a status the table does not word. */
const OTHER_STATUS = `ISAO answered ${iml('statusCode')}: ${API_WORDS}.`;

const RATE_LIMITED =
  'ISAO is receiving too many requests from this API key (429 Too Many Requests). Make will retry; if it keeps happening, space out the scenario runs.';

/**
 * The `error` directive of a call: Make's default for unknown statuses, then one entry per status
 * the core words (a 403 only where the call names its permission, a 404 only where its path is
 * known), and Make's own 429.
 */
export const errorDirective = (site: CallSite): JsonObject => {
  const entries = TYPED_STATUSES.filter(
    ([status]) =>
      (status !== 403 || site.permission !== undefined) &&
      (status !== 404 || site.path !== undefined),
  ).map(([status, type]): [string, JsonObject] => [
    String(status),
    // the permission only matters to a 403, which is left out above when the call names none
    { type, message: coreMessage(status, site, site.permission ?? 'webhooks:read') },
  ]);
  return {
    type: 'RuntimeError',
    message: OTHER_STATUS,
    ...Object.fromEntries(entries),
    '429': { type: 'RateLimitError', message: RATE_LIMITED },
  };
};

/** A 2xx answer `{success: false}` is a refusal: the core's words for it, as a `valid` directive. */
export const VALID_DIRECTIVE: JsonObject = {
  condition: iml('body.success != false'),
  type: 'DataError',
  message: coreMessage(200, {}, 'webhooks:read', { success: false, message: SAID }),
};

/** The `response` directive every call to ISAO carries (with what the call adds). */
export const responseFor = (site: CallSite, extra: JsonObject = {}): JsonObject => ({
  valid: VALID_DIRECTIVE,
  error: errorDirective(site),
  ...extra,
});
