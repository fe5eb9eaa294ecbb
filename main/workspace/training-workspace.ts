import type { Logger } from 'pino';
import type { CategoryField } from '../../aiml/index.js';
import type { LearnedChangedEvent, LearnedContext, UnansweredGroup } from '../../protocol/learned.js';
import type {
  CategoryFields,
  EditOutcome,
  HistoryEntry,
  ImportConflict,
  PatternSuggestion,
  PreviewResult,
  PublishResult,
  SraiSuggestion,
  TrainingDiagnostic,
  TrainingWorkspace as TrainingWorkspaceView,
} from '../../protocol/training.js';
import { BotWorkspaces, type BotWorkspace } from './bot-workspaces.js';
import { CategoryEditing } from './category-editing.js';
import { CategoryPreview } from './category-preview.js';
import { LearnedEditing } from './learned-editing.js';
import { importLearnedFile } from './learned-import.js';
import { exportMirror } from './mirror-export.js';
import type { ApiCredentials } from './pandorabots-client.js';
import { PlatformAccess } from './platform-access.js';
import type { TrainingHost } from './training-host.js';
import type { TrainingWorkspacePort } from './training-workspace-port.js';
import { UnansweredQueue } from './unanswered-queue.js';
import { LearnedFileWatcher } from './file-watcher.js';
import { takeHandEdit } from './hand-edits.js';
import { WorkspaceChanges } from './workspace-changes.js';
import { WorkspacePublishing } from './workspace-publishing.js';
import { WorkspaceView } from './workspace-view.js';

export { tidyPattern } from './category-editing.js';

export interface TrainingWorkspaceOptions {
  logger?: Logger;
  /**
   * Where a bot's files are on this machine, when they are (the embedded Platform's bots): previews and checks use
   * the bot's own files even before they were pulled through the API.
   */
  botDirectory?: (bot: string) => string | undefined;
  /** The data folder of Studio's own Platform (its API credentials are read there), when it runs one. */
  localPlatformDir?: () => string | undefined;
  now?: () => number;
  newId?: () => string;
}

/**
 * Studio's AIML workspace (issues 6 and 13): one folder per bot, holding the local mirror of the bot's learned
 * categories on the Platform (kept live by `learned.changed`, usable offline, edits queued while the link is down)
 * and the `pand_livetraining.aiml` written from it. It serves the Training view (TrainingWorkspacePort). The Platform
 * captures replies itself; this class only composes the parts: the mirror and outbox (bot-learning.ts), operations
 * (learned-editing.ts), import (learned-import.ts), field checks and export (category-editing.ts), previews and
 * suggestions (category-preview.ts), the view (workspace-view.ts), publishing to a Pandorabots-compatible server
 * (workspace-publishing.ts), Platform credentials (platform-access.ts), the unanswered queue (unanswered-queue.ts),
 * over the per-bot state (bot-workspaces.ts).
 */
export class TrainingWorkspace implements TrainingWorkspacePort {
  private host: TrainingHost | undefined;
  private readonly bots: BotWorkspaces;
  private readonly access: PlatformAccess;
  private readonly changes: WorkspaceChanges;
  private readonly publishing: WorkspacePublishing;
  private readonly editing: CategoryEditing;
  private readonly learned: LearnedEditing;
  private readonly previews: CategoryPreview;
  private readonly views: WorkspaceView;
  private readonly unanswered: UnansweredQueue;
  private readonly logger: Logger | undefined;
  private online = false;
  private readonly watcher: LearnedFileWatcher;
  private readonly now: () => number;

  constructor(o: TrainingWorkspaceOptions = {}) {
    const now = o.now ?? Date.now;
    this.now = now;
    this.watcher = new LearnedFileWatcher((bot) => void this.handEdited(bot));
    const host = () => this.host;
    this.logger = o.logger;
    this.access = new PlatformAccess({ host, localPlatformDir: o.localPlatformDir });
    this.changes = new WorkspaceChanges({ host });
    this.bots = new BotWorkspaces({
      host,
      logger: o.logger,
      now,
      newId: o.newId,
      botDirectory: o.botDirectory,
      client: () => this.access.client(),
      onLearnedChanged: (state) => this.mirrorChanged(state),
    });
    this.publishing = new WorkspacePublishing({ host, access: this.access, logger: o.logger, now });
    this.editing = new CategoryEditing({ host, now });
    this.learned = new LearnedEditing(host);
    this.previews = new CategoryPreview(now);
    this.views = new WorkspaceView({ host, access: this.access, reviewMode: (bot) => this.host?.reviewMode?.(bot) });
    this.unanswered = new UnansweredQueue(() => this.host?.learned?.());
  }

