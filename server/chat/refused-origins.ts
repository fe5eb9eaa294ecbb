import type { Clock } from '../../protocol/clock.js';

/** One note per site and bot in this long: a busy refused site must not flood designers or the database. */
export const REFUSAL_NOTE_INTERVAL_MS = 10 * 60_000;

/**
 * A page on a site not in the bot's allowed origins asked for the widget: designers should learn which site, for which
 * bot, so they can allow it (Studio shows it beside the list, with an "Allow" button). Rate-limited per bot and site.
 */
export class RefusedOrigins {
  private readonly notedAt = new Map<string, number>();

  constructor(
    private readonly o: {
      clock: Clock;
      /** Stores the refusal in the bot's settings and tells designers (a `settings.updated` event with it). */
      note: (bot: string, origin: string, at: number) => Promise<unknown>;
      /** The note could not be stored (logged; the refusal itself stands). */
      onError?: (error: unknown) => void;
    },
  ) {}

  refused(bot: string, origin: string | undefined): void {
    if (!origin || origin.length > 300) return;
    const key = `${bot} ${origin}`;
    const now = this.o.clock.now();
    const last = this.notedAt.get(key);
    if (last !== undefined && now - last < REFUSAL_NOTE_INTERVAL_MS) return;
    this.notedAt.set(key, now);
    // Old keys go, so a stream of made-up origins cannot grow the map without bound.
    if (this.notedAt.size > 10_000) for (const [k, at] of this.notedAt) if (now - at >= REFUSAL_NOTE_INTERVAL_MS) this.notedAt.delete(k);
    this.o.note(bot, origin, now).catch((error: unknown) => this.o.onError?.(error));
  }
}
