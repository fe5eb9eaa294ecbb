import type { Clock } from '../../protocol/clock.js';
import { TokenBucket } from './token-bucket.js';

/** One token bucket per key (a remote address, a session), forgetting keys that have been quiet for a while. */
export class RateLimiterMap {
  private readonly buckets = new Map<string, { bucket: TokenBucket; usedAt: number }>();
  private lastSweep: number;

  constructor(
    private readonly clock: Clock,
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly forgetAfterMs = 10 * 60_000,
  ) {
    this.lastSweep = clock.now();
  }

  take(key: string): ReturnType<TokenBucket['take']> {
    const now = this.clock.now();
    if (now - this.lastSweep > this.forgetAfterMs) this.sweep(now);
    let entry = this.buckets.get(key);
    if (!entry) this.buckets.set(key, (entry = { bucket: new TokenBucket(this.clock, this.burst, this.perSecond), usedAt: now }));
    entry.usedAt = now;
    return entry.bucket.take();
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, entry] of this.buckets) if (now - entry.usedAt > this.forgetAfterMs) this.buckets.delete(key);
  }
}
