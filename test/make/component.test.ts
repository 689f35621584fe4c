/**
 * The generator's small parts where the generated app does not reach every case: a core value
 * as JSON (make/component.ts), a call without a body, the expressions found in a section
 * (make/iml.ts), and how a trigger reads a field whose path only looks like one of its own
 * (make/reading.ts).
 */
import { EVENTS } from '../../core/events';
import { request, toJson } from '../../make/component';
import { expressionsIn } from '../../make/iml';
import { sourceOf } from '../../make/reading';

test('a core value that is not JSON data stops the generator', () => {
  expect(() => toJson(Number.NaN)).toThrow('not JSON data: number');
  expect(() => toJson(Infinity)).toThrow('not JSON data: number');
  expect(() => toJson({ run: () => 1 })).toThrow('not JSON data: function');
  expect(toJson({ a: [1, 'b', true, null] })).toEqual({ a: [1, 'b', true, null] });
});

test('a call without a body is a request without one', () => {
  expect(
    request({ path: '/webhooks/sub_1', method: 'DELETE', permission: 'webhooks:write' }),
  ).toEqual({
    url: '/webhooks/sub_1',
    method: 'DELETE',
  });
});

test('the expressions of a section, in lists and objects, and none in other values', () => {
  expect(
    expressionsIn({ a: ['{{x}}', { b: '{{y}} and {{z}}' }], n: null, k: 5, t: true, u: undefined }),
  ).toEqual(['x', 'y', 'z']);
  expect(expressionsIn(5)).toEqual([]);
  expect(expressionsIn(null)).toEqual([]);
});

describe('a field whose path only looks like the trigger’s own', () => {
  const facts = EVENTS['deal.won'];
  test('a record’s own type is read from the record, not the event’s', () => {
    expect(sourceOf(facts, ['stage', 'type'])).toMatch(/, 'stage\.type'\)\}\}$/);
    expect(sourceOf(facts, ['isao_event', 'type'])).toBe('deal.won');
  });
  test('a record’s own isao_event, or a key under its id, is read from the record', () => {
    expect(sourceOf(facts, ['isao_event'])).toMatch(/, 'isao_event'\)\}\}$/);
    expect(sourceOf(facts, ['id', 'x'])).toMatch(/, 'id\.x'\)\}\}$/);
  });
  test('event metadata the trigger does not know stops the generator', () => {
    expect(() => sourceOf(facts, ['isao_event', 'nonsense'])).toThrow('no event metadata nonsense');
  });
});
