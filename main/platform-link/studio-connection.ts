import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import type { LiveTrainingSettings } from '../../protocol/bot-settings.js';
import type { DesignerRef } from '../../protocol/conversation.js';
import type { LearnedChangedEvent } from '../../protocol/learned.js';
import type { ConversationCache } from '../conversation-cache.js';
import { FileReadMarks, MemoryReadMarks, type ReadMarks } from '../read-marks.js';
import { isConfigured } from '../settings/schema.js';
import type { Settings } from '../settings/settings.js';
import { defaultDesignerName } from '../settings/designer-name.js';
import { AppError } from '../../protocol/errors.js';
import type { EmbeddedPlatformPort, LinkTuning } from '../studio-ports.js';
import { PlatformLink, type LinkState } from './link.js';

export type ConnectionState = LinkState | { status: 'unconfigured'; lastError?: string; retryAt?: undefined };

export interface StudioConnectionOptions {
  settings: Settings;
  embedded?: EmbeddedPlatformPort;
  clock: Clock;
  random: () => number;
  newId: () => string;
  link?: LinkTuning;
  /** The conversation cache the link fills (snapshots, events, this designer's read marks). */
  cache: ConversationCache;
  /** Where read marks are kept across restarts (one file per Platform and designer); in memory when unset. */
  readMarksDir?: string;
  logger?: Logger;
  /** Studio drops what it knew of the old Platform (a new connection starts). */
  onReset(): void;
  /** The Platform welcomed this designer (before its bots are taken in). */
  onWelcome(platformUrl: string): void;
  /** The bots or their settings changed (a welcome, a settings event, a bot created or deleted). */
  onBotsChanged(): void;
  /** The connection's state changed: the renderer is told. */
  onStateChanged(): void;
  /** A bot's learned categories changed on the Platform (the Training mirror takes it). */
  onLearnedChanged?(event: LearnedChangedEvent): void;
}

/**
 * Studio's connection to one Platform over its life: connect (starting Studio's own Platform when that is the
 * choice), switch to another Platform, renew the local designer's token once when its data was reset, and follow
 * the link's status, welcome, snapshots and events. What it learns of the Platform (URL, designer, bots) lives
 * here and is dropped on every new connection.
 */
export class StudioConnection {
  private link: PlatformLink | undefined;
  private generation = 0;
  private closed = false;
  private readMarks: ReadMarks | undefined;
  state: ConnectionState = { status: 'unconfigured' };
  platformUrl: string | undefined;
  designer: DesignerRef | undefined;
  readonly bots = new Map<string, LiveTrainingSettings>();

  constructor(private readonly o: StudioConnectionOptions) {}

  /** (Re)connects after start or a change of Platform; whatever Studio knew of the old Platform is dropped. */
  async connect(): Promise<void> {
    const generation = ++this.generation;
    this.link?.close();
    this.link = undefined;
    this.bots.clear();
    this.designer = undefined;
    this.platformUrl = undefined;
    this.o.onReset();
    const s = this.o.settings.get();
    if (!isConfigured(s)) {
      this.setState({ status: 'unconfigured' });
      return;
    }
    this.setState({ status: 'connecting' });
    let target: { url: string; token: string };
    if (s.embedded) {
      // The local designer is created with the chosen name; never with the account name "root" (issue 10).
      if (s.designerName === undefined) this.o.settings.update({ designerName: defaultDesignerName() });
      if (!this.o.embedded) {
        this.setState({ status: 'unconfigured', lastError: 'This Studio cannot run a local Platform; connect to a remote one.' });
        return;
      }
      try {
        target = await this.o.embedded.start();
      } catch (error) {
        if (generation !== this.generation) return;
        this.o.logger?.error({ err: error }, 'the embedded Platform did not start');
        this.setState({ status: 'reconnecting', lastError: `The local Platform did not start: ${(error as Error).message}` });
        return;
      }
    } else {
      target = { url: s.platformUrl!, token: s.token! };
    }
    if (generation !== this.generation) return;
    this.open(target, generation, s.embedded);
  }

  /** The link, or the refusal the designer sees when there is none. */
  requireLink(): PlatformLink {
    if (!this.link) {
      throw new AppError('unconfigured', this.closed ? 'Studio is shutting down.' : 'Studio is not connected to a Platform yet: choose one first.');
    }
    return this.link;
  }

  /** The link when there is one (no refusal: the caller has a fallback). */
  currentLink(): PlatformLink | undefined {
    return this.link;
  }

  close(): void {
    this.closed = true;
    this.generation++;
    this.link?.close();
    this.link = undefined;
  }

  flushReadMarks(): Promise<void> | undefined {
    return this.readMarks?.flush();
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.o.onStateChanged();
  }

  private open(target: { url: string; token: string }, generation: number, embedded: boolean, renewed = false): void {
    this.platformUrl = target.url;
    const link = new PlatformLink({
      url: target.url,
      token: target.token,
      clock: this.o.clock,
      random: this.o.random,
      newId: this.o.newId,
      ...this.o.link,
      logger: this.o.logger,
    });
    this.link = link;
    link.subscribe({
      status: (state) => {
        if (this.link !== link) return;
        if (state.status === 'unauthorized' && embedded && !renewed && this.o.embedded) {
          // Studio's own Platform lost its designer (its data folder was reset): make a new one, once.
          link.close();
          this.o.embedded
            .renewToken()
            .then((t) => generation === this.generation && this.open(t, generation, embedded, true))
            .catch((error: unknown) => this.o.logger?.error({ err: error }, 'could not renew the local designer token'));
          return;
        }
        this.setState(state);
      },
      welcome: (w) => {
        if (this.designer?.id !== w.designer.id) this.o.cache.useReadMarks(this.readMarksFor(target.url, w.designer.id));
        this.designer = w.designer;
        this.o.cache.setDesigner(w.designer);
        this.o.onWelcome(target.url);
        // The welcome lists every bot there is now: one deleted while Studio was away must go.
        this.bots.clear();
        for (const b of w.bots) this.bots.set(b.name, b.settings);
        this.o.onBotsChanged();
      },
      snapshot: (snap) => this.o.cache.applySnapshot(snap.bot, snap.conversations),
      event: (envelope) => {
        const e = envelope.event;
        if (e.type === 'settings.updated' || e.type === 'bot.created') {
          this.bots.set(e.bot, e.settings);
          this.o.onBotsChanged();
          return;
        }
        if (e.type === 'learned.changed') {
          this.o.onLearnedChanged?.(e);
          return;
        }
        if (e.type === 'bot.deleted') {
          this.bots.delete(e.bot);
          this.o.onBotsChanged();
          return;
        }
        this.o.cache.applyEvent(envelope);
      },
    });
    link.start();
  }

  private readMarksFor(platformUrl: string, designerId: string): ReadMarks {
    if (!this.o.readMarksDir) return new MemoryReadMarks();
    this.readMarks?.flush().catch(() => undefined);
    const name = createHash('sha256').update(`${platformUrl}\n${designerId}`).digest('hex').slice(0, 24);
    this.readMarks = new FileReadMarks(join(this.o.readMarksDir, `${name}.json`), this.o.clock);
    return this.readMarks;
  }
}
