import type { Logger } from 'pino';
import type { Clock } from '../protocol/clock.js';
import type { ConversationView, StudioEvent } from '../protocol/studio-api.js';
import { ActivityTracker } from './activity-tracker.js';
import type { PlatformLink } from './platform-link/link.js';
import type { ViewMemoryStore } from './settings/view-memory.js';

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

export interface DesignerActivityOptions {
  clock: Clock;
  requireLink: () => PlatformLink;
  /** The bot's inactivity timeout (its Live Training settings), when Studio knows the bot. */
  botTimeout: (bot: string) => number | undefined;
  /** The Platform Studio is connected to, once known: where activity reports are remembered across restarts. */
  platformUrl: () => string | undefined;
  memory: ViewMemoryStore;
  emit: (event: StudioEvent) => void;
  logger?: Logger;
}

/**
 * Studio's side of the inactivity hand-back for one connection: which conversations this designer holds (from
 * the conversation cache), the activity reports to the Platform and whether the last one failed, and the deadline
 * shown to the renderer. A new connection starts it afresh (reset).
 */
export class DesignerActivity {
  private tracker: ActivityTracker;
  /** Whether the last activity report to the Platform failed: the renderer warns the hand-back timer may run out. */
  private reportFailed = false;
  private readonly held = new Map<string, { bot: string; since?: number }>(); // conversationId -> bot, paused at

  constructor(private readonly o: DesignerActivityOptions) {
    this.tracker = this.newTracker();
  }

  get deadline(): number | null {
    return this.tracker.currentDeadline;
  }

  /** Designer input in the app, or one of their own actions (reply, toggle). */
  activity(): void {
    this.tracker.activity();
  }

  /** `activity.report`: counts as activity, and says whether the last report to the Platform failed. */
  report(): { platformReportFailed?: true } {
    this.tracker.activity();
    return this.reportFailed ? { platformReportFailed: true } : {};
  }

  /** A bot's timeout changed, or the bots did: recompute the deadline. */
  refresh(): void {
    this.tracker.refresh();
  }

  /**
   * A restarted Studio: what the designer still holds is handed back at the lease the Platform counts from the
   * last report, not a fresh timeout from now.
   */
  restoreLastReport(platformUrl: string): void {
    const lastReport = this.o.memory.lastActivityReport(platformUrl);
    if (lastReport !== undefined) this.tracker.restoreLastReport(lastReport);
  }

  /** A new connection: nothing is held and nothing was reported on it yet. */
  reset(): void {
    this.tracker.close();
    this.tracker = this.newTracker();
    this.reportFailed = false;
    this.held.clear();
  }

  /** The conversation cache was reset: `views` is every conversation held now. */
  heldReset(views: ConversationView[]): void {
    this.held.clear();
    this.heldChanged(views);
  }

  /** Some conversations changed: those this designer took or gave up change the deadline. */
  heldChanged(views: ConversationView[]): void {
    let changed = false;
    for (const v of views) {
      if (v.heldByMe && !this.held.has(v.id)) {
        this.held.set(v.id, { bot: v.bot, since: v.pausedAt });
        changed = true;
      } else if (!v.heldByMe && this.held.delete(v.id)) {
        changed = true;
      }
    }
    if (changed || views.length === 0) this.tracker.setHeld([...this.held].map(([conversationId, h]) => ({ conversationId, ...h })));
  }

  close(): void {
    this.tracker.close();
  }

  private newTracker(): ActivityTracker {
    return new ActivityTracker({
      clock: this.o.clock,
      // async: a missing link becomes a rejection the tracker logs, never a throw out of `activity()`.
      reportActivity: async () => {
        try {
          await this.o.requireLink().request('designer.activity', {});
          this.reportFailed = false;
        } catch (error) {
          this.reportFailed = true;
          throw error;
        }
      },
      reportIdle: async () => this.o.requireLink().request('designer.idle', {}),
      timeoutFor: (bot) => this.o.botTimeout(bot) ?? DEFAULT_TIMEOUT_MS,
      onDeadline: (deadline) => this.o.emit({ type: 'activity.deadline', deadline }),
      onReported: (at) => {
        const url = this.o.platformUrl();
        if (url) this.o.memory.recordActivityReport(url, at).catch((error: unknown) => this.o.logger?.warn({ err: error }, 'could not remember the activity report'));
      },
      logger: this.o.logger,
    });
  }
}
