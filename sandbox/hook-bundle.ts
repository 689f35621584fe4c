/**
 * What Zapier hands a hook trigger's `perform` for a webhook it caught, built the one way for
 * `npm start`, the bench and the tests: `cleanedRequest` (the body parsed) and `rawRequest` (the
 * body exactly as received, with the request's headers as Zapier names them). No imports: the
 * bench's measured processes load it.
 */

/** Headers as node's HTTP server gives them (lower-case names, repeated ones as lists). */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/** A header name as Zapier hands it to perform: `x-isao-hmac-sha256` → `Http-X-Isao-Hmac-Sha256`. */
const zapierHeaderName = (name: string): string =>
  `Http-${name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-')}`;

/** A request's headers, named and joined as Zapier hands them to perform. */
export const zapierHeaders = (headers: HttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      zapierHeaderName(name),
      Array.isArray(value) ? value.join(', ') : (value ?? ''),
    ]),
  );

/** The request parts of the bundle Zapier builds for perform. */
export interface HookRequest {
  cleanedRequest: unknown;
  rawRequest: {
    method: 'POST';
    querystring: string;
    content: string;
    headers: Record<string, string>;
  };
}

/**
 * The bundle parts for a webhook whose body is `raw` (JSON text).
 * @param headers exactly as perform should see them: `zapierHeaders(…)` of a caught request's
 */
export const hookBundle = (raw: string, headers: Record<string, string> = {}): HookRequest => ({
  cleanedRequest: JSON.parse(raw) as unknown,
  rawRequest: { method: 'POST', querystring: '', content: raw, headers },
});
