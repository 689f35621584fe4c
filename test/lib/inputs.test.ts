import {
  clip,
  listOf,
  onlyBlanks,
  quote,
  QUOTE_MAX,
  reasonOf,
  redact,
  shown,
  text,
} from '../../src/lib/inputs';

import { leaksPartOf, SECRET } from '../helpers';

describe('text', () => {
  it.each([
    [' a ', 'a'],
    ['', undefined],
    ['   ', undefined],
    [42, '42'],
    [Number.NaN, undefined],
    [null, undefined],
    [undefined, undefined],
    [{ a: 1 }, undefined],
  ])('%j → %j', (value, expected) => {
    expect(text(value)).toBe(expected);
  });
});

describe('listOf', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['lead', ['lead']],
    [' lead , vip,,lead ', ['lead', 'vip']],
    [
      ['lead', ' vip', '', 'lead'],
      ['lead', 'vip'],
    ],
    [
      ['a, b', ['c', 'a']],
      ['a', 'b', 'c'],
    ],
    [
      [7, null, 'x'],
      ['7', 'x'],
    ],
  ])('%j → %j', (value, expected) => {
    expect(listOf(value)).toEqual(expected);
  });
});

describe('invisible characters', () => {
  it.each([
    ['\u200b', undefined],
    ['\ufeff\u00a0 \u2060', undefined],
    ['\u200bAda\u200d', 'Ada'],
    ['A\u200bda', 'A\u200bda'],
  ])('text(%j) → %j', (value, expected) => {
    expect(text(value)).toBe(expected);
  });

  it('drop list items that are only invisible characters', () => {
    expect(listOf(['\u200b', 'lead\ufeff', ' , \u00a0'])).toEqual(['lead']);
  });
});

describe('onlyBlanks', () => {
  it.each([
    [undefined, false],
    [null, false],
    ['', false],
    [[], false],
    [[''], false],
    ['lead', false],
    [['', 'lead'], false],
    ['  ', true],
    [' , ,', true],
    [['\u200b'], true],
    [[' ', ''], true],
  ])('%j → %j', (value, expected) => {
    expect(onlyBlanks(value)).toBe(expected);
  });
});

describe('bounded quoting', () => {
  it('quotes short values whole and cuts long ones at QUOTE_MAX with an ellipsis', () => {
    expect(quote('ada@')).toBe('"ada@"');
    expect(quote('x'.repeat(QUOTE_MAX))).toBe(`"${'x'.repeat(QUOTE_MAX)}"`);
    expect(quote('x'.repeat(QUOTE_MAX + 1))).toBe(`"${'x'.repeat(QUOTE_MAX - 1)}…"`);
    expect(quote('y'.repeat(5000), 40)).toHaveLength(42);
  });

  it('puts any value on one line', () => {
    expect(quote('a\nb\r\n\tc')).toBe('"a b c"');
    expect(quote(42)).toBe('"42"');
    expect(quote({ a: 1 })).toBe('"{"a":1}"');
    expect(quote(undefined)).toBe('"undefined"');
  });

  it('reasonOf bounds any thrown message', () => {
    expect(reasonOf(new Error('x'.repeat(10_000)))).toHaveLength(QUOTE_MAX);
    // on one line, each run of white space one space
    expect(reasonOf(new Error('cache down:\n\n  timed out\t (5 s)'))).toBe(
      'cache down: timed out (5 s)',
    );
    expect(reasonOf('plain  string')).toBe('plain string');
    expect(reasonOf('plain\nstring')).toBe('plain string');
    // core's AppError carries its message as JSON
    const appError = new Error(JSON.stringify({ message: 'ISAO had a problem', code: 'x' }));
    expect(reasonOf(appError)).toBe('ISAO had a problem');
    expect(reasonOf(new Error('{"not": "an app error"}'))).toBe('{"not": "an app error"}');
    expect(clip('abc', 2)).toBe('a…');
  });
});

describe('redaction, then bounding', () => {
  it('redacts every secret of 4 characters or more, trimmed as it is sent, and percent-encoded', () => {
    expect(redact('key abcd (abcd)', ['abcd'])).toBe('key [redacted] ([redacted])');
    // shorter values would shred ordinary words; what is not text is no secret
    expect(redact('abc is kept', ['abc', null, undefined, {}])).toBe('abc is kept');
    // the key as stored may carry white space and invisible characters; it is sent trimmed
    expect(redact(`sent ${SECRET}.`, [`\u200b ${SECRET}\n`])).toBe('sent [redacted].');
    expect(redact('/x/isao%20k%2By', ['isao k+y'])).toBe('/x/[redacted]');
    expect(redact('/x/isao%20k+y', ['isao k+y'])).toBe('/x/[redacted]');
  });

  it('redacts a secret whatever the white space around or inside it becomes', () => {
    // a tab inside the secret, repeated as it is
    expect(shown(`a isao\tkey_77 b`, 100, ['isao\tkey_77'])).toBe('a [redacted] b');
    // a space inside the secret, written as a line break: caught once the text is on one line
    expect(shown(`a isao\nkey_77 b`, 100, ['isao key_77'])).toBe('a [redacted] b');
  });

  it('never shows part of a secret that straddles the limit, nor passes it', () => {
    for (let at = QUOTE_MAX - SECRET.length - 2; at <= QUOTE_MAX + 2; at += 1) {
      const message = shown(`${'x'.repeat(at)}${SECRET}${'y'.repeat(200)}`, QUOTE_MAX, [SECRET]);
      expect(leaksPartOf(message)).toBe(false);
      expect(message.length).toBeLessThanOrEqual(QUOTE_MAX);
    }
  });

  it('a short secret replaced near the limit never pushes the text past it', () => {
    for (let at = QUOTE_MAX - 12; at <= QUOTE_MAX; at += 1) {
      const message = shown(`${'x'.repeat(at)}k3y!`, QUOTE_MAX, ['k3y!']);
      expect(message.length).toBeLessThanOrEqual(QUOTE_MAX);
      expect(message).not.toContain('k3y');
    }
  });
});
