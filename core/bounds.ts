/**
 * How deep and how large a value from outside the core walks. A webhook's items come from anyone
 * who knows the hook URL when no signing secret is set, and 39 KB of `[` nest 20,000 levels
 * deep: JSON.parse reads that, but JSON.stringify and every other recursive walk overflow the
 * stack on it. An item past these bounds is skipped with a reason (core/delivery.ts), before
 * anything walks it; a value a message quotes is written out to MAX_DEPTH levels only
 * (`boundedJson`, which `quote` uses), and a list field is flattened to MAX_DEPTH levels.
 */

/** How many levels of objects and lists an item may nest: an ISAO event needs about five. */
export const MAX_DEPTH = 32;

/**
 * How large an item may be, counted as one per value plus the characters of its texts and keys:
 * never more than its JSON's length, so an item past it is more than that many characters of JSON.
 */
export const MAX_SIZE = 1_000_000;

const TOO_DEEP = `nested more than ${String(MAX_DEPTH)} levels deep`;
const TOO_LARGE = `larger than ${MAX_SIZE.toLocaleString('en-US')} characters`;

/**
 * Why a value is past the bounds (`nested more than 32 levels deep`, `larger than 1,000,000
 * characters`), or undefined when it is within them. Walked with a list of its own, not by
 * recursion, and given up as soon as a bound is crossed: a list's or an object's values are
 * counted before any is visited, so it visits at most MAX_SIZE values. Only texts, lists and
 * objects are visited: any other value adds nothing past what its holder counted for it.
 */
export const boundsProblem = (value: unknown): string | undefined => {
  // the values to visit, each with the level it is at (the item itself is at level 1), in two
  // lists kept side by side: a pair per value would be one more object per value
  const pending: unknown[] = [value];
  const levels: number[] = [1];
  let size = 1;
  for (let level = levels.pop(); level !== undefined; level = levels.pop()) {
    const node = pending.pop();
    let children: unknown[] = [];
    if (typeof node === 'string') size += node.length;
    else if (typeof node === 'object' && node !== null) {
      if (level > MAX_DEPTH) return TOO_DEEP;
      children = Array.isArray(node) ? node : Object.values(node);
      size += children.length;
      if (!Array.isArray(node)) for (const key of Object.keys(node)) size += key.length;
    }
    if (size > MAX_SIZE) return TOO_LARGE;
    for (const child of children) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: only a saving: a value neither text nor object adds nothing when visited
      if (typeof child === 'string' || (typeof child === 'object' && child !== null)) {
        pending.push(child);
        levels.push(level + 1);
      }
    }
  }
  return undefined;
};

/** What a list or object nested past MAX_DEPTH is written as (a message only shows its start). */
const CUT = '…';

/**
 * A value as JSON, with what nests past MAX_DEPTH levels written as `"…"`: JSON.stringify's own
 * text for everything else (undefined for undefined, a function or a symbol), and never a stack
 * overflow however deep the value.
 */
export const boundedJson = (value: unknown): string | undefined => {
  const levels = new WeakMap<object, number>();
  // JSON.stringify calls the replacer with the value's holder as `this` (`{"": value}` first)
  function replacer(this: object, _key: string, node: unknown): unknown {
    if (typeof node !== 'object' || node === null) return node;
    const level = (levels.get(this) ?? 0) + 1;
    if (level > MAX_DEPTH) return CUT;
    levels.set(node, level);
    return node;
  }
  // JSON.stringify gives undefined for undefined, functions and symbols
  const json = JSON.stringify(value, replacer) as string | undefined;
  return json;
};
