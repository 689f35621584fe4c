/**
 * Reading what users type or map into fields. Zapier passes mapped values as they come from the
 * previous step, so a "string" may arrive as a number, a list field as one string, and anything
 * as blank: these helpers read them forgivingly and the same way everywhere.
 */
import { boundedJson, MAX_DEPTH } from './bounds';

/** A plain object (not null, not an array): what a JSON object parses to. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Characters that show nothing at all: every format character (zero-width spaces and joiners,
 * direction marks and the bidi embeddings, overrides and isolates, the soft hyphen, the BOM, tag
 * characters…) and every default-ignorable one (the combining grapheme joiner, the Hangul
 * fillers, variation selectors…), by their Unicode classes rather than a list that misses some.
 */
const HIDDEN = '[\\p{Cf}\\p{Default_Ignorable_Code_Point}]';
/**
 * What trimming removes at either end: white space (including no-break spaces) and the hidden
 * characters, except variation selectors and tag characters: at the end of a value they belong
 * to the visible character before them (`❤️`, a flag), and removing them would change what shows.
 */
const INVISIBLE = `[[\\s${HIDDEN}]--[\\p{Variation_Selector}\\u{E0020}-\\u{E007F}]]`;
// the trailing run is matched only from its start (the lookbehind): `[…]+$` alone would be tried
// from every position of a long run of spaces inside the text, quadratic (12 s for 50 KB)
const EDGE_INVISIBLE = new RegExp(`^${INVISIBLE}+|(?<!${INVISIBLE})${INVISIBLE}+$`, 'gv');
const ANY_HIDDEN = new RegExp(HIDDEN, 'gu');
/** Text made only of commas and invisible characters: separators, with no value between them. */
const ONLY_SEPARATORS = new RegExp(`^[${INVISIBLE},]*$`, 'v');

/**
 * The text without the characters that show nothing at all (see HIDDEN), wherever they are;
 * visible spaces are kept. For a value whose every character counts (an email address), where a
 * pasted zero-width space or a bidi override would make it another value than the one the user
 * sees.
 */
export const withoutHidden = (value: string): string => value.replace(ANY_HIDDEN, '');

/** A visible ASCII character (not a space, not a control): no invisible run ends in one. */
// Stryker disable next-line ConditionalExpression,EqualityOperator: a fast path: a narrower test (false, or DEL taken in) only sends a value through the pattern, which gives the same text
const isVisibleAscii = (code: number): boolean => code > 0x20 && code < 0x7f;

/**
 * The text without invisible characters at either end (a string of them becomes ''). A value
 * that begins and ends with a visible ASCII character has nothing to trim: it is returned without
 * running the pattern (most values are such, and this runs for every field of every record).
 */
const trimmed = (value: string): string =>
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: the fast path not taken (false, or a code past the end read as NaN) runs the pattern, which gives the same text
  isVisibleAscii(value.charCodeAt(0)) && isVisibleAscii(value.charCodeAt(value.length - 1))
    ? value
    : value.replace(EDGE_INVISIBLE, '');

/** The trimmed text of a string (or a finite number), undefined when blank or absent. */
export const text = (value: unknown): string | undefined => {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  return trimmed(value) || undefined;
};

/**
 * A list field's items, nested lists flattened to MAX_DEPTH levels: a list nested deeper stays a
 * list, which is not text (the caller names it), instead of a recursion without end.
 */
const listItems = (value: unknown): unknown[] =>
  Array.isArray(value) ? value.flat(MAX_DEPTH) : [value];

/** A JSON list written as text (`["lead","vip"]`): its items; undefined for any other text. */
const jsonList = (value: string): unknown[] | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // not JSON: the text is a value as it is
  }
  // a list's items; nested lists are not text, and the caller names them
  const items: unknown[] | undefined = Array.isArray(parsed) ? parsed : undefined;
  return items;
};

/** One entry of a list field: a value (maybe blank), or something that is not text at all. */
type Entry = { value: string } | { notText: unknown };

/**
 * The entries one item gives. A JSON list in text gives its items, each one value. Otherwise a
 * text is one value, commas included, unless it is `whole`: the field's entire value given as
 * one plain text rather than as a list, which is read as comma-separated values.
 */
const entriesOf = (item: unknown, whole: boolean): Entry[] => {
  if (item === undefined || item === null) return [];
  if (typeof item === 'string') {
    const listed = jsonList(trimmed(item));
    if (listed) return listed.flatMap((inner) => entriesOf(inner, false));
    if (ONLY_SEPARATORS.test(item)) return [];
    return (whole ? item.split(',') : [item]).map((value) => ({ value: trimmed(value) }));
  }
  const single = text(item);
  return single === undefined ? [{ notText: item }] : [{ value: single }];
};

/**
 * A list field's values, and the items that are not text (an object, `true`) for the caller to
 * name. Zapier delivers a `list: true` field as an array, one item per line the user filled: each
 * item is ONE value, commas included (`Paris, 8e arrondissement`, `Jones, Ana`), as filters read
 * them; only a value given as one plain string instead of a list (`zapier invoke`, a Zap saved
 * before the field was a list) is read as comma-separated. With `splitLines` (Create Contact's
 * Tags: a tag holds no comma, and the field always promised commas separate tags) every line is
 * split at commas. A JSON list in text (`["lead","vip"]`) gives its items, each one value. Values
 * are trimmed; blanks and repeats are dropped; order is kept. Unset gives none.
 */
