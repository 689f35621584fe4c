/**
 * What a receiver reads from a request before anything else: the signature header's one value
 * (from a fetch `Headers`, node's `IncomingHttpHeaders` or a plain object, in any letter case),
 * the body's exact bytes, and, once the signature vouches for them, their text. Malformed input
 * is a refusal with its reason, never an exception.
 */
import { isRecord, quote, text } from '../../core/inputs';
import { SIGNATURE_HEADER } from '../../core/signatures';
import { EMPTY_BODY, eventsIn, type WebhookItems } from '../../core/webhook';
import { PARSED_BODY, refuse, signatureWords, type Refused } from './problems';

/** Request headers as fetch (`Headers`), node:http or a framework hands them over. */
export type HeaderSource =
  | { get: (name: string) => string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A request body as received: its bytes (a Buffer is a Uint8Array), or its text. */
export type RawBody = string | Uint8Array | ArrayBuffer;

const WANTED = SIGNATURE_HEADER.toLowerCase();

/** Every value the headers give the signature header, in any letter case; or what is not text. */
const headerValues = (headers: unknown): string[] | { notText: unknown } => {
  if (!isRecord(headers)) return [];
  if (typeof headers.get === 'function') {
    const value: unknown = Reflect.apply(headers.get, headers, [SIGNATURE_HEADER]);
    return typeof value === 'string' ? [value] : [];
  }
  const values: string[] = [];
  for (const name of Object.keys(headers)) {
    // a name of another length is another header: none lower-cases to the wanted one's ASCII
    // from another length (lower-casing lengthens only İ, into a dotted i), so it is not read
    // Stryker disable next-line ConditionalExpression: a saving, the comparison below refuses it too
    if (name.length !== WANTED.length) continue;
    if (name.toLowerCase() !== WANTED) continue;
    const value = headers[name];
    if (value === undefined || value === null) continue;
    const items: unknown[] = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (typeof item !== 'string') return { notText: value };
      values.push(item);
    }
  }
  return values;
};

/**
 * The signature header, as one text: a header sent several times is read as HTTP joins it
 * (`a, b`, which is no signature); undefined when absent or blank.
 */
export const signatureHeader = (headers: unknown): { header: string | undefined } | Refused => {
  const values = headerValues(headers);
  if (!Array.isArray(values)) {
    return refuse(
      'header',
      `The ${SIGNATURE_HEADER} header must be text, but the headers given hold ${quote(values.notText, 40)}: pass the request's headers as received.`,
    );
  }
  return { header: text(values.join(', ')) };
};

/** The words for a header that is not a signature, naming a repeated header as the likely cause. */
export const malformedWords = (header: string | undefined): string =>
  // Stryker disable next-line OptionalChaining: both paths find a header malformed only when there is one (none is 'missing')
  header?.includes(',')
    ? `${signatureWords.malformed} It holds several values: the header was sent more than once.`
    : signatureWords.malformed;

const encoder = new TextEncoder();

const isArrayBuffer = (value: unknown): value is ArrayBuffer =>
  Object.prototype.toString.call(value) === '[object ArrayBuffer]';

/** The exact bytes of a body, and its text when it was given as text. */
export interface Body {
  bytes: Uint8Array;
  text: string | undefined;
}

/** The body's bytes; a refusal when what was given is not a body (a parsed object, nothing). */
export const bodyOf = (raw: unknown): Body | Refused => {
  if (typeof raw === 'string') return { bytes: encoder.encode(raw), text: raw };
  if (ArrayBuffer.isView(raw)) {
    return { bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), text: undefined };
  }
  if (isArrayBuffer(raw)) return { bytes: new Uint8Array(raw), text: undefined };
  if (raw === undefined || raw === null) {
    return refuse(
      'unread',
      `No webhook body was given to verify: pass the request's raw body (a Buffer, Uint8Array or string) as received.`,
    );
  }
  return refuse('unread', PARSED_BODY);
};

/** The text of UTF-8 bytes, or undefined when they are not UTF-8 (nothing replaced, no guess). */
export type Utf8Decoder = (bytes: Uint8Array) => string | undefined;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Every runtime's strict decoder (the web path's; the node path has a faster one, verify.ts). */
export const decodeUtf8: Utf8Decoder = (bytes) => {
  let text: string | undefined;
  try {
    text = decoder.decode(bytes);
  } catch {
    // not UTF-8: no text
  }
  return text;
};

/** The text of a body the signature vouches for; a refusal when it is not UTF-8 text. */
const textOf = ({ bytes, text: given }: Body, decode: Utf8Decoder): string | Refused => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return refuse(
      'bom',
      'The webhook body starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: ISAO sends none, so something on the way added it.',
    );
  }
  if (given !== undefined) return given;
  return (
    decode(bytes) ??
    refuse(
      'encoding',
      'The webhook body is not valid UTF-8: ISAO sends JSON in UTF-8, so something on the way re-encoded it (read the body as bytes, not as text in another charset).',
    )
  );
};

/** The webhook's items: the body's text, parsed once as JSON (core/webhook.ts's rules). */
export const itemsOf = (body: Body, decode: Utf8Decoder = decodeUtf8): WebhookItems | Refused => {
  const raw = textOf(body, decode);
  if (typeof raw !== 'string') return raw;
  if (!raw.trim()) return refuse('empty', EMPTY_BODY);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return refuse('json', `The webhook body is not JSON (it starts ${quote(raw.trim(), 40)}).`);
  }
  const read = eventsIn(parsed);
  return 'nothing' in read ? refuse('not-event', read.nothing) : read;
};
