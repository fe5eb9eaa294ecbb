import type { Clock, TimerHandle } from '../../protocol/clock.js';

export interface Hold {
  holderId: string;
  bot: string;
  expiresAt: number;
}

/**
 * The Platform's inactivity lease (DESIGN.md section 4): every held conversation has an expiry; one timer on the
 * injected clock waits for the earliest. The owner decides what expiry means (it re-checks the stored state and may
 * renew instead), so a stale timer can never resume a conversation whose holder is still active.
 */
export class InactivityLease {
  private readonly holds = new Map<string, Hold>();
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (conversationId: string, hold: Hold) => void,
  ) {}

  set(conversationId: string, holderId: string, bot: string, expiresAt: number): void {
    this.holds.set(conversationId, { holderId, bot, expiresAt });
    this.arm();
  }

  delete(conversationId: string): void {
    if (this.holds.delete(conversationId)) this.arm();
  }

  get(conversationId: string): Hold | undefined {
    return this.holds.get(conversationId);
  }

  heldBy(holderId: string): Array<{ conversationId: string; bot: string; expiresAt: number }> {
    const out = [];
    for (const [conversationId, h] of this.holds) if (h.holderId === holderId) out.push({ conversationId, bot: h.bot, expiresAt: h.expiresAt });
    return out;
  }

  all(): Array<{ conversationId: string } & Hold> {
    return [...this.holds].map(([conversationId, h]) => ({ conversationId, ...h }));
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.closed) return;
    let earliest = Infinity;
    for (const h of this.holds.values()) if (h.expiresAt < earliest) earliest = h.expiresAt;
    if (earliest === this.timerAt) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, earliest - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const due = [...this.holds].filter(([, h]) => h.expiresAt <= now);
    for (const [id, hold] of due) {
      this.holds.delete(id);
      this.onExpire(id, hold);
    }
    this.arm();
  }
}
