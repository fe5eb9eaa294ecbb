import { createHash, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../protocol/clock.js';
import type { LiveTrainingSettings } from '../protocol/bot-settings.js';
import type { DesignerRef, Message } from '../protocol/conversation.js';
import type { AppState, ConversationView, StudioResult } from '../protocol/studio-api.js';
import { ActivityTracker } from './activity-tracker.js';
import { ConversationCache, type CacheChange } from './conversation-cache.js';
import { NotificationPolicy, type Notifier } from './notifications.js';
import { PlatformLink, type LinkState, type PlatformLinkOptions } from './platform-link/link.js';
import { FileReadMarks, MemoryReadMarks, type ReadMarks } from './read-marks.js';
import { isConfigured, settingsView } from './settings/schema.js';
import type { Settings } from './settings/settings.js';
import { defaultDesignerName } from './settings/designer-name.js';
import { ViewMemoryStore } from './settings/view-memory.js';
import { createDispatcher, StudioApiError, type StudioDispatcher, type StudioHandlers } from './studio-api/dispatcher.js';
import { StudioEventStream } from './studio-api/event-stream.js';
import type { SaveFilePort } from './save-file.js';
import { CaptureFailures } from './workspace/capture-failures.js';
import { trainingHandlers } from './workspace/training-handlers.js';
import type { TrainingHost } from './workspace/training-host.js';

/** Studio's own local Platform, started on demand (main/embedded-platform.ts implements it). */
export interface EmbeddedPlatformPort {
  /** Starts the Platform if needed; resolves with its URL and this designer's token. */
  start(): Promise<{ url: string; token: string }>;
  /** The remembered token was refused (the Platform's data was reset): create a new local designer. */
  renewToken(): Promise<{ url: string; token: string }>;
  close(): Promise<void>;
}

/** Learns from each designer reply (main/workspace/ implements it). */
export interface ReplyCapturePort {
  captureReply(reply: {
    bot: string;
    conversationId: string;
    /** The designer's reply as the Platform stored it. */
    message: Message;
    captureThat: boolean;
    workspaceDir: string;
    /** The messages just before `beforeSeq`, oldest first (what the reply answers). */
    messagesBefore: (beforeSeq: number) => Promise<Message[]>;
  }): Promise<void>;
  /** The workspace (main/workspace/) also serves the Training view: Studio hands it what it needs. */
  attach?(host: TrainingHost): void;
  close?(): void;
}

export type LinkTuning = Pick<PlatformLinkOptions, 'backoff' | 'heartbeatMs' | 'deadPeerMs' | 'requestTimeoutMs' | 'mutatingTimeoutMs'>;

export interface StudioOptions {
  host: AppState['host'];
  settings: Settings;
  /** Where `pand_livetraining.aiml` goes until the designer picks a folder. */
  defaultWorkspaceDir: string;
  clock?: Clock;
  random?: () => number;
  newId?: () => string;
  /** Native notifications in Electron; by default (browser mode) they become `notify`/`badge` events. */
  notifier?: Notifier;
  embedded?: EmbeddedPlatformPort;
  capture?: ReplyCapturePort;
  /** Where exports go in Electron (the native save dialog); browser mode downloads them instead. */
  saveFile?: SaveFilePort;
  link?: LinkTuning;
  /** Where read marks are kept across restarts (one file per Platform and designer); in memory when unset. */
  readMarksDir?: string;
  /** Where the view memory (open conversation, drafts, scroll) is kept; by default next to the settings file. */
  viewMemoryFile?: string;
  logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/**
 * Studio's main-process services composed: settings, the Platform link, the conversation cache, the activity
 * tracker, notifications and capture, behind the one Studio API dispatcher and event stream. It imports no
 * Electron: the desktop app and browser mode build the same Studio with different notifiers.
 */
export class Studio {
  readonly events = new StudioEventStream();
  readonly dispatcher: StudioDispatcher;
  readonly cache: ConversationCache;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly notifications: NotificationPolicy;
  private readonly captureFailures: CaptureFailures;
  private tracker: ActivityTracker;
  /** Whether the last activity report to the Platform failed: the renderer warns the hand-back timer may run out. */
  private activityReportFailed = false;
  private link: PlatformLink | undefined;
  private linkState: LinkState | { status: 'unconfigured'; lastError?: string; retryAt?: undefined } = { status: 'unconfigured' };
  private platformUrl: string | undefined;
  private designer: DesignerRef | undefined;
  private readonly bots = new Map<string, LiveTrainingSettings>();
  private readonly held = new Map<string, { bot: string; since?: number }>(); // conversationId -> bot, paused at
  private focused = true;
  private readMarks: ReadMarks | undefined;
  private readonly memory: ViewMemoryStore;
  private generation = 0;
  private closed = false;

  constructor(private readonly o: StudioOptions) {
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? Math.random;
    this.newId = o.newId ?? randomUUID;
    this.cache = new ConversationCache((id) => this.fetchSummary(id));
    this.memory = new ViewMemoryStore(o.viewMemoryFile ?? join(dirname(o.settings.path), 'studio-memory.json'));
    const notifier = o.notifier ?? this.eventNotifier();
    this.notifications = new NotificationPolicy({
      notifier,
      settings: () => o.settings.get().notifications,
      isFocused: () => this.focused,
      totalUnread: () => this.cache.totalUnread(),
    });
    this.tracker = this.newTracker();
    this.captureFailures = new CaptureFailures({
      clock: this.clock,
      emit: (event) => this.events.emit(event),
      log: (error, f) => o.logger?.error({ err: error, conversationId: f.conversationId, seq: f.seq, file: f.file }, 'capturing the reply into the workspace failed'),
    });
    this.cache.subscribe((change) => this.onCacheChange(change));
    o.settings.onChange(() => this.notifications.updateBadge());
    this.dispatcher = createDispatcher(this.handlers(), (method, error) => o.logger?.error({ err: error, method }, 'Studio API handler failed'));
    o.capture?.attach?.(this.trainingHost());
  }

  /** Connects to the configured Platform (nothing to do on first run: the renderer shows the first-run screen). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    this.tracker.close();
    this.link?.close();
    this.link = undefined;
    this.o.capture?.close?.();
    await this.readMarks?.flush();
    await this.memory.flush();
    await this.o.embedded?.close();
  }

  state(): AppState {
    const s = this.o.settings.get();
    const l = this.linkState;
    return {
      link: {
        status: l.status === 'closed' ? 'connecting' : l.status,
        platformUrl: this.platformUrl,
        retryAt: l.status === 'reconnecting' ? l.retryAt : undefined,
        lastError: l.status === 'online' ? undefined : l.lastError,
        embedded: s.embedded,
      },
      designer: this.designer,
      bots: [...this.bots].map(([name, settings]) => ({ name, settings })),
      workspaceDir: this.workspaceDir(),
      host: this.o.host,
      activityDeadline: this.tracker.currentDeadline,
    };
  }

  /** Electron reports window focus here; browser mode through `app.focus`. */
  setFocused(focused: boolean): void {
    this.focused = focused;
  }

  /** A notification was clicked: show that conversation. */
  navigate(conversationId: string): void {
    this.events.emit({ type: 'navigate', conversationId });
  }

  /** The Platform Studio is connected to, once known (the launcher prints Landing Page URLs from it). */
  get currentPlatformUrl(): string | undefined {
    return this.platformUrl;
  }

  /** Resolves when the link is online (or rejects after `timeoutMs`). */
  whenOnline(timeoutMs: number): Promise<void> {
    if (this.linkState.status === 'online') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const stop = this.events.subscribe((e) => {
        if (e.type === 'app.state' && e.state.link.status === 'online') {
          stop();
          clearTimeout(t);
          resolve();
        }
      });
      const t = setTimeout(() => {
        stop();
        reject(new Error(`Studio did not connect to the Platform within ${timeoutMs} ms (${this.linkState.lastError ?? this.linkState.status}).`));
      }, timeoutMs);
    });
  }

  workspaceDir(): string {
    return this.o.settings.get().workspaceDir ?? this.o.defaultWorkspaceDir;
  }

  private trainingHost(): TrainingHost {
    const settings = this.o.settings;
    return {
      workspaceDir: () => this.workspaceDir(),
      platform: () => (this.platformUrl ? { url: this.platformUrl, embedded: settings.get().embedded } : undefined),
      conversationName: (id) => this.cache.get(id)?.clientName,
      savedCredentials: (url) => settings.get().apiCredentials?.[url],
      saveCredentials: (url, credentials) => settings.update((s) => ({ ...s, apiCredentials: { ...s.apiCredentials, [url]: credentials } })),
      emit: (event) => this.events.emit(event),
      saveFile: this.o.saveFile,
    };
  }

  private eventNotifier(): Notifier {
    return {
      show: (n) => this.events.emit({ type: 'notify', ...n }),
      setBadge: (count) => this.events.emit({ type: 'badge', count }),
    };
  }

  private newTracker(): ActivityTracker {
    return new ActivityTracker({
      clock: this.clock,
      // async: a missing link becomes a rejection the tracker logs, never a throw out of `activity()`.
      reportActivity: async () => {
        try {
          await this.requireLink().request('designer.activity', {});
          this.activityReportFailed = false;
        } catch (error) {
          this.activityReportFailed = true;
          throw error;
        }
      },
      reportIdle: async () => this.requireLink().request('designer.idle', {}),
      timeoutFor: (bot) => this.bots.get(bot)?.inactivityTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      onDeadline: (deadline) => this.events.emit({ type: 'activity.deadline', deadline }),
      onReported: (at) => {
        if (this.platformUrl) this.memory.recordActivityReport(this.platformUrl, at).catch((error: unknown) => this.o.logger?.warn({ err: error }, 'could not remember the activity report'));
      },
      log: (m, d) => this.o.logger?.warn(d ?? {}, m),
    });
  }

  private emitState(): void {
    this.events.emit({ type: 'app.state', state: this.state() });
  }

  /** (Re)connects after start or a change of Platform; whatever Studio knew of the old Platform is dropped. */
  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.link?.close();
    this.link = undefined;
    this.tracker.close();
    this.tracker = this.newTracker();
    this.activityReportFailed = false;
    this.held.clear();
    this.bots.clear();
    this.designer = undefined;
    this.platformUrl = undefined;
    this.cache.clear();
    const s = this.o.settings.get();
    if (!isConfigured(s)) {
      this.linkState = { status: 'unconfigured' };
      this.emitState();
      return;
    }
    this.linkState = { status: 'connecting' };
    this.emitState();
    let target: { url: string; token: string };
    if (s.embedded) {
      // The local designer is created with the chosen name; never with the account name "root" (issue 10).
      if (s.designerName === undefined) this.o.settings.update({ designerName: defaultDesignerName() });
      if (!this.o.embedded) {
        this.linkState = { status: 'unconfigured', lastError: 'This Studio cannot run a local Platform; connect to a remote one.' };
        this.emitState();
        return;
      }
      try {
        target = await this.o.embedded.start();
      } catch (error) {
        if (generation !== this.generation) return;
        this.o.logger?.error({ err: error }, 'the embedded Platform did not start');
        this.linkState = { status: 'reconnecting', lastError: `The local Platform did not start: ${(error as Error).message}` };
        this.emitState();
        return;
      }
    } else {
      target = { url: s.platformUrl!, token: s.token! };
    }
    if (generation !== this.generation) return;
    this.openLink(target, generation, s.embedded);
  }

  private openLink(target: { url: string; token: string }, generation: number, embedded: boolean, renewed = false): void {
    this.platformUrl = target.url;
    const link = new PlatformLink({
      url: target.url,
      token: target.token,
      clock: this.clock,
      random: this.random,
      newId: this.newId,
      ...this.o.link,
      log: (m, d) => this.o.logger?.warn(d ?? {}, m),
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
            .then((t) => generation === this.generation && this.openLink(t, generation, embedded, true))
            .catch((error: unknown) => this.o.logger?.error({ err: error }, 'could not renew the local designer token'));
          return;
        }
        this.linkState = state;
        this.emitState();
      },
      welcome: (w) => {
        if (this.designer?.id !== w.designer.id) this.cache.useReadMarks(this.readMarksFor(target.url, w.designer.id));
        this.designer = w.designer;
        this.cache.setDesigner(w.designer);
        // A restarted Studio: what the designer still holds is handed back at the lease the Platform counts from
        // the last report, not a fresh timeout from now.
        const lastReport = this.memory.lastActivityReport(target.url);
        if (lastReport !== undefined) this.tracker.restoreLastReport(lastReport);
        // The welcome lists every bot there is now: one deleted while Studio was away must go.
        this.bots.clear();
        for (const b of w.bots) this.bots.set(b.name, b.settings);
        this.tracker.refresh();
        this.emitState();
      },
      snapshot: (snap) => this.cache.applySnapshot(snap.bot, snap.conversations),
      event: (envelope) => {
        const e = envelope.event;
        if (e.type === 'settings.updated' || e.type === 'bot.created') {
          this.bots.set(e.bot, e.settings);
          this.tracker.refresh();
          this.emitState();
          return;
        }
        if (e.type === 'bot.deleted') {
          this.bots.delete(e.bot);
          this.tracker.refresh();
          this.emitState();
          return;
        }
        this.cache.applyEvent(envelope);
      },
    });
    link.start();
  }

  private readMarksFor(platformUrl: string, designerId: string): ReadMarks {
    if (!this.o.readMarksDir) return new MemoryReadMarks();
    this.readMarks?.flush().catch(() => undefined);
    const name = createHash('sha256').update(`${platformUrl}\n${designerId}`).digest('hex').slice(0, 24);
    this.readMarks = new FileReadMarks(join(this.o.readMarksDir, `${name}.json`), this.clock);
    return this.readMarks;
  }

  private requireLink(): PlatformLink {
    if (!this.link) {
      throw new StudioApiError('unconfigured', this.closed ? 'Studio is shutting down.' : 'Studio is not connected to a Platform yet: choose one first.');
    }
    return this.link;
  }

  private onCacheChange(change: CacheChange): void {
    switch (change.type) {
      case 'reset':
        this.events.emit({ type: 'conversations.reset' });
        this.recomputeHeld();
        break;
      case 'upsert':
        this.events.emit({ type: 'conversations.upsert', conversations: change.views });
        this.updateHeld(change.views);
        break;
      case 'appended':
        this.events.emit({ type: 'messages.appended', conversationId: change.conversationId, messages: change.messages });
        break;
      case 'started':
      case 'message':
        // Each follows the upsert or append that carries it to the renderer: these two only drive notifications.
        break;
    }
    this.notifications.onCacheChange(change);
  }

  private recomputeHeld(): void {
    this.held.clear();
    this.updateHeld(this.cache.held());
  }

  private updateHeld(views: ConversationView[]): void {
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

  private async fetchSummary(conversationId: string) {
    if (!this.link) return undefined;
    return (await this.link.request('conversation.get', { conversationId })).conversation;
  }

  private async botOf(conversationId: string): Promise<string> {
    const known = this.cache.get(conversationId)?.bot;
    if (known) return known;
    const summary = await this.fetchSummary(conversationId);
    if (!summary) throw new StudioApiError('not_found', `No conversation ${conversationId}.`);
    return summary.bot;
  }

  private handlers(): StudioHandlers {
    const settings = this.o.settings;
    return {
      'app.state': () => this.state(),
      'app.focus': ({ focused }) => {
        this.setFocused(focused);
        return {};
      },
      'conversations.list': () => ({ conversations: this.cache.views() }),
      'conversations.search': async ({ query, cursor }) => {
        const page = await this.requireLink().request('conversation.list', { search: query, cursor, filter: 'all', limit: 100 });
        return { conversations: this.cache.applyList(page.conversations), nextCursor: page.nextCursor };
      },
      'conversation.transcript': ({ conversationId, beforeSeq, limit }) =>
        this.requireLink().request('conversation.transcript', { conversationId, beforeSeq, limit: limit ?? 200 }),
      'conversation.reply': async ({ conversationId, text }) => {
        const link = this.requireLink();
        this.tracker.activity();
        const result = await link.request('conversation.reply', { conversationId, text });
        this.captureFrom(conversationId, result.messages);
        return { tookOver: result.tookOver };
      },
      'conversation.setBotActive': async ({ conversationId, active }) => {
        const link = this.requireLink();
        this.tracker.activity();
        const result = await link.request('conversation.setBotActive', { conversationId, active });
        return { changed: result.changed };
      },
      'conversation.markRead': ({ conversationId, seq }) => {
        this.cache.markRead(conversationId, seq);
        return {};
      },
      'conversation.exportTranscript': async ({ conversationId }): Promise<StudioResult<'conversation.exportTranscript'>> => {
        const file = await this.requireLink().request('conversation.export', { conversationId, format: 'text' });
        return { fileName: file.fileName, text: file.text };
      },
      'activity.report': () => {
        this.tracker.activity();
        return this.activityReportFailed ? { platformReportFailed: true } : {};
      },
      'settings.get': () => settingsView(settings.get()),
      'settings.update': ({ notifications, designerName, captureThat }) => {
        const next = settings.update((s) => ({
          ...s,
          notifications: { ...s.notifications, ...notifications },
          designerName: designerName === undefined ? s.designerName : designerName.trim() || undefined,
          captureThat: captureThat ?? s.captureThat,
        }));
        return settingsView(next);
      },
      'memory.get': () => this.memory.get(),
      'memory.update': async (patch) => {
        await this.memory.update(patch);
        return {};
      },
      'platform.configure': async (args) => {
        if (args.embedded) {
          settings.update({ embedded: true });
        } else {
          const url = new URL(args.url);
          if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new StudioApiError('invalid_params', 'The Platform URL must start with http:// or https://.');
          }
          settings.update({ embedded: false, platformUrl: url.toString().replace(/\/$/, ''), token: args.token });
        }
        await this.connect();
        return this.state();
      },
      'bot.settings.update': async ({ bot, patch }) => {
        this.tracker.activity();
        const result = await this.requireLink().request('bot.updateSettings', { bot, patch });
        this.bots.set(bot, result.settings);
        this.tracker.refresh();
        this.emitState();
        return { settings: result.settings };
      },
      ...trainingHandlers(this.o.capture),
      'capture.failures': () => ({ failures: this.captureFailures.list() }),
      'capture.retry': ({ conversationId, seq }) => this.captureFailures.retry(conversationId, seq),
    };
  }

  private captureFrom(conversationId: string, messages: Message[]): void {
    const capture = this.o.capture;
    const human = messages.find((m) => m.author === 'human');
    if (!capture || !human) return;
    // Capture runs beside the reply: a workspace problem never fails the reply itself (it was delivered), but the
    // designer is told, next to the reply, and can try again (CaptureFailures).
    let bot: string | undefined;
    void this.captureFailures.run({
      conversationId,
      seq: human.seq,
      target: () => ({ bot, workspaceDir: this.workspaceDir() }),
      run: async () => {
        bot = await this.botOf(conversationId);
        await capture.captureReply({
          bot,
          conversationId,
          message: human,
          captureThat: this.o.settings.get().captureThat,
          workspaceDir: this.workspaceDir(),
          messagesBefore: async (beforeSeq) =>
            (await this.requireLink().request('conversation.transcript', { conversationId, beforeSeq, limit: 50 })).messages.sort((a, b) => a.seq - b.seq),
        });
      },
    });
  }
}
