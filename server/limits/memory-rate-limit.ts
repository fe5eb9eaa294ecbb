import type { Clock } from '../../protocol/clock.js';
import type { LimitDecision, RateLimit, RateLimitShape } from './rate-limit.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets in this process's memory, bounded: a bucket outlives the socket that used it (so reconnecting never
 * refills an allowance), is forgotten once it has been idle long enough to be full again (forgetting it then changes
 * nothing), and at most `maxKeys` are kept. Past that, the least recently used bucket goes first: an attacker who
 * makes up millions of session keys gains a fresh session allowance, but the per-address limit still holds them.
 */
export class MemoryRateLimit implements RateLimit {
  /** In least-recently-used order: a used bucket is moved to the end, so the stalest are first. */
  private readonly buckets = new Map<string, Bucket>();
  /** Idle this long, a bucket is full again whatever it held. */
  private readonly refillMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly shape: RateLimitShape,
    private readonly maxKeys = 50_000,
  ) {
    this.refillMs = Math.ceil((shape.burst / shape.perSecond) * 1000);
  }

  /** Buckets held now (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  take(key: string): LimitDecision {
    const now = this.clock.now();
    this.forgetIdle(now);
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.shape.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.shape.perSecond);
      bucket.updatedAt = now;
    } else {
      bucket = { tokens: this.shape.burst, updatedAt: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.shape.perSecond) * 1000) };
  }

  /** The stalest come first, so this stops at the first bucket still in use: amortised O(1) per take. */
  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt < this.refillMs) return;
      this.buckets.delete(key);
    }
  }
}
