/** What a rate limit says to one action: go ahead, or not before `retryAfterMs`. */
export type LimitDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * A family of token buckets, one per key (a session, an address, a designer). Callers see only this, so the
 * in-memory store of one Platform process (`MemoryRateLimit`) can be swapped for one shared by a cluster (kept in
 * the database) without touching the gateways.
 */
export interface RateLimit {
  /** Takes one token from `key`'s bucket. */
  take(key: string): LimitDecision;
}

/**
 * The same, where the answer may have to come from the database first (a bucket shared by a cluster:
 * shared-rate-limit.ts). Every `RateLimit` is one.
 */
export interface AsyncRateLimit {
  take(key: string): LimitDecision | Promise<LimitDecision>;
}

export interface RateLimitShape {
  /** Actions allowed at once. */
  burst: number;
  /** Refill rate, actions per second. */
  perSecond: number;
}
