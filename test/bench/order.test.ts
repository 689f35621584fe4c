/**
 * The bench's order of contenders (bench/order.ts): over a cycle of rounds,
 * every contender runs first, and right after each other one, equally often.
 */
import { balancedOrder } from '../../bench/order';

/** How often each item ran first, and right after each other item, over `rounds` rounds. */
const counts = (list: readonly string[], rounds: number) => {
  const first = new Map<string, number>();
  const after = new Map<string, number>();
  for (let round = 0; round < rounds; round += 1) {
    const order = balancedOrder(list, round);
    expect([...order].sort()).toEqual([...list].sort());
    first.set(order[0] ?? '', (first.get(order[0] ?? '') ?? 0) + 1);
    order.slice(1).forEach((item, i) => {
      const pair = `${order[i] ?? ''}>${item}`;
      after.set(pair, (after.get(pair) ?? 0) + 1);
    });
  }
  return { first: [...first.values()], after };
};

describe('balancedOrder', () => {
  it.each([
    [['a', 'b'], 2],
    [['a', 'b', 'c', 'd'], 4],
    [['a', 'b', 'c', 'd', 'e', 'f'], 6],
    [['a', 'b', 'c'], 6],
    [['a', 'b', 'c', 'd', 'e'], 10],
  ])(
    'over a cycle of %j (%i rounds), each is first and after each other equally often',
    (list, rounds) => {
      const { first, after } = counts(list, rounds);
      expect(first).toEqual(list.map(() => rounds / list.length));
      // every ordered pair of two items, each as often as the others
      expect(after.size).toBe(list.length * (list.length - 1));
      expect(new Set(after.values()).size).toBe(1);
    },
  );

  it('starts from the list as given, and the cycle repeats', () => {
    expect(balancedOrder(['a', 'b', 'c', 'd'], 0)).toEqual(['a', 'd', 'b', 'c']);
    expect(balancedOrder(['a', 'b', 'c', 'd'], 1)).toEqual(['b', 'a', 'c', 'd']);
    expect(balancedOrder(['a', 'b', 'c'], 3)).toEqual(['b', 'c', 'a']);
    expect(balancedOrder(['a', 'b', 'c', 'd'], 5)).toEqual(balancedOrder(['a', 'b', 'c', 'd'], 1));
    expect(balancedOrder(['a', 'b', 'c'], 7)).toEqual(balancedOrder(['a', 'b', 'c'], 1));
  });
});
