/**
 * The IML the ISAO app writes, parsed as Make's custom-app documentation describes it
 * (developers.make.com/custom-apps-documentation/block-elements/iml): expressions between
 * mustaches, dot paths (a key that is not a plain name in backticks), strings in ' or ", the
 * documented operators (`==` and `!=` strict, `&&`, `||`, `!`, `<`, `<=`, `>`, `>=`, `+`), function
 * calls whose arguments are separated by commas, and regular expressions (`/…/flags`) as the
 * argument of `replace`. Anything else (`;` between arguments, an index, a call's property, an
 * escape in a string, another operator) throws: a test must never pass on syntax this reader
 * guessed at.
 */

export type BinaryOp = '==' | '!=' | '&&' | '||' | '<' | '<=' | '>' | '>=' | '+';

export type Node =
  | { kind: 'literal'; value: string | number }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'path'; root: string; keys: string[] }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node };

/** A template: text, and expressions between mustaches, in order. */
export type Part = { text: string } | { expression: Node };

export class ImlSyntaxError extends Error {}

const fail = (source: string, at: number, what: string): never => {
  throw new ImlSyntaxError(`IML: ${what} at ${String(at)} of ${JSON.stringify(source)}`);
};

/** Binary operators by precedence, loosest first. `=`, `===` and `!==` are Make's synonyms. */
const LEVELS: readonly (readonly [string, BinaryOp][])[] = [
  [['||', '||']],
  [['&&', '&&']],
  [
    ['!==', '!='],
    ['===', '=='],
    ['!=', '!='],
    ['==', '=='],
    ['=', '=='],
  ],
  [
    ['<=', '<='],
    ['>=', '>='],
    ['<', '<'],
    ['>', '>'],
  ],
  [['+', '+']],
];

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d+(?:\.\d+)?/y;
const SPACE = /\s*/y;
const FLAGS = /[gimsuy]*/y;

/** A recursive-descent reader of one expression, from `start`, stopping before `}}`. */
class Reader {
  constructor(
    private readonly source: string,
    public at: number,
  ) {}

  private skip(): void {
    SPACE.lastIndex = this.at;
    SPACE.exec(this.source);
    this.at = SPACE.lastIndex;
  }

  private match(regex: RegExp): string | undefined {
    this.skip();
    regex.lastIndex = this.at;
    const found = regex.exec(this.source)?.[0];
    if (found !== undefined) this.at += found.length;
    return found;
  }

  private take(token: string): boolean {
    this.skip();
    if (!this.source.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.take(token)) fail(this.source, this.at, `expected ${JSON.stringify(token)}`);
  }

  peek(token: string): boolean {
    this.skip();
    return this.source.startsWith(token, this.at);
  }

  expression(level = 0): Node {
    const operators = LEVELS[level];
    if (operators === undefined) return this.unary();
    let left = this.expression(level + 1);
    for (;;) {
      this.skip();
      const found = operators.find(
        ([token]) =>
          this.source.startsWith(token, this.at) &&
          // `=` is not the start of `==`, nor `<`/`>` of `<=`/`>=`, nor `|`/`&` alone
          !/^[=|&]/.test(this.source.slice(this.at + token.length, this.at + token.length + 1)),
      );
      if (!found) return left;
      this.at += found[0].length;
      left = { kind: 'binary', op: found[1], left, right: this.expression(level + 1) };
    }
  }

  private unary(): Node {
    if (this.peek('!') && !this.peek('!=')) {
      this.at += 1;
      return { kind: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Node {
    this.skip();
    const char = this.source[this.at];
    if (char === '(') {
      this.at += 1;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (char === "'" || char === '"') return { kind: 'literal', value: this.string(char) };
    if (char === '/') return { kind: 'regex', regex: this.regex() };
    const number = this.match(NUMBER);
    if (number !== undefined) return { kind: 'literal', value: Number(number) };
    const name = this.match(NAME);
    if (name === undefined) return fail(this.source, this.at, 'expected a value');
    if (this.take('(')) return { kind: 'call', name, args: this.args() };
    const keys: string[] = [];
    while (this.take('.')) {
      const key = this.peek('`') ? this.backticked() : this.match(NAME);
      if (key === undefined) fail(this.source, this.at, 'expected a key after "."');
      keys.push(key ?? '');
    }
    if (this.peek('[')) fail(this.source, this.at, 'an index (not used by this app)');
    if (this.peek('(')) fail(this.source, this.at, 'a call on a path (not documented)');
    return { kind: 'path', root: name, keys };
  }

  private args(): Node[] {
    const args: Node[] = [];
    if (this.take(')')) return args;
    for (;;) {
      args.push(this.expression());
      if (this.take(')')) return args;
      if (this.peek(';'))
        fail(this.source, this.at, "';' between arguments (Make's custom-app IML uses commas)");
      this.expect(',');
    }
  }

  private string(quote: string): string {
    const end = this.source.indexOf(quote, this.at + 1);
    if (end < 0) fail(this.source, this.at, 'an unterminated string');
    const value = this.source.slice(this.at + 1, end);
    if (value.includes('\\')) fail(this.source, this.at, 'an escape in a string (not documented)');
    this.at = end + 1;
    return value;
  }

  private backticked(): string {
    const end = this.source.indexOf('`', this.at + 1);
    if (end < 0) fail(this.source, this.at, 'an unterminated backticked key');
    const key = this.source.slice(this.at + 1, end);
    this.at = end + 1;
    return key;
  }

  /** `/…/flags`: up to the first `/` that is neither escaped nor inside a character class. */
  private regex(): RegExp {
    let i = this.at + 1;
    let inClass = false;
    for (; i < this.source.length; i += 1) {
      const c = this.source[i];
      if (c === '\\') i += 1;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
    }
    if (i >= this.source.length) fail(this.source, this.at, 'an unterminated regular expression');
    const body = this.source.slice(this.at + 1, i);
    this.at = i + 1;
    FLAGS.lastIndex = this.at;
    const flags = FLAGS.exec(this.source)?.[0] ?? '';
    this.at += flags.length;
    return new RegExp(body, flags);
  }
}

/** One whole expression (the text between `{{` and `}}`). */
export const parseExpression = (source: string): Node => {
  const reader = new Reader(source, 0);
  const node = reader.expression();
  if (reader.at !== source.length && source.slice(reader.at).trim() !== '')
    fail(source, reader.at, 'unexpected text');
  return node;
};

/** A string as Make reads it: text with expressions in mustaches. */
export const parseTemplate = (source: string): Part[] => {
  const parts: Part[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      parts.push({ text: source.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: source.slice(at, open) });
    const reader = new Reader(source, open + 2);
    const expression = reader.expression();
    if (!reader.peek('}}')) fail(source, reader.at, 'expected "}}"');
    at = reader.at + 2;
    parts.push({ expression });
  }
  return parts;
};
