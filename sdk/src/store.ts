/**
 * De-duplication: ISAO retries a delivery it thinks failed (up to 3 times, the same
 * `metadata.eventId`), so a receiver claims each event id before running its handlers. The
 * contract every store keeps (the memory store here; shared ones implement the same):
 *
 * - `claim(id)` answers `first` with a token (run it), `duplicate` (it was completed: do not run
 *   it again) or `in-flight` (another worker holds an unexpired lease on it: answer 503, so ISAO
 *   retries later). A lease runs out: a claim whose worker died is claimed again by the next
 *   retry, so no event is lost to a crash between claim and completion.
 * - `complete(id, token)` marks it done, kept for `keepMs` (the replay window: an older retry is
 *   refused as a replay anyway); `release(id, token)` forgets the claim, so a retry runs it.
 * - Both act only for the token of the claim in force: a late worker whose lease ran out and
 *   whose event was claimed again cannot complete or release the new claim (they answer false).
 *
 * Time is passed in (`now`, epoch ms): the receiver reads its one clock (options.now).
 */

export type Claim =
  | { state: 'first'; token: string }
  | { state: 'duplicate' }
  | { state: 'in-flight'; until: number };

export interface DedupStore {
  claim: (eventId: string, lease: { now: number; leaseMs: number }) => Claim | Promise<Claim>;
  complete: (
    eventId: string,
    token: string,
    keep: { now: number; keepMs: number },
  ) => boolean | Promise<boolean>;
  release: (eventId: string, token: string) => boolean | Promise<boolean>;
}

/** How many event ids the memory store holds by default. */
export const MEMORY_STORE_ENTRIES = 10_000;

/**
 * A Map that finds its oldest entry at once. A Map's own iterator walks past every entry deleted
 * since the Map last rehashed: a full store, whose oldest entries go first, walked thousands on
 * each claim. Here each entry is also listed as it is set; an entry deleted or set again since is
 * passed over when met, and the list is made again from the Map once it holds more such entries
 * than live ones: each operation costs the same on average, however full the Map is. An entry
 * is told from a later one of the same key by its value, an object set once.
 */
export class OrderedMap<V extends object> {
  private readonly map = new Map<string, V>();
  /** Every entry in the order it was set (those before `head` passed over): live or left behind. */
  private order: (readonly [string, V])[] = [];
  private head = 0;

  get size(): number {
    return this.map.size;
  }

  /** How many entries the list holds, live or left behind (what it costs in memory): for tests. */
  get listed(): number {
    return this.order.length;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  /** Sets the entry as the newest, even for a key already there. */
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.order.push([key, value]);
    if (this.order.length > 2 * this.map.size + OrderedMap.SLACK) {
      this.order = [...this.map];
      this.head = 0;
    }
  }

  /** The oldest entry, if any. */
  oldest(): readonly [string, V] | undefined {
    for (let entry = this.order[this.head]; entry; entry = this.order[this.head]) {
      if (this.map.get(entry[0]) === entry[1]) return entry;
      this.head += 1;
    }
    return undefined;
  }

  /** The list is made again once longer than twice the live entries and this many more. */
  static readonly SLACK = 64;
}

/** Drops the oldest entries while they expired by `now`. */
const dropExpired = (map: OrderedMap<{ until: number }>, now: number): void => {
  for (let head = map.oldest(); head && head[1].until <= now; head = map.oldest()) {
    map.delete(head[0]);
  }
};

/**
 * The default store: in this process's memory, bounded. Its guarantee: within one process and
 * while the id is held, an event id completed once is never run again, and one being run is run
 * by no other request. Not shared between processes, and lost on a restart (a retry then runs
 * again: a duplicate is better than a lost event). When it holds `maxEntries` ids, a new claim
 * first drops the expired ones, then the oldest completed one; when every id held is a live
 * claim, the claim fails (the receiver answers 503). Each claim costs the same however full it
 * is: claims and completions are kept in two maps in the order they were made, so with the
 * receiver's one lease and one keep the expired ones are the oldest of each, found at its head.
 */
export class MemoryStore implements DedupStore {
  /** Live claims by id, in the order they were made. */
  private readonly claims = new OrderedMap<{ token: string; until: number }>();
  /** Completed ids, in the order they completed. */
  private readonly done = new OrderedMap<{ until: number }>();
  private issued = 0;

  constructor(readonly maxEntries = MEMORY_STORE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('@isao/webhooks: MemoryStore needs maxEntries, a whole number from 1.');
    }
  }

  /** How many event ids are held. */
  get size(): number {
    return this.claims.size + this.done.size;
  }

  claim(eventId: string, { now, leaseMs }: { now: number; leaseMs: number }): Claim {
    const completed = this.done.get(eventId);
    if (completed && completed.until > now) return { state: 'duplicate' };
    const held = this.claims.get(eventId);
    if (held && held.until > now) return { state: 'in-flight', until: held.until };
    // absent, or expired: a lease whose worker is gone, or a completion past its keep
    this.done.delete(eventId);
    this.claims.delete(eventId);
    this.makeRoom(now);
    // Stryker disable next-line AssignmentOperator: a token only has to differ from every other, as counting down gives too
    this.issued += 1;
    const token = `claim-${String(this.issued)}`;
    this.claims.set(eventId, { token, until: now + leaseMs });
    return { state: 'first', token };
  }

  complete(eventId: string, token: string, { now, keepMs }: { now: number; keepMs: number }) {
    if (this.claims.get(eventId)?.token !== token) return false;
    this.claims.delete(eventId);
    this.done.set(eventId, { until: now + keepMs });
    return true;
  }

  release(eventId: string, token: string): boolean {
    if (this.claims.get(eventId)?.token !== token) return false;
    return this.claims.delete(eventId);
  }

  /** Room for one more id: the expired ones go, then the oldest completed one. */
  private makeRoom(now: number): void {
    // Stryker disable next-line ConditionalExpression: a shortcut: dropping expired ids first changes no claim (they count as absent)
    if (this.size < this.maxEntries) return;
    dropExpired(this.done, now);
    dropExpired(this.claims, now);
    if (this.size < this.maxEntries) return;
    const first = this.done.oldest();
    if (first) {
      this.done.delete(first[0]);
      return;
    }
    throw new Error(
      `The memory store holds ${String(this.maxEntries)} events being handled now and no room for another: answer later.`,
    );
  }
}
