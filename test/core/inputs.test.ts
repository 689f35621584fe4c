import {
  clip,
  listOf,
  onlyBlanks,
  quote,
  QUOTE_MAX,
  readList,
  reasonOf,
  redact,
  REDACTED,
  shown,
  text,
  withoutHidden,
} from '../../core/inputs';

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
    // a list item is one value, commas included; only one plain string is split at commas
    [
      ['a, b', ['c', 'a']],
      ['a, b', 'c', 'a'],
    ],
    [['Paris, 8e arrondissement'], ['Paris, 8e arrondissement']],
    ['Paris, 8e arrondissement', ['Paris', '8e arrondissement']],
    [
      [7, null, 'x'],
      ['7', 'x'],
    ],
    // a JSON list in text gives its items, each one value
    ['["a", "b, c", 1]', ['a', 'b, c', '1']],
    [
      [' ["a"] ', 'b'],
      ['a', 'b'],
    ],
    ['[a, b', ['[a', 'b']],
    ['["a"', ['["a"']],
    ['{"a": 1}', ['{"a": 1}']],
    [['[1, 2'], ['[1, 2']],
    // a line of commas only is no value
    [[',', ' ,, ', 'a'], ['a']],
  ])('%j → %j', (value, expected) => {
    expect(listOf(value)).toEqual(expected);
  });
});

describe('readList', () => {
  it.each([
    [['a', { name: 'b' }, true], ['a'], [{ name: 'b' }, true]],
    ['[{"name": "b"}, ["c"], "d"]', ['d'], [{ name: 'b' }, ['c']]],
    [[Number.NaN, 'x'], ['x'], [Number.NaN]],
    [{ a: 1 }, [], [{ a: 1 }]],
    [[null, undefined, ''], [], []],
  ])('%j: values %j, not text %j', (value, values, notText) => {
    expect(readList(value)).toEqual({ values, notText });
  });

  it("splits every line at commas only when told, and a JSON list's items never", () => {
    const lines = ['lead, vip', 'Paris, 8e', '["a, b"]'];
    expect(readList(lines).values).toEqual(['lead, vip', 'Paris, 8e', 'a, b']);
    expect(readList(lines, { splitLines: false }).values).toEqual([
      'lead, vip',
      'Paris, 8e',
      'a, b',
    ]);
    expect(readList(lines, {}).values).toEqual(['lead, vip', 'Paris, 8e', 'a, b']);
    expect(readList(lines, { splitLines: true }).values).toEqual([
      'lead',
      'vip',
      'Paris',
      '8e',
      'a, b',
    ]);
    expect(readList('lead, vip').values).toEqual(['lead', 'vip']);
  });
});

describe('withoutHidden', () => {
  it('removes characters that show nothing, wherever they are, and keeps visible spaces', () => {
    expect(withoutHidden('\u200ba\u00adb\u180ec\u200fd\u2060e\u2064f\u3164g\ufeff h\u00a0')).toBe(
      'abcdefg h\u00a0',
    );
    expect(withoutHidden('a\u2066b\u202ec\u034fd\u115fe\ufe0ff\u{e0041}g')).toBe('abcdefg');
  });
});

describe('invisible characters', () => {
  it.each([
    ['\u200b', undefined],
    ['\ufeff\u00a0 \u2060', undefined],
    ['\u200bAda\u200d', 'Ada'],
    ['A\u200bda', 'A\u200bda'],
    // bidi isolates and overrides, the Arabic letter mark, Hangul fillers, the grapheme joiner
    ['\u202a\u2066Ada\u202e\u061c\u115f\u1160\uffa0\u034f', 'Ada'],
    // a variation selector or tag character at the end belongs to the emoji before it
    ['I \u2764\ufe0f', 'I \u2764\ufe0f'],
    [
      '\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}',
      '\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}',
    ],
  ])('text(%j) → %j', (value, expected) => {
    expect(text(value)).toBe(expected);
  });

  it('are trimmed in linear time, even around a long run of spaces inside the text', () => {
    const inner = `a${' '.repeat(100_000)}b`;
    const started = performance.now();
    expect(text(` ${inner}\u200b `)).toBe(inner);
    expect(listOf([`${inner} `, ` ${'\u200b'.repeat(100_000)}`])).toEqual([inner]);
    expect(performance.now() - started).toBeLessThan(1000);
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
    [[','], true],
    ['[" "]', true],
    [[{ a: 1 }], false],
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

  it('reasonOf redacts the secrets it is given before it cuts, to the bound it is given', () => {
    // a secret straddling the 100th character: cut first, a part of it would be left
    const error = new Error(`${'x'.repeat(95)} ${SECRET} after`);
    const reason = reasonOf(error, [SECRET]);
    expect(leaksPartOf(reason)).toBe(false);
    expect(reason).toBe(`${'x'.repeat(95)} [re…`);
    expect(reasonOf(error, [SECRET], 300)).toBe(`${'x'.repeat(95)} [redacted] after`);
    expect(reasonOf(new Error('a\n b'), [], 3)).toBe('a b');
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

  it('redacts in any letter case and under any percent-encoding, decoded leniently', () => {
    expect(redact('host mykeyabc123.evil.example', ['MyKeyAbc123'])).toBe(
      'host [redacted].evil.example',
    );
    expect(redact('/x/a%7Bb|c%7dd/y', ['a{b|c}d'])).toBe('/x/[redacted]/y');
    // a run that is not UTF-8 keeps its other bytes encoded; no secret, no decoding
    expect(redact('/%ff%61bcd%2f/%zz', ['abcd/'])).toBe('/%ff[redacted]/%zz');
    expect(redact('/a%20b%ff', ['abcd'])).toBe('/a%20b%ff');
    // a secret holding another is redacted whole, and one with regex characters is literal
    expect(redact('k: abcd-efgh', ['abcd', 'abcd-efgh'])).toBe('k: [redacted]');
    expect(redact('k: abcd-efgh', ['abcd-efgh', 'x', 'abcd'])).toBe('k: [redacted]');
    expect(redact('a.b+ axb+', ['a.b+'])).toBe('[redacted] axb+');
    // decoded only to find a secret: a text without one keeps its escapes
    expect(redact('/a%20b', [])).toBe('/a%20b');
    expect(redact('%61bcd/%20', ['abcd'])).toBe('[redacted]/ ');
  });

  it('redacts a few KB in linear time', () => {
    const started = Date.now();
    const out = redact(`${'%41'.repeat(3000)}${'a'.repeat(3000)}`, [
      'a'.repeat(50),
      'b'.repeat(60),
    ]);
    expect(out).toContain(REDACTED);
    expect(Date.now() - started).toBeLessThan(200);
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
