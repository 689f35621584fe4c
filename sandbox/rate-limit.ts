/** The sandbox's rate limit: a fixed window per API key, answered with 429 and Retry-After. */
import { ApiError } from './api-error';

/** At most `requests` per API key in each window of `windowMs`; beyond that, 429. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 600, windowMs: 60_000 };

/** `limit` until `set` changes it; false for none. */
export const createRateLimiter = (limit: RateLimit | false) => {
  let rateLimit = limit;
  const windows = new Map<string, { count: number; resetAt: number }>();

  /** Counts a request; its X-RateLimit headers, or throws 429 when the key is over its limit. */
  const throttle = (key: string): Record<string, string> => {
    if (!rateLimit) return {};
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + rateLimit.windowMs };
      windows.set(key, window);
    }
    window.count += 1;
    const headers = {
      'X-RateLimit-Limit': String(rateLimit.requests),
      'X-RateLimit-Remaining': String(Math.max(0, rateLimit.requests - window.count)),
      'X-RateLimit-Reset': String(Math.ceil(window.resetAt / 1000)),
    };
    if (window.count > rateLimit.requests) {
      const retryAfter = String(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
      throw new ApiError(
        429,
        `Rate limit exceeded: ${String(rateLimit.requests)} requests per ${String(rateLimit.windowMs / 1000)} s. Retry after ${retryAfter} s.`,
        [],
        { ...headers, 'Retry-After': retryAfter },
      );
    }
    return headers;
  };

  return {
    throttle,
    /** A new limit, every window starting afresh. */
    set: (next: RateLimit | false): void => {
      rateLimit = next;
      windows.clear();
    },
    /** One per API key that made a request in the current window. */
    windows: (): number => windows.size,
  };
};
