import type { EventEnvelope } from '../../protocol/designer-wire.js';
import { systemClock, type Clock, type TimerHandle } from '../../protocol/clock.js';
import { RerunPerKey } from '../rerun-per-key.js';
import type { StorageReads } from '../storage/storage.js';

/** The channel committed events are announced on; the payload is `{"bot":..., "id":...}` (an id, never the event). */
export const EVENTS_CHANNEL = 'lts_events';

/** How many events one read takes while catching up (a long gap is read in pages). */
const PAGE = 500;

/** `from`: the instance that committed the events (it delivers them to its own sockets itself, without a read). */
export function eventAnnouncement(bot: string, id: number, from?: string): string {
  return JSON.stringify(from === undefined ? { bot, id } : { bot, id, from });
}

/**
 * How long this instance's own event may wait for the ones before it (committed by this instance, their commits
 * answered on other connections a moment later) before the gap is taken for another instance's and read.
 */
export const LOCAL_GAP_MS = 100;

/** What the bridge needs of PostgreSQL's LISTEN (`PostgresNotifications` has this shape). */
export interface EventAnnouncements {
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  /** After the listening connection came back: announcements sent meanwhile are lost, so the bridge catches up. */
  onReconnect(callback: () => void): () => void;
}

export interface EventBridgeOptions {
  storage: Pick<StorageReads, 'botNames' | 'lastEventId' | 'eventsAfter'>;
  announcements: EventAnnouncements;
  /** This instance's event hub: every event of every instance, each once, in id order per bot. */
  publish: (envelope: EventEnvelope) => void;
  /**
   * Announces this instance's commits to the others (`SELECT pg_notify(EVENTS_CHANNEL, payload)`). Sent after the
   * commit, once per bot per turn with its newest id; an announcement lost to a crash in between is made up for by
   * the others' periodic `catchUpAll`. Absent: the storage announces each commit of events itself, inside the
   * transaction (`announceEventsOn`, postgres-storage.ts), which costs no statement of its own and loses nothing.
   */
  announce?: (payload: string) => Promise<void>;
  onError: (error: unknown, bot: string) => void;
  /** This instance's id: its own announcements (`from`) are ignored, its events come through `local`. */
  instanceId?: string;
  /** The timer of LOCAL_GAP_MS (default: the system's). */
  clock?: Clock;
}

/**
 * Makes the events committed by every Platform instance reach this instance's designer and chat sockets, so a designer
 * connected anywhere sees one Platform. Each instance announces its commits on `EVENTS_CHANNEL`; the bridge reads the
 * events themselves from the database by id (`eventsAfter(bot, lastSeen)`) and publishes them in id order, each once,
 * so the resume-from-event-id guarantee holds across instances: a designer that reconnects to another instance with
 * its last id gets exactly what it missed. This instance's own events are published from memory, without a read: at
 * once when they are the next id, else once the ones before them arrive (its concurrent commits are answered in any
 * order); a gap that stays open for LOCAL_GAP_MS is another instance's whose announcement was lost, and it is read.
 */
export class EventBridge {
  /** The last id published to this instance's hub, per bot. */
  private readonly lastSeen = new Map<string, number>();
  /** One catch-up per bot at a time; asked again while it runs, it reads once more when done (nothing is missed). */
  private readonly catchingUp = new RerunPerKey(
    (bot) => this.readNew(bot),
    (error, bot) => this.o.onError(error, bot),
    () => !this.closed,
  );
  /** Catch-ups of every bot still listing the bots (not yet in `catchingUp`). */
  private readonly listing = new Set<Promise<void>>();
  /** This turn's commits to announce: the newest id per bot. */
  private toAnnounce = new Map<string, number>();
  private stopReconnect: (() => void) | undefined;
  private closed = false;
  /**
   * This instance's events that came before the ones ahead of them, per bot, by id: several connections commit
   * concurrently, and their answers arrive in any order. Published as soon as the gap closes.
   */
  private readonly early = new Map<string, { events: Map<number, EventEnvelope>; timer: TimerHandle }>();
  private readonly clock: Clock;

