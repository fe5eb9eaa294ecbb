import type { Clock } from '../../protocol/clock.js';
import { ReportReason, type ContentReport, type DomainEvent } from '../../protocol/designer-wire.js';
import { RateLimiterMap } from '../limits/rate-limiter-map.js';
import type { Storage, StorageTx } from '../storage/storage.js';

/** Longest report a visitor may write. */
export const REPORT_DETAILS_CHARS = 2000;

export type ReportOutcome =
  | { ok: true; report: ContentReport }
  | { ok: false; status: 400; problem: string }
  | { ok: false; status: 429; problem: string; retryAfterMs: number };

/**
 * "Report content" on a Landing Page (Pandorabots has it too): a visitor flags spam, adult content or a copyright
 * problem. The report is stored, and designers hear of it at once (a `content.reported` event) and can list them
 * (`bot.reports`); the Platform's operator lists them with `npm run platform -- reports`. Anonymous: no address or
 * session is kept, only a per-address rate limit in memory so a script cannot bury the real ones.
 */
export class ContentReports {
  private readonly limiter: RateLimiterMap;

  constructor(
    private readonly deps: {
      storage: Storage;
      clock: Clock;
      /** Appends the event in the caller's transaction (ConversationService.publishIn). */
      publishIn: (tx: StorageTx, bot: string, event: DomainEvent) => Promise<number>;
      rate?: { burst: number; perSecond: number };
    },
  ) {
    const rate = deps.rate ?? { burst: 5, perSecond: 1 / 60 };
    this.limiter = new RateLimiterMap(deps.clock, rate.burst, rate.perSecond);
  }

  /** Validates a submitted form; stores the report and tells designers, durably before the visitor is thanked. */
  async submit(bot: string, form: { reason?: string | null; details?: string | null }, remote: string): Promise<ReportOutcome> {
    const reason = ReportReason.safeParse(form.reason ?? '');
    if (!reason.success) return { ok: false, status: 400, problem: 'Choose what is wrong with this page.' };
    const details = (form.details ?? '').trim();
    if (details.length > REPORT_DETAILS_CHARS) {
      return { ok: false, status: 400, problem: `The details are at most ${REPORT_DETAILS_CHARS} characters: these are ${details.length - REPORT_DETAILS_CHARS} too long.` };
    }
    const allowed = this.limiter.take(remote);
    if (!allowed.ok) {
      const minutes = Math.ceil(allowed.retryAfterMs / 60_000);
      return { ok: false, status: 429, problem: `Too many reports from your network: please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, retryAfterMs: allowed.retryAfterMs };
    }
    const { storage, clock, publishIn } = this.deps;
    const report = await storage.transaction(
      async (tx) => {
        const stored = await tx.insertContentReport({ bot, reason: reason.data, details, at: clock.now() });
        await publishIn(tx, bot, { type: 'content.reported', report: stored });
        return stored;
      },
      { durable: true },
    );
    return { ok: true, report };
  }

  list(bot: string | undefined, limit: number): Promise<ContentReport[]> {
    return this.deps.storage.contentReports(bot, limit);
  }
}
