/**
 * The IML functions and keywords the ISAO app uses, each with the semantics Make documents:
 * `if` and `ifempty` in the custom-app IML page
 * (developers.make.com/custom-apps-documentation/block-elements/iml), the others in Make's
 * function reference (help.make.com/functions: general, text and array functions), `undefined` in
 * the module action examples (custom-apps-documentation/app-components/modules/action). An
 * argument of a type the documentation does not cover throws, so a test never passes on a
 * guess; an unknown function or keyword throws too.
 */
import { isRecord } from '../../../core/inputs';

export class ImlRuntimeError extends Error {}

const fail = (message: string): never => {
  throw new ImlRuntimeError(`IML: ${message}`);
};

/** "Not defined, null, or an empty string": what `ifempty` passes over. */
export const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || value === '';

/** Truthiness as Make's `valid` directive states it: false, undefined, null, … are false. */
export const truthy = (value: unknown): boolean => Boolean(value);

const text = (value: unknown, fn: string): string =>
  typeof value === 'string' ? value : fail(`${fn}() takes text, not ${JSON.stringify(value)}`);

const array = (value: unknown, fn: string): unknown[] =>
  Array.isArray(value) ? value : fail(`${fn}() takes an array, not ${JSON.stringify(value)}`);

/** Items of a primitive array (text or numbers), as `join`, `remove` and `deduplicate` take. */
const primitives = (value: unknown, fn: string): (string | number)[] =>
  array(value, fn).map((item) =>
    typeof item === 'string' || typeof item === 'number'
      ? item
      : fail(`${fn}() on an item that is not text or a number: ${JSON.stringify(item)}`),
  );

type Fn = (args: unknown[]) => unknown;

const arity =
  (count: number, fn: string, body: Fn): Fn =>
  (args) =>
    args.length === count
      ? body(args)
      : fail(`${fn}() takes ${String(count)} arguments, got ${String(args.length)}`);

export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  // "returns a second argument when the first argument is either not defined, null, or an empty string"
  ifempty: arity(2, 'ifempty', ([value, fallback]) => (isEmpty(value) ? fallback : value)),
  // if(expression, value1, value2): value1 when the expression is true, else value2
  if: arity(3, 'if', ([condition, yes, no]) => (truthy(condition) ? yes : no)),
  // replace(text; search; replacement): a regular expression in /…/ with its flags as the search;
  // the replacement may use $1 and $& (JavaScript's String.prototype.replace)
  replace: arity(3, 'replace', ([value, search, replacement]) => {
    if (!(search instanceof RegExp)) return fail('replace() with a text search (not used here)');
    return text(value, 'replace').replace(search, text(replacement, 'replace'));
  }),
  // trim(text): removes space characters at the start and end of the text
  trim: arity(1, 'trim', ([value]) => text(value, 'trim').trim()),
  // split(text; separator): the text's substrings between separators
  split: arity(2, 'split', ([value, separator]) =>
    text(value, 'split').split(text(separator, 'split')),
  ),
  // join(array; separator): the items as text, with the separator between them
  join: arity(2, 'join', ([value, separator]) =>
    primitives(value, 'join').join(text(separator, 'join')),
  ),
  // remove(array; value1; value2; …): the array without those values (primitive arrays)
  remove: (args) => {
    const [value, ...removed] = args;
    return primitives(value, 'remove').filter((item) => !removed.includes(item));
  },
  // deduplicate(array): the array without repeated items
  deduplicate: arity(1, 'deduplicate', ([value]) => [...new Set(primitives(value, 'deduplicate'))]),
  // flatten(array): sub-arrays concatenated in, as Array.prototype.flat (one level)
  flatten: arity(1, 'flatten', ([value]) => array(value, 'flatten').flat()),
  // add(array; value1; value2; …): the array with the values added at its end
  add: (args) => {
    const [value, ...added] = args;
    return [...array(value, 'add'), ...added];
  },
  // length(array or text): the number of items or characters
  length: arity(1, 'length', ([value]) =>
    typeof value === 'string' ? value.length : array(value, 'length').length,
  ),
  // get(object or array; path): the value at a dot path; the first array item is index 1
  get: arity(2, 'get', ([value, path]) =>
    text(path, 'get')
      .split('.')
      .reduce<unknown>((node, key) => {
        if (Array.isArray(node)) return /^\d+$/.test(key) ? node[Number(key) - 1] : undefined;
        return isRecord(node) ? node[key] : undefined;
      }, value),
  ),
  // toCollection(array; key; value): {item[key]: item[value]} for each item. Make's own universal
  // module template passes an optional array parameter to it, so an unset one gives no entry.
  toCollection: arity(3, 'toCollection', ([value, key, entry]) => {
    if (value === undefined || value === null) return {};
    const [k, v] = [text(key, 'toCollection'), text(entry, 'toCollection')];
    return Object.fromEntries(
      array(value, 'toCollection').map((item) => {
        if (!isRecord(item)) return fail('toCollection() on an item that is not a collection');
        return [text(item[k], 'toCollection'), item[v]];
      }),
    );
  }),
};

/** Make's keywords this app writes. */
export const KEYWORDS: Readonly<Record<string, () => unknown>> = {
  true: () => true,
  false: () => false,
  null: () => null,
  undefined: () => undefined,
  emptystring: () => '',
  emptyarray: () => [],
};
