/**
 * How the generator writes IML (make/iml.ts): what it writes must read back, through the
 * evaluator (test/make/iml/), as the value it stands for.
 */
import { firstOf, fn, imlRegex, imlText, textList } from '../../make/iml';
import { evaluateString } from './iml/evaluate';

const read = (expression: string, scope: Record<string, unknown> = {}) =>
  evaluateString(`{{${expression}}}`, scope);

test('a function call separates its arguments with commas', () => {
  expect(fn('ifempty', 'a', 'b')).toBe('ifempty(a, b)');
  expect(firstOf(['a', 'b'], 'emptystring')).toBe('ifempty(a, ifempty(b, emptystring))');
  expect(read(firstOf(['p.a', 'p.b'], "'none'"), { p: { b: 'B' } })).toBe('B');
  expect(read(firstOf([], "'none'"))).toBe('none');
});

test('a text is quoted so that it reads back as itself, or not written at all', () => {
  expect(read(imlText('plain'))).toBe('plain');
  expect(read(imlText("ISAO's status"))).toBe("ISAO's status");
  expect(read(imlText('a "quoted" word'))).toBe('a "quoted" word');
  expect(() => imlText(`it's "both"`)).toThrow('IML cannot quote');
});

test('a regular expression keeps its slashes and flags', () => {
  expect(imlRegex(/a\/b/gi)).toBe('/a\\/b/gi');
  expect(read(fn('replace', "'x/y'", imlRegex(/\//g), "'-'"))).toBe('x-y');
});

test('a list of texts is trimmed, without blanks or repeats, split at commas only when asked', () => {
  const list = [' a, b ', 'a', '  ', 'c'];
  expect(read(textList('p.list', ','), { p: { list } })).toEqual(['a', 'b', 'c']);
  expect(read(textList('p.list', '\n'), { p: { list } })).toEqual(['a, b', 'a', 'c']);
  expect(read(textList('p.list', ','), { p: {} })).toEqual([]);
});