export const readList = (
  value: unknown,
  { splitLines = false }: { splitLines?: boolean } = {},
): { values: string[]; notText: unknown[] } => {
  const entries = Array.isArray(value)
    ? listItems(value).flatMap((item) => entriesOf(item, splitLines))
    : entriesOf(value, true);
  const values = entries.flatMap((entry) => ('value' in entry ? [entry.value] : []));
  return {
    values: [...new Set(values.filter((v) => v !== ''))],
    notText: entries.flatMap((entry) => ('notText' in entry ? [entry.notText] : [])),
  };
};

/** A list field's text values (see `readList`); items that are not text are left out. */
export const listOf = (value: unknown): string[] => readList(value).values;

/**
 * Whether a list field holds only blanks that the user typed (spaces, invisible characters,
 * commas) — unlike an unset or plainly empty field (`''`, `[]`, `['']`, null), which is "not set".
 * Such a field is a mistake worth naming rather than silently treating as "no value".
 */
export const onlyBlanks = (value: unknown): boolean =>
  listItems(value).some((item) => typeof item === 'string' && item !== '') &&
  listOf(value).length === 0;

/** How many characters of a value an error message quotes at most. */
export const QUOTE_MAX = 100;

/** Text cut to `max` characters, ending with an ellipsis when it was cut. */
export const clip = (value: string, max = QUOTE_MAX): string =>
  value.length > max ? `${value.slice(0, max - 1)}…` : value;

/** What a secret becomes in any text the app shows. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are left alone: redacting them would shred ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * The secrets as a message may hold them, longest first (a secret inside another is then never
 * left as a part of it): as sent, trimmed like every input (`text`), which lies inside the key as
 * stored, so redacting it removes both.
 */
const secretTexts = (secrets: readonly unknown[]): string[] =>
  secrets
    .map(text)
    .filter((secret): secret is string => (secret?.length ?? 0) >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);

/** Each secret as a literal, in any letter case: a URL's host comes back lower-cased. */
const secretPattern = (secrets: readonly unknown[]): RegExp | undefined => {
  const texts = secretTexts(secrets).map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return texts.length > 0 ? new RegExp(texts.join('|'), 'gi') : undefined;
};

/** A run of percent-encoded bytes, in either letter case (`%2F`, `%2f`). */
const PERCENT_RUN = /(?:%[\da-f]{2})+/gi;
/** One percent-encoded ASCII byte. */
const PERCENT_ASCII = /%([0-7][\da-f])/gi;

/**
 * The text with its percent-encoding undone, leniently: a run that is not valid UTF-8 keeps its
 * non-ASCII bytes encoded and has its ASCII ones decoded, and text that is not an escape is left
 * as it is. A URL encodes a secret in more ways than one can list (`a%7Bb|c%7Dd`, `%2f`).
 */
const percentDecoded = (value: string): string =>
  value.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(PERCENT_ASCII, (_escape, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    }
  });

/**
 * The one redaction: every secret (the API key, a signing secret) replaced by `[redacted]`, in
 * any letter case, and also where the text percent-encodes it (then the text is shown decoded).
 * Everything a message takes from outside (an API's words, a redirect's host or path) goes
 * through it before it is shortened. Linear: one pass of literal alternatives, one decoding pass.
 */
export const redact = (value: string, secrets: readonly unknown[]): string => {
  const pattern = secretPattern(secrets);
  if (pattern === undefined) return value;
  const redacted = value.replace(pattern, REDACTED);
  const decoded = percentDecoded(redacted);
  return decoded.search(pattern) >= 0 ? decoded.replace(pattern, REDACTED) : redacted;
};

/**
 * Outside text made fit for a message: redacted, on one line, then cut to `max`. In that order:
 * cutting first would leave most of a secret that straddles the cut, and a short secret replaced
 * by `[redacted]` could push the text past `max`. It is redacted again once on one line, for a
 * secret whose own white space the text spelled differently.
 */
export const shown = (value: string, max: number, secrets: readonly unknown[]): string =>
  clip(redact(redact(value, secrets).replace(/\s+/g, ' '), secrets), max);

/** The user-facing text of an error: core's AppErrors carry JSON `{message, code, status}`. */
const messageOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const parsed: unknown = JSON.parse(message);
    return isRecord(parsed) && typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
};

/**
 * What went wrong, from anything thrown, on one line and at most `max` characters, with the
 * `secrets` redacted before it is cut (`shown`): a thrown message may quote a URL or an answer
 * holding the key, and a key straddling the cut would leave part of itself.
 */
export const reasonOf = (
  error: unknown,
  // Stryker disable next-line ArrayDeclaration: no secret by default; one that no message holds changes nothing
  secrets: readonly unknown[] = [],
  max = QUOTE_MAX,
): string => shown(messageOf(error), max, secrets);

/**
 * A value as an error message quotes it: `"…"`, on one line, at most QUOTE_MAX characters. Every
 * message that repeats user or API input goes through this, so a 100 KB value never becomes a
 * 100 KB error, and a value nested 20,000 deep is written out only to MAX_DEPTH levels
 * (`boundedJson`); text from the API that could hold a secret is `redact`ed before it is quoted.
 */
export const quote = (value: unknown, max = QUOTE_MAX): string => {
  const shown = typeof value === 'string' ? value : (boundedJson(value) ?? String(value));
  return `"${clip(shown.replace(/\s+/g, ' '), max)}"`;
};
