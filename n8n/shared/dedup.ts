/**
 * De-duplication of ISAO's retries for the n8n trigger. ISAO retries a delivery it thinks failed
 * (up to 3 times, with the same `metadata.eventId`); Zapier dedupes through its cache, but n8n
 * gives a webhook no such store, and the node's static data is not saved when the webhook starts
 * an execution (docs/n8n.md). So the memory is in the process: one map per loaded package, keyed
 * by a digest of the subscription a delivery came through (the trigger's `subscriptionScope`:
 * workflow, node, and the published workflow's webhook or a test listen's) + event id: ISAO
 * retries a delivery to its own subscription, and sends one event to each subscription, which
 * must each run it. Each entry is kept DEDUP_TTL_SECONDS (the window in which ISAO delivers and
 * retries, also the replay window: an older signed event is refused anyway) and at most
 * MAX_REMEMBERED entries, the oldest forgotten first. No timer: expired entries are dropped when
 * the next delivery claims its events.
 *
 * Guarantee: within one n8n main process, an event id already run through this subscription in
 * the last DEDUP_TTL_SECONDS starts no second execution. Not kept across a restart, not shared
 * between queue-mode webhook processes, and an entry pushed out by MAX_REMEMBERED newer ones is
 * forgotten: in those cases a retry runs again (a duplicate is better than a lost event).
 */
import { createHash } from 'node:crypto';
import { DEDUP_TTL_SECONDS } from '../../core/signatures';

/** About 100 bytes each (a fixed-size digest and a number): a few megabytes at most. */
export const MAX_REMEMBERED = 20_000;

/** Event ids a trigger has delivered, each until it expires. */
export class DeliveredEvents {
  /** Digest → expiry (epoch ms); a Map keeps insertion order, which is expiry order. */
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs = DEDUP_TTL_SECONDS * 1000,
    private readonly capacity = MAX_REMEMBERED,
  ) {}

  /** How many entries are held (for tests and the size bound). */
  get size(): number {
    return this.expiries.size;
  }

  /**
   * Claims each event id for `scope` (the subscription) at `now`: true for an id not delivered
   * within the window, which is remembered from now on; false for one already delivered. One id
   * given twice is first only once.
   */
  claim(
    scope: readonly (string | undefined)[],
    eventIds: readonly string[],
    now: number,
  ): boolean[] {
    this.forgetExpired(now);
    return eventIds.map((eventId) => {
      const key = digest([...scope, eventId]);
      // what is still here has not expired: forgetExpired has just dropped the rest
      if (this.expiries.has(key)) return false;
      this.expiries.set(key, now + this.ttlMs);
      this.forgetOverflow();
      return true;
    });
  }

  /** Drops entries from the oldest while they have expired. */
  private forgetExpired(now: number): void {
    for (const [key, until] of this.expiries) {
      if (until > now) return;
      this.expiries.delete(key);
    }
  }

  /** Drops the oldest entries beyond the capacity. */
  private forgetOverflow(): void {
    for (const key of this.expiries.keys()) {
      if (this.expiries.size <= this.capacity) return;
      this.expiries.delete(key);
    }
  }
}

/** A fixed-size key: an event id is the sender's text, of any length. */
const digest = (parts: readonly (string | undefined)[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64');

/** The process's memory: one per loaded package, shared by every ISAO Trigger node in it. */
export const DELIVERED = new DeliveredEvents();
