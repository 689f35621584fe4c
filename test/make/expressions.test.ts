/**
 * Every string of the generated app is IML as Make's custom-app documentation writes it
 * (developers.make.com/custom-apps-documentation/block-elements/iml): function arguments
 * separated by commas, and only the syntax the evaluator (test/make/iml/) knows, so that every
 * behaviour test runs the app's real expressions and none is skipped.
 */
import { filesIn, APP_DIR } from '../../make/generate';
import { parseTemplate } from './iml/parse';

/** Every string in a parsed JSON value, with where it is. */
const strings = (value: unknown, at: string): [string, string][] => {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${String(i)}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${at}.${key}`));
  return [];
};

const files = [...filesIn(APP_DIR)].filter(([name]) => name.endsWith('.json'));

test.each(files)('%s: every expression parses, with commas between arguments', (name, content) => {
  const unread = strings(JSON.parse(content), name).flatMap(([at, text]) => {
    try {
      parseTemplate(text);
      return [];
    } catch (error) {
      return [`${at}: ${String(error)}`];
    }
  });
  expect(unread).toEqual([]);
});

test('the reader refuses what the app must not write', () => {
  expect(() => parseTemplate('{{ifempty(body.a; body.b)}}')).toThrow("';' between arguments");
  expect(files.length).toBeGreaterThan(80);
});
