/**
 * What a Make custom app is written in: JSON documents ("IML JSON") whose strings may hold IML
 * expressions in `{{…}}`, evaluated on Make's servers. These types describe only what this app
 * writes; nothing here runs IML.
 */
import { isRecord } from '../core/inputs';

/** A JSON value as a section file holds it (an undefined property is left out when written). */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json | undefined };

/**
 * A Make parameter (a connection's, a module's input, or an interface's output field): `name`
 * and `type` are what Make requires; `spec` describes an array's items or a collection's fields.
 */
export type MakeParam = {
  name: string;
  type:
    'text' | 'password' | 'number' | 'integer' | 'date' | 'array' | 'collection' | 'select' | 'any';
  label?: string;
  help?: string;
  required?: boolean;
  spec?: MakeParam | MakeParam[];
  validate?: { pattern: string };
  options?: { label: string; value: string }[];
  default?: Json;
};

/** One IML expression, as written into a string: `{{body.data}}`. */
export const iml = (expression: string): string => `{{${expression}}}`;

/**
 * A call of an IML function, its arguments separated by commas, as Make's custom-app
 * documentation writes them (developers.make.com/custom-apps-documentation/block-elements/iml:
 * `{{ifempty(body.username, body.user)}}`); Make's scenario editor shows `;`, which is not this.
 */
export const fn = (name: string, ...args: string[]): string => `${name}(${args.join(', ')})`;

/** `ifempty(a, ifempty(b, … last))`: the first of the values that is not empty. */
export const firstOf = (values: readonly string[], last: string): string =>
  values.reduceRight((rest, value) => fn('ifempty', value, rest), last);

/**
 * A text in an IML expression: in single quotes, or in double quotes when it holds a single one
 * (IML documents no escapes, so a text holding both cannot be written and the generator stops).
 */
export const imlText = (text: string): string => {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  throw new Error(`IML cannot quote ${JSON.stringify(text)}`);
};

/** A regular expression as IML writes one for `replace()`: `/…/flags`, every `/` escaped. */
export const imlRegex = (regex: RegExp): string =>
  `/${regex.source.replace(/(?<!\\)\//g, '\\/')}/${regex.flags}`;

/**
 * A list of texts as the core's lists are read (core/inputs.ts): each item trimmed, blanks and
 * repeats dropped, in order; with `,` as the separator, an item holding commas gives one value
 * per part. Joined with the separator and split again, as IML has no per-item function.
 */
export const textList = (list: string, separator: ',' | '\n'): string => {
  const sep = separator === ',' ? "','" : `'\n'`;
  const around = imlRegex(new RegExp(`\\s*${separator}\\s*`, 'g'));
  const joined = fn('join', fn('ifempty', list, 'emptyarray'), sep);
  const parts = fn('split', fn('trim', fn('replace', joined, around, sep)), sep);
  return fn('deduplicate', fn('remove', parts, 'emptystring'));
};

/** The IML path of a key that is not a plain name (`x-isao-hmac-sha256`): Make quotes it in backticks. */
export const imlKey = (key: string): string => (/^[A-Za-z_]\w*$/.test(key) ? key : `\`${key}\``);

/**
 * Every `{{…}}` expression in a section, wherever it sits (keys are not expressions in this app):
 * what the contract tests read to check that each reference names something that exists.
 */
export const expressionsIn = (value: Json | undefined): string[] => {
  if (typeof value === 'string')
    // Stryker disable next-line StringLiteral: the pattern's one group takes part in every match
    return [...value.matchAll(/\{\{(.*?)\}\}/gs)].map((m) => m[1] ?? '');
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (isRecord(value)) return Object.values(value).flatMap(expressionsIn);
  return [];
};