  constructor(private readonly o: EventBridgeOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** From now on: events committed before start are history (designers get them by resuming), not news. */
  async start(): Promise<void> {
    for (const bot of await this.o.storage.botNames()) this.lastSeen.set(bot, await this.o.storage.lastEventId(bot));
    await this.o.announcements.listen(EVENTS_CHANNEL, (payload) => this.announced(payload));
    this.stopReconnect = this.o.announcements.onReconnect(() => void this.catchUpAll());
  }

  /** An event this instance committed (its afterCommit): published now when it is the next one, else read in order. */
  local(envelope: EventEnvelope): void {
    if (this.closed) return;
    this.announceLater(envelope);
    const { bot } = envelope;
    const last = this.lastSeen.get(bot) ?? 0;
    if (envelope.id <= last) return;
    if (envelope.id === last + 1 && !this.catchingUp.isRunning(bot)) {
      this.lastSeen.set(bot, envelope.id);
      this.o.publish(envelope);
      this.publishEarly(bot);
      return;
    }
    if (this.catchingUp.isRunning(bot)) return void this.catchUp(bot);
    // A gap: most often this instance's own earlier event, whose commit is answered a moment later; else another
    // instance's, whose announcement starts a read at once; the timer covers an announcement that never comes.
    let early = this.early.get(bot);
    if (!early) {
      early = { events: new Map(), timer: this.clock.setTimeout(() => this.gapTimedOut(bot), LOCAL_GAP_MS) };
      this.early.set(bot, early);
    }
    early.events.set(envelope.id, envelope);
  }

  /** Publishes the early events that now follow without a gap. */
  private publishEarly(bot: string): void {
    const early = this.early.get(bot);
    if (!early) return;
    for (;;) {
      const next = (this.lastSeen.get(bot) ?? 0) + 1;
      const envelope = early.events.get(next);
      if (!envelope) break;
      early.events.delete(next);
      this.lastSeen.set(bot, next);
      this.o.publish(envelope);
    }
    const last = this.lastSeen.get(bot) ?? 0;
    for (const id of early.events.keys()) if (id <= last) early.events.delete(id);
    if (early.events.size === 0) this.dropEarly(bot);
  }

  private dropEarly(bot: string): void {
    const early = this.early.get(bot);
    if (!early) return;
    this.clock.clearTimeout(early.timer);
    this.early.delete(bot);
  }

  private gapTimedOut(bot: string): void {
    const early = this.early.get(bot);
    if (!early) return;
    this.early.delete(bot);
    // The read publishes the early events too, from the log, each once.
    void this.catchUp(bot);
  }

  /** Reads every bot's new events (after the listening connection was lost, and as a periodic safety net). */
  catchUpAll(): Promise<void> {
    const listed = this.o.storage.botNames().then(
      (bots) => {
        this.listing.delete(listed);
        return Promise.all(bots.map((bot) => this.catchUp(bot))).then(() => undefined);
      },
      (error: unknown) => {
        this.listing.delete(listed);
        this.o.onError(error, '*');
      },
    );
    this.listing.add(listed);
    return listed;
  }

  close(): void {
    this.closed = true;
    this.stopReconnect?.();
    for (const bot of [...this.early.keys()]) this.dropEarly(bot);
  }

  /** Resolves when every catch-up running now is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.catchingUp.size > 0 || this.listing.size > 0) await Promise.all([...this.listing, this.catchingUp.settled()]);
  }

  private announceLater(envelope: EventEnvelope): void {
    if (!this.o.announce) return;
    if (this.toAnnounce.size === 0) setImmediate(() => this.announceNow());
    this.toAnnounce.set(envelope.bot, Math.max(envelope.id, this.toAnnounce.get(envelope.bot) ?? 0));
  }

  private announceNow(): void {
    const batch = this.toAnnounce;
    this.toAnnounce = new Map();
    for (const [bot, id] of batch) this.o.announce!(eventAnnouncement(bot, id, this.o.instanceId)).catch((error: unknown) => this.o.onError(error, bot));
  }

  private announced(payload: string): void {
    let bot: unknown;
    let id: unknown;
    let from: unknown;
    try {
      ({ bot, id, from } = JSON.parse(payload) as { bot?: unknown; id?: unknown; from?: unknown });
    } catch {
      return this.o.onError(new Error(`an event announcement that is not JSON: ${payload.slice(0, 200)}`), '?');
    }
    if (typeof bot !== 'string' || typeof id !== 'number') return this.o.onError(new Error(`an event announcement without bot and id: ${payload.slice(0, 200)}`), '?');
    // This instance's own commits reach it through `local`, in order, without a read.
    if (from !== undefined && from === this.o.instanceId) return;
    if (id > (this.lastSeen.get(bot) ?? 0)) void this.catchUp(bot);
  }

  private catchUp(bot: string): Promise<void> {
    return this.catchingUp.request(bot);
  }

  private async readNew(bot: string): Promise<void> {
    for (;;) {
      const after = this.lastSeen.get(bot) ?? 0;
      const events = await this.o.storage.eventsAfter(bot, after, PAGE);
      for (const envelope of events) {
        if (this.closed) return;
        // Published in id order, each once: a local event may have gone out while this read was on its way.
        if (envelope.id <= (this.lastSeen.get(bot) ?? 0)) continue;
        this.lastSeen.set(bot, envelope.id);
        this.o.publish(envelope);
      }
      if (events.length < PAGE) {
        // Early local events the read reached are out; the rest wait for their gap again.
        this.publishEarly(bot);
        return;
      }
    }
  }
}
