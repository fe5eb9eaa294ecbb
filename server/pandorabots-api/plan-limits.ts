import type { Clock } from '../../protocol/clock.js';
import type { AsyncRateLimit } from '../limits/rate-limit.js';

/**
 * Plan-style limits, as Pandorabots enforces per account: talk calls per minute (over it: 429), bots per app
 * (creating one more: 401, as Pandorabots answers an over-plan create), anonymous atalk clients over the app's
 * lifetime (Pandorabots allows 10,000; over it: 429).
 */
export interface PlanLimits {
  talkCallsPerMinute: number;
  maxBots: number;
  maxAnonymousClients: number;
}

export const DEFAULT_PLAN_LIMITS: PlanLimits = {
  talkCallsPerMinute: 6000,
  maxBots: 100,
  maxAnonymousClients: 10_000,
};

/** Counts talk calls in the current clock minute (a fixed window: cheap, and predictable for clients). */
export class TalkCallMeter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
    /**
     * A cluster's count, shared by its instances (a bucket of `perMinute` tokens that never refills, one per app and
     * minute: shared-rate-limit.ts); without it, this process counts.
     */
    private readonly shared?: { store: AsyncRateLimit; key: string },
  ) {}

  /** Count one call (in the cluster's count when there is one); false when the plan's limit for this minute is used up. */
  async admit(): Promise<boolean> {
    if (!this.shared) return this.take();
    this.windowStart = Math.floor(this.clock.now() / 60_000) * 60_000;
    return (await this.shared.store.take(`${this.shared.key}:${this.windowStart}`)).ok;
  }

  /** Count one call; false when the plan's limit for this minute is used up. */
  take(): boolean {
    const now = this.clock.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    if (minute !== this.windowStart) {
      this.windowStart = minute;
      this.count = 0;
    }
    if (this.count >= this.perMinute) return false;
    this.count++;
    return true;
  }

  /** Seconds until the next window opens (for Retry-After). */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.windowStart + 60_000 - this.clock.now()) / 1000));
  }
}
