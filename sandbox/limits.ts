/**
 * What the sandbox keeps in memory, and how much of it: everything that grows with requests is
 * capped, so `npm run sandbox` under a load test stays within a fixed size however long it runs.
 * When a cap is reached the oldest entries go and the newest stay (records, events, delivery
 * attempts, queued deliveries); a new subscription beyond its cap is refused with 409 instead,
 * since silently forgetting one would leave a Zap without its webhooks.
 *
 * With the defaults and every record at its largest (16 KiB as JSON), what is kept stays under
 * about 165 MiB: 3 × 2000 records (94 MiB), 1000 event snapshots (16 MiB), 100 subscriptions ×
 * 512 KiB of waiting events (50 MiB), 100 subscriptions of at most ~45 KiB each (under 5 MiB)
 * and 1000 delivery attempts (under 1 MiB). With typical
 * records of under 1 KiB, and healthy webhook targets, it is a few MiB. The rate-limit windows
 * are one per API key, so two.
 */
export interface SandboxLimits {
  /** Contacts, deals and appointments, each: beyond it the oldest-created record is forgotten. */
  records: number;
  /** A record's size as JSON, in bytes: a create or update making it larger answers 413. */
  recordBytes: number;
  /** Events kept for `/triggers/:event/recent` and `sandbox.events` (all event types together). */
  events: number;
  /** Delivery attempts kept for `/sandbox/deliveries` and `sandbox.deliveries`. */
  deliveryAttempts: number;
  /**
   * Bytes of events waiting for one subscription (behind a slow or hanging target): beyond it the
   * oldest waiting events are dropped, each logged. The newest always waits, whatever its size.
   */
  queuedBytesPerSubscription: number;
  /** Active webhook subscriptions: one more answers 409 until one is deleted. */
  subscriptions: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = {
  records: 2000,
  recordBytes: 16 * 1024,
  events: 1000,
  deliveryAttempts: 1000,
  queuedBytesPerSubscription: 512 * 1024,
  subscriptions: 100,
};

/** Removes the oldest entries of `list` (in place, so views of it stay current) beyond `max`. */
export const keepNewest = (list: unknown[], max: number): void => {
  if (list.length > max) list.splice(0, list.length - max);
};

/** A subscription's target_url, in characters (longer: 422). */
export const MAX_TARGET_URL_LENGTH = 2048;
/** Values in one subscription filter, and characters in one value (more: 422). */
export const MAX_FILTER_VALUES = 50;
export const MAX_FILTER_VALUE_LENGTH = 200;
