import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../protocol/clock.js';
import type { AppState } from '../protocol/studio-api.js';
import { ConversationCache, type CacheChange } from './conversation-cache.js';
import { DesignerActivity } from './designer-activity.js';
import { NotificationPolicy, type Notifier } from './notifications.js';
import { StudioConnection } from './platform-link/studio-connection.js';
import type { Settings } from './settings/settings.js';
import { ViewMemoryStore } from './settings/view-memory.js';
import { createDispatcher, type StudioDispatcher, type StudioHandlers } from './studio-api/dispatcher.js';
import { StudioEventStream } from './studio-api/event-stream.js';
import { appHandlers } from './studio-api/handlers/app-handlers.js';
import { inboxHandlers } from './studio-api/handlers/inbox-handlers.js';
import { memoryHandlers } from './studio-api/handlers/memory-handlers.js';
import { platformHandlers } from './studio-api/handlers/platform-handlers.js';
import { settingsHandlers } from './studio-api/handlers/settings-handlers.js';
import type { EmbeddedPlatformPort, LinkTuning } from './studio-ports.js';
import type { SaveFilePort } from './save-file.js';
import { trainingHandlers } from './workspace/training-handlers.js';
import { reviewLearnedAnswers } from './workspace/review-mode.js';
import type { TrainingHost } from './workspace/training-host.js';
import type { TrainingWorkspacePort } from './workspace/training-workspace-port.js';

export type { EmbeddedPlatformPort, LinkTuning } from './studio-ports.js';

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
  /** What serves the Training view (`training.*`): the mirror of the Platform's learned categories. */
  training?: TrainingWorkspacePort;
  /** Where exports go in Electron (the native save dialog); browser mode downloads them instead. */
  saveFile?: SaveFilePort;
  link?: LinkTuning;
  /** Where read marks are kept across restarts (one file per Platform and designer); in memory when unset. */
  readMarksDir?: string;
  /** Where the view memory (open conversation, drafts, scroll) is kept; by default next to the settings file. */
  viewMemoryFile?: string;
  logger?: Logger;
}

/**
 * Studio's main-process services composed: settings, the Platform connection (platform-link/studio-connection.ts),
 * the conversation cache, the designer's activity (designer-activity.ts), notifications and the Training workspace, behind the one
 * Studio API dispatcher (its handlers by area in studio-api/handlers/) and event stream. It imports no Electron:
 * the desktop app and browser mode build the same Studio with different notifiers.
 */
export class Studio {
  readonly events = new StudioEventStream();
  readonly dispatcher: StudioDispatcher;
  readonly cache: ConversationCache;
  private readonly clock: Clock;
  private readonly notifications: NotificationPolicy;
  private readonly connection: StudioConnection;
  private readonly activity: DesignerActivity;
  private focused = true;
  private readonly memory: ViewMemoryStore;

  constructor(private readonly o: StudioOptions) {
    this.clock = o.clock ?? systemClock;
    this.cache = new ConversationCache((id) => this.fetchSummary(id));
    this.memory = new ViewMemoryStore(o.viewMemoryFile ?? join(dirname(o.settings.path), 'studio-memory.json'));
    const notifier = o.notifier ?? this.eventNotifier();
    this.notifications = new NotificationPolicy({
      notifier,
      settings: () => o.settings.get().notifications,
      isFocused: () => this.focused,
      totalUnread: () => this.cache.totalUnread(),
    });
    this.connection = new StudioConnection({
      settings: o.settings,
      embedded: o.embedded,
      clock: this.clock,
      random: o.random ?? Math.random,
      newId: o.newId ?? randomUUID,
      link: o.link,
      cache: this.cache,
      readMarksDir: o.readMarksDir,
      logger: o.logger,
      onReset: () => this.reset(),
      onWelcome: (url) => this.activity.restoreLastReport(url),
      onBotsChanged: () => {
        this.activity.refresh();
        this.emitState();
        void o.training?.botsChanged?.();
      },
      onStateChanged: () => {
        this.emitState();
        void o.training?.linkChanged?.(this.connection.state.status === 'online');
      },
      onLearnedChanged: (event) => void o.training?.learnedChanged?.(event),
    });
    this.activity = new DesignerActivity({
      clock: this.clock,
      requireLink: () => this.connection.requireLink(),
      botTimeout: (bot) => this.connection.bots.get(bot)?.inactivityTimeoutMs,
      platformUrl: () => this.connection.platformUrl,
      memory: this.memory,
      emit: (event) => this.events.emit(event),
      logger: o.logger,
    });
    this.cache.subscribe((change) => this.onCacheChange(change));
    o.settings.onChange(() => this.notifications.updateBadge());
    this.dispatcher = createDispatcher(this.handlers(), o.logger);
    const trainingHost = this.trainingHost();
    o.training?.attach?.(trainingHost);
  }

