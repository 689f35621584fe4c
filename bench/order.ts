/**
 * Round `round`'s order of the list, from a balanced (Williams) design: over each cycle of rounds
 * (n of them for n items, 2n when n is odd) every item runs first equally often, and right after
 * each other item equally often. A plain rotation keeps the items' cyclic order, so one item
 * always runs right after the same other one: on whatever that one left behind (its garbage to
 * collect, the caches it filled), a carry-over the medians would keep.
 */
export const balancedOrder = <T>(list: readonly T[], round: number): T[] => {
  const n = list.length;
  // row j of the design holds item (k_j + round) mod n, for k = 0, n - 1, 1, n - 2, 2, …
  const place = (i: number) => {
    const k = (((i - round) % n) + n) % n;
    return 2 * k < n ? 2 * k : 2 * (n - k) - 1;
  };
  const row = list
    .map((item, i) => ({ item, at: place(i) }))
    .sort((a, b) => a.at - b.at)
    .map(({ item }) => item);
  // with n odd, the second half of the cycle runs each row backwards
  return n % 2 === 1 && Math.floor(round / n) % 2 === 1 ? row.reverse() : row;
};
