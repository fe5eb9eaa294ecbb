import type { Clock, TimerHandle } from '../protocol/clock.js';
import type { Log } from './log.js';

export interface HeldConversation {
  conversationId: string;
  bot: string;
  /** When the Platform paused it for this holder (its `pausedAt`): the lease never started before that. */
  since?: number;
}

export interface ActivityTrackerOptions {
  clock: Clock;
  /** Tells the Platform the designer is active (renews the inactivity lease on what they hold). */
  reportActivity: () => Promise<unknown>;
  /** Tells the Platform the designer has been inactive for the timeout: resume what they hold, now. */
  reportIdle: () => Promise<unknown>;
  /** The bot's current inactivity timeout. */
  timeoutFor: (bot: string) => number;
  /** The hand-back deadline changed (ms epoch), or null when the designer holds nothing. */
  onDeadline: (deadline: number | null) => void;
  /** Longest gap between two activity reports while the designer is active; shorter for short timeouts. */
  maxReportGapMs?: number;
  /** An activity report went to the Platform at this moment (Studio keeps it, so a restarted Studio counts from it). */
  onReported?: (at: number) => void;
  /** Studio's pino logger (failures logged as `{ err }`, keeping stacks). */
  logger?: Log;
}

/**
 * The designer's side of the inactivity rule (DESIGN.md section 4). Input in Studio counts as activity; it is
 * reported to the Platform at most once per report gap (first input at once, the latest one at the end of the
 * gap), so the Platform's lease and Studio's countdown rest on the same moment: the last report. When the
 * deadline passes with nothing reported, Studio hands the conversations back itself (`designer.idle`); the
 * Platform applies the same rule on its own lease when Studio is closed or offline.
 */
export class ActivityTracker {
  private held: HeldConversation[] = [];
  /** When the Platform was last told (or the lease last started): the base of the deadline. */
  private lastReportAt: number;
  private lastInputAt: number;
  private trailing: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private deadline: number | null = null;
  private idleSentFor: number | null = null;
  private closed = false;

  constructor(private readonly o: ActivityTrackerOptions) {
    // Nothing reported yet in this run: leases count from when each conversation was taken (see setHeld).
    this.lastReportAt = -Infinity;
    this.lastInputAt = o.clock.now();
  }

  get currentDeadline(): number | null {
    return this.deadline;
  }

  /** Designer input in the app, or one of their own actions (reply, toggle). */
  activity(): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    this.lastInputAt = now;
    if (this.held.length === 0) return; // nothing to renew; a takeover starts its own lease
    const gap = this.reportGap();
    if (now - this.lastReportAt >= gap) {
      this.report(now);
    } else if (!this.trailing) {
      this.trailing = this.o.clock.setTimeout(() => {
        this.trailing = undefined;
        if (this.lastInputAt > this.lastReportAt && this.held.length > 0) this.report(this.o.clock.now());
      }, this.lastReportAt + gap - now);
    }
  }

  /** What the designer holds now (from the conversation cache). */
  setHeld(held: HeldConversation[]): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    const before = new Map(this.held.map((h) => [h.conversationId, h.since]));
    // The Platform's lease on a conversation is max(paused at, holder's last activity) + timeout. Without the
    // Platform's `since` a takeover counts from when Studio first saw it; a Platform clock running ahead of Studio's
    // must not push a lease into the future.
    this.held = held.map((h) => ({ ...h, since: before.get(h.conversationId) ?? Math.min(h.since ?? now, now) }));
    this.refresh();
  }

  /**
   * A Studio that (re)started learns when its previous run last reported activity, so the deadline of what the
   * designer still holds is the Platform's lease expiry, not "timeout from now".
   */
  restoreLastReport(at: number): void {
    if (this.closed) return;
    this.lastReportAt = Math.max(this.lastReportAt, Math.min(at, this.o.clock.now()));
    this.refresh();
  }

  /** Recomputes the deadline (a bot's timeout setting changed). */
  refresh(): void {
    if (this.closed) return;
    if (this.held.length === 0) {
      this.setDeadline(null);
      return;
    }
    // Each held conversation's lease, as the Platform computes it (leaseExpiry); the earliest hands back first.
    this.setDeadline(Math.min(...this.held.map((h) => Math.max(h.since ?? this.lastReportAt, this.lastReportAt) + this.o.timeoutFor(h.bot))));
  }

  close(): void {
    this.closed = true;
    if (this.trailing) this.o.clock.clearTimeout(this.trailing);
    if (this.idleTimer) this.o.clock.clearTimeout(this.idleTimer);
    this.trailing = this.idleTimer = undefined;
  }

  private reportGap(): number {
    const timeout = Math.min(...this.held.map((h) => this.o.timeoutFor(h.bot)));
    // A tenth of the timeout keeps the countdown honest for short test timeouts; 15 s caps the traffic.
    return Math.max(200, Math.min(this.o.maxReportGapMs ?? 15_000, Math.floor(timeout / 10)));
  }

  private report(now: number): void {
    this.lastReportAt = now;
    this.o.onReported?.(now);
    this.o.reportActivity().catch((error: unknown) => this.o.logger?.warn({ err: error }, 'activity report failed'));
    this.refresh();
  }

  private setDeadline(deadline: number | null): void {
    if (deadline === this.deadline) return;
    this.deadline = deadline;
    if (this.idleTimer) this.o.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (deadline !== null) {
      this.idleTimer = this.o.clock.setTimeout(() => this.onIdle(deadline), Math.max(0, deadline - this.o.clock.now()));
    }
    this.o.onDeadline(deadline);
  }

  private onIdle(deadline: number): void {
    this.idleTimer = undefined;
    if (this.closed || this.deadline !== deadline || this.held.length === 0) return;
    if (this.idleSentFor === deadline) return;
    this.idleSentFor = deadline;
    this.o.reportIdle().catch((error: unknown) => this.o.logger?.warn({ err: error }, 'handing back held conversations failed'));
  }
}