  /** Connects to the configured Platform (nothing to do on first run: the renderer shows the first-run screen). */
  async start(): Promise<void> {
    await this.connection.connect();
  }

  async close(): Promise<void> {
    this.activity.close();
    this.connection.close();
    this.o.training?.close?.();
    await this.connection.flushReadMarks();
    await this.memory.flush();
    await this.o.embedded?.close();
  }

  state(): AppState {
    const s = this.o.settings.get();
    const l = this.connection.state;
    return {
      link: {
        status: l.status === 'closed' ? 'connecting' : l.status,
        platformUrl: this.connection.platformUrl,
        retryAt: l.status === 'reconnecting' ? l.retryAt : undefined,
        lastError: l.status === 'online' ? undefined : l.lastError,
        embedded: s.embedded,
      },
      designer: this.connection.designer,
      bots: [...this.connection.bots].map(([name, settings]) => ({ name, settings })),
      workspaceDir: this.workspaceDir(),
      host: this.o.host,
      activityDeadline: this.activity.deadline,
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
    return this.connection.platformUrl;
  }

  /** Resolves when the link is online (or rejects after `timeoutMs`). */
  whenOnline(timeoutMs: number): Promise<void> {
    if (this.connection.state.status === 'online') return Promise.resolve();
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
        const l = this.connection.state;
        reject(new Error(`Studio did not connect to the Platform within ${timeoutMs} ms (${l.lastError ?? l.status}).`));
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
      platform: () => (this.connection.platformUrl ? { url: this.connection.platformUrl, embedded: settings.get().embedded } : undefined),
      conversationName: (id) => this.cache.get(id)?.clientName,
      savedCredentials: (url) => settings.get().apiCredentials?.[url],
      saveCredentials: (url, credentials) => settings.update((s) => ({ ...s, apiCredentials: { ...s.apiCredentials, [url]: credentials } })),
      emit: (event) => this.events.emit(event),
      saveFile: this.o.saveFile,
      learned: () => (this.connection.state.status === 'online' ? this.connection.currentLink() : undefined),
      messagesBefore: async (conversationId, beforeSeq) =>
        (await this.connection.requireLink().request('conversation.transcript', { conversationId, beforeSeq, limit: 10 })).messages.sort((a, b) => a.seq - b.seq),
      reviewMode: (bot) => reviewLearnedAnswers(this.connection.bots.get(bot)),
      bots: () => [...this.connection.bots.keys()],
    };
  }

  private eventNotifier(): Notifier {
    return {
      show: (n) => this.events.emit({ type: 'notify', ...n }),
      setBadge: (count) => this.events.emit({ type: 'badge', count }),
    };
  }

  /** A new connection starts: the activity, holds and conversations of the old Platform are dropped. */
  private reset(): void {
    this.activity.reset();
    this.cache.clear();
  }

  private emitState(): void {
    this.events.emit({ type: 'app.state', state: this.state() });
  }

  private onCacheChange(change: CacheChange): void {
    switch (change.type) {
      case 'reset':
        this.events.emit({ type: 'conversations.reset' });
        this.activity.heldReset(this.cache.held());
        break;
      case 'upsert':
        this.events.emit({ type: 'conversations.upsert', conversations: change.views });
        this.activity.heldChanged(change.views);
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

  private async fetchSummary(conversationId: string) {
    const link = this.connection.currentLink();
    if (!link) return undefined;
    return (await link.request('conversation.get', { conversationId })).conversation;
  }

  /** The Studio API, area by area; the type requires every method of `studioMethods` to have its handler. */
  private handlers(): StudioHandlers {
    const requireLink = () => this.connection.requireLink();
    const activity = () => this.activity.activity();
    return {
      ...appHandlers({
        state: () => this.state(),
        setFocused: (focused) => this.setFocused(focused),
        activity: () => this.activity.report(),
      }),
      ...inboxHandlers({ cache: this.cache, requireLink, activity }),
      ...settingsHandlers(this.o.settings),
      ...memoryHandlers(this.memory),
      ...platformHandlers({
        settings: this.o.settings,
        connect: () => this.connection.connect(),
        state: () => this.state(),
        requireLink,
        activity,
        botSettingsChanged: (bot, settings) => {
          this.connection.bots.set(bot, settings);
          this.activity.refresh();
          this.emitState();
        },
      }),
      ...trainingHandlers(this.o.training),
    };
  }
}
