/**
 * Evaluating a section of the ISAO app as Make does (developers.make.com/custom-apps-documentation:
 * block-elements/iml and app-components/base/advanced-inheritance): a string that is one
 * expression gives its value as it is (an object stays an object); a string mixing text and
 * expressions gives text; an object's `{{...}}` key spreads the collection its value gives into
 * the object. A path into something that is not a collection gives nothing, as a mapping of an
 * absent field does in Make. What Make would show as an object inside a sentence throws: no
 * test can pass on a message that reads `[object Object]`.
 */
import { isRecord } from '../../../core/inputs';
import { FUNCTIONS, ImlRuntimeError, KEYWORDS, truthy } from './functions';
import { parseTemplate, type Node } from './parse';

/** The variables an expression may read (`body`, `parameters`, `connection`, `item`, …). */
export type Scope = Readonly<Record<string, unknown>>;

const fail = (message: string): never => {
  throw new ImlRuntimeError(`IML: ${message}`);
};

/** A value inside text: text and numbers as they are, nothing for an empty value. */
export const asText = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(
    `a ${Array.isArray(value) ? 'list' : 'collection'} inside text: ${JSON.stringify(value)}`,
  );
};

const compare = (op: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean => {
  if (typeof left !== 'number' || typeof right !== 'number')
    return fail(`${op} between ${JSON.stringify(left)} and ${JSON.stringify(right)}`);
  if (op === '<') return left < right;
  if (op === '<=') return left <= right;
  return op === '>' ? left > right : left >= right;
};

const plus = (left: unknown, right: unknown): unknown => {
  if (typeof left === 'number' && typeof right === 'number') return left + right;
  if (typeof left === 'string' || typeof right === 'string') {
    if (left === undefined || right === undefined || left === null || right === null)
      return fail(`+ with an empty value: ${JSON.stringify([left, right])}`);
    return asText(left) + asText(right);
  }
  return fail(`+ between ${JSON.stringify(left)} and ${JSON.stringify(right)}`);
};

export const evaluate = (node: Node, scope: Scope): unknown => {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'regex':
      return node.regex;
    case 'not':
      return !truthy(evaluate(node.operand, scope));
    case 'call': {
      const fn = FUNCTIONS[node.name];
      if (!fn) return fail(`no function ${node.name}() in this app's IML`);
      return fn(node.args.map((arg) => evaluate(arg, scope)));
    }
    case 'path': {
      const keyword = KEYWORDS[node.root];
      if (keyword && node.keys.length === 0) return keyword();
      if (!(node.root in scope)) return fail(`no variable ${node.root} here`);
      return node.keys.reduce<unknown>(
        (value, key) => (isRecord(value) ? value[key] : undefined),
        scope[node.root],
      );
    }
    case 'binary': {
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      switch (node.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '&&':
          return truthy(left) ? right : left;
        case '||':
          return truthy(left) ? left : right;
        case '+':
          return plus(left, right);
        default:
          return compare(node.op, left, right);
      }
    }
  }
};

/** A string as Make evaluates it: one expression's value, or text. */
export const evaluateString = (source: string, scope: Scope): unknown => {
  const parts = parseTemplate(source);
  const [only] = parts;
  if (parts.length === 1 && only && 'expression' in only) return evaluate(only.expression, scope);
  return parts
    .map((part) => ('text' in part ? part.text : asText(evaluate(part.expression, scope))))
    .join('');
};

/** The key that spreads a collection into an object (advanced inheritance). */
export const SPREAD = '{{...}}';

/** A section (or a part of one), every string in it evaluated. */
export const evaluateSection = (value: unknown, scope: Scope): unknown => {
  if (typeof value === 'string') return evaluateString(value, scope);
  if (Array.isArray(value)) return value.map((item) => evaluateSection(item, scope));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === SPREAD) {
      const spread = evaluateSection(inner, scope);
      if (!isRecord(spread)) return fail(`${SPREAD} of something that is not a collection`);
      Object.assign(result, spread);
    } else if (key.includes('{{')) {
      fail(`an expression in a key (${key})`);
    } else {
      result[key] = evaluateSection(inner, scope);
    }
  }
  return result;
};