  /** Connects the workspace to the Studio it serves (events, Platform, settings). */
  attach(host: TrainingHost): void {
    this.host = host;
  }

  close(): void {
    this.watcher.close();
    this.changes.close();
  }

  /**
   * The link came up or went down. Up: every bot of the Platform, and every bot opened before, is synced (listed,
   * then what was queued is sent), so the mirror holds every bot's categories, also of bots not opened in Training.
   */
  linkChanged(online: boolean): Promise<void> {
    const was = this.online;
    this.online = online;
    // The view says whether edits go to the Platform or wait: it changes with the link.
    if (online !== was) for (const state of this.bots.all()) this.changes.changed(state);
    if (!online || was) return Promise.resolve();
    return this.quietly(async () => {
      for (const bot of this.host?.bots?.() ?? []) this.bots.get(bot);
      await Promise.all([...this.bots.all()].map((state) => this.sync(state)));
    });
  }

  /** The Platform's bots changed (a welcome, a bot created): a bot not mirrored yet is listed. */
  botsChanged(): Promise<void> {
    if (!this.online) return Promise.resolve();
    return this.quietly(async () => {
      const fresh = (this.host?.bots?.() ?? []).filter((bot) => !this.bots.find(bot));
      await Promise.all(fresh.map((bot) => this.opened(bot)));
    });
  }

  /** A `learned.changed` event of any bot: into its mirror (a bot not mirrored yet is listed in full first). */
  async learnedChanged(event: LearnedChangedEvent): Promise<void> {
    try {
      const known = this.bots.find(event.bot);
      if (!known) {
        await this.opened(event.bot);
        return;
      }
      await known.learning.onEvent(event);
    } catch (error) {
      this.logger?.warn({ err: error, bot: event.bot }, 'could not keep a learned change in the mirror');
    }
  }

  /** A bot's mirror or outbox changed: the view is told, and the learned file is written again from the mirror. */
  private mirrorChanged(what: BotWorkspace): void {
    this.changes.changed(what);
    if (what.learning.mirror.revision !== what.exportedRevision) {
      exportMirror(what)
        .then(() => this.publishing.afterCapture(what))
        .catch((error: unknown) => this.logger?.warn({ err: error, bot: what.bot }, 'could not write pand_livetraining.aiml from the mirror'));
    }
  }

  /**
   * The bot's pand_livetraining.aiml may have been edited by hand: the edit becomes an import on the Platform, what
   * could not be taken in is said in Training (and the file kept aside), and the file is the mirror again.
   */
  async handEdited(bot: string): Promise<void> {
    const state = this.bots.find(bot);
    if (!state) return;
    try {
      if (await takeHandEdit(state, this.now)) this.changes.changed(state);
    } catch (error) {
      this.logger?.warn({ err: error, bot }, 'could not take in the hand edit of pand_livetraining.aiml');
    }
  }

