import { listOf, text } from '../../src/lib/inputs';

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