  async workspace(bot: string): Promise<TrainingWorkspaceView> {
    const state = await this.opened(bot);
    await this.handEdited(bot);
    return this.views.view(state);
  }

  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] } {
    return this.editing.validate(field, text);
  }

  async update(bot: string, id: string, fields: CategoryFields, baseVersion?: number): Promise<EditOutcome> {
    return this.learned.update(await this.opened(bot), id, fields, baseVersion);
  }

  async remove(bot: string, ids: string[]): Promise<{ removed: number }> {
    return this.learned.remove(await this.opened(bot), ids);
  }

  async approve(bot: string, ids: string[]): Promise<{ outcomes: EditOutcome[] }> {
    return this.learned.approve(await this.opened(bot), ids);
  }

  async setContext(bot: string, id: string, context: LearnedContext): Promise<EditOutcome> {
    return this.learned.setContext(await this.opened(bot), id, context);
  }

  async contextOf(bot: string, id: string): Promise<{ that?: string }> {
    return this.learned.contextOf(await this.opened(bot), id);
  }

  async useInput(bot: string, id: string, input: string): Promise<EditOutcome> {
    return this.learned.useInput(await this.opened(bot), id, input);
  }

  async history(bot: string, id: string): Promise<{ entries: HistoryEntry[] }> {
    return this.learned.history(await this.opened(bot), id);
  }

  async undoEntry(bot: string, opId: string, baseVersion: number): Promise<EditOutcome> {
    return this.learned.undoEntry(await this.opened(bot), opId, baseVersion);
  }

  async undoLast(bot: string, designerId: string): Promise<EditOutcome & { undone: string }> {
    return this.learned.undoLast(await this.opened(bot), designerId);
  }

  async resolve(bot: string, opId: string, choice: 'theirs' | 'mine' | 'merge', fields?: CategoryFields): Promise<EditOutcome> {
    return this.learned.resolve(await this.opened(bot), opId, choice, fields);
  }

  async suggest(bot: string, id: string): Promise<{ patterns: PatternSuggestion[]; srai: SraiSuggestion[] }> {
    return this.previews.suggest(await this.opened(bot), id);
  }

  async preview(bot: string, input: string, that?: string, includeDrafts = false): Promise<PreviewResult> {
    return this.previews.preview(await this.opened(bot), input, that, includeDrafts);
  }

  async exportFile(bot: string): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }> {
    const state = await this.opened(bot);
    await exportMirror(state);
    return this.editing.exportFile(state);
  }

  async importFile(bot: string, fileName: string, text: string): Promise<{ added: number; unchanged: number; conflicts: ImportConflict[]; errors: TrainingDiagnostic[] }> {
    return importLearnedFile(await this.opened(bot), fileName, text);
  }

  async unansweredGroups(bot: string, includeIgnored?: boolean): Promise<{ groups: UnansweredGroup[] }> {
    return this.unanswered.list(await this.opened(bot), includeIgnored);
  }

  async answerUnanswered(bot: string, groupKey: string, template: string, sendToOnline: boolean): Promise<{ id?: string; sentTo: string[] }> {
    return this.unanswered.answer(await this.opened(bot), groupKey, template, sendToOnline);
  }

  async ignoreUnanswered(bot: string, groupKey: string, ignored: boolean): Promise<Record<string, never>> {
    return this.unanswered.ignore(await this.opened(bot), groupKey, ignored);
  }

  async refresh(bot: string): Promise<{ count: number }> {
    return this.publishing.refresh(await this.opened(bot));
  }

  async publish(bot: string): Promise<PublishResult> {
    const state = await this.opened(bot);
    await exportMirror(state);
    return this.publishing.publish(state);
  }

  async setAutoPublish(bot: string, enabled: boolean): Promise<Record<string, never>> {
    return this.publishing.setAutoPublish(await this.opened(bot), enabled);
  }

  setCredentials(credentials: ApiCredentials): Record<string, never> {
    return this.access.setCredentials(credentials, this.bots.all());
  }

  /** The bot's folder; the first time it is opened while online, its mirror syncs with the Platform first. */
  private async opened(bot: string): Promise<BotWorkspace> {
    const known = this.bots.find(bot);
    const state = this.bots.get(bot);
    this.watcher.watch(bot, state.files.aimlFile);
    if (known !== state && this.online) await this.sync(state);
    return state;
  }

  /** Work Studio starts on its own (not asked by the designer): a failure is logged, never thrown at Studio. */
  private async quietly(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger?.warn({ err: error }, "could not mirror the Platform's learned categories");
    }
  }

  /** Lists the bot from the Platform and sends its outbox; a failure leaves the mirror as it was (it is logged). */
  private sync(state: BotWorkspace): Promise<void> {
    return state.learning.sync().catch((error: unknown) => this.logger?.warn({ err: error, bot: state.bot }, "could not sync the bot's learned categories with the Platform"));
  }
}
