import type { Logger } from 'pino';
import type { CategoryField } from '../../aiml/index.js';
import type {
  CategoryFields,
  ImportConflict,
  PatternSuggestion,
  PreviewResult,
  PublishResult,
  SraiSuggestion,
  TrainingDiagnostic,
  TrainingWorkspace as TrainingWorkspaceView,
} from '../../protocol/training.js';
import type { ReplyCapturePort } from '../studio-ports.js';
import { BotWorkspaces } from './bot-workspaces.js';
import { CategoryEditing } from './category-editing.js';
import { CategoryPreview } from './category-preview.js';
import type { ApiCredentials } from './pandorabots-client.js';
import { PlatformAccess } from './platform-access.js';
import { ReplyCapturer, type CaptureRequest } from './reply-capturer.js';
import type { TrainingHost } from './training-host.js';
import type { TrainingWorkspacePort } from './training-workspace-port.js';
import { WorkspaceChanges } from './workspace-changes.js';
import { WorkspacePublishing } from './workspace-publishing.js';
import { WorkspaceView } from './workspace-view.js';

export { tidyPattern } from './category-editing.js';

export interface TrainingWorkspaceOptions {
  logger?: Logger;
  /**
   * Where a bot's files are on this machine, when they are (the embedded Platform's bots): captured patterns use
   * the bot's own substitutions even before its files were pulled through the API.
   */
  botDirectory?: (bot: string) => string | undefined;
  /** The data folder of Studio's own Platform (its API credentials are read there), when it runs one. */
  localPlatformDir?: () => string | undefined;
  now?: () => number;
  /** Watch workspace files for edits made outside Studio (default true once attached to a Studio). */
  watch?: boolean;
}

/**
 * Studio's AIML workspace (issue 6): one folder per bot with its `pand_livetraining.aiml`. It captures each designer
 * reply as a category (the Studio's ReplyCapturePort) and serves the Training view (TrainingWorkspacePort). This
 * class only composes the parts, each with one reason to change: capture (reply-capturer.ts), editing and undo
 * (category-editing.ts), previews and suggestions (category-preview.ts), the view (workspace-view.ts), publishing
 * (workspace-publishing.ts), Platform credentials (platform-access.ts), and change events and watching
 * (workspace-changes.ts), over the per-bot state (bot-workspaces.ts).
 */
export class TrainingWorkspace implements ReplyCapturePort, TrainingWorkspacePort {
  private host: TrainingHost | undefined;
  private readonly bots: BotWorkspaces;
  private readonly access: PlatformAccess;
  private readonly changes: WorkspaceChanges;
  private readonly publishing: WorkspacePublishing;
  private readonly capturer: ReplyCapturer;
  private readonly editing: CategoryEditing;
  private readonly previews: CategoryPreview;
  private readonly views: WorkspaceView;

  constructor(o: TrainingWorkspaceOptions = {}) {
    const now = o.now ?? Date.now;
    const host = () => this.host;
    this.access = new PlatformAccess({ host, localPlatformDir: o.localPlatformDir });
    this.bots = new BotWorkspaces({ host, logger: o.logger, now, botDirectory: o.botDirectory, client: () => this.access.client() });
    this.changes = new WorkspaceChanges({ host, logger: o.logger, watch: o.watch });
    this.publishing = new WorkspacePublishing({ host, access: this.access, logger: o.logger, now });
    this.capturer = new ReplyCapturer({ host, bots: this.bots, changes: this.changes, publishing: this.publishing, logger: o.logger });
    this.editing = new CategoryEditing({ host, changes: this.changes, now });
    this.previews = new CategoryPreview(now);
    this.views = new WorkspaceView({ host, access: this.access });
  }

  /** Connects the workspace to the Studio it serves (events, Platform, settings). */
  attach(host: TrainingHost): void {
    this.host = host;
  }

  close(): void {
    this.changes.close(this.bots.all());
  }

  captureReply(reply: CaptureRequest): Promise<void> {
    return this.capturer.capture(reply);
  }

  async workspace(bot: string): Promise<TrainingWorkspaceView> {
    const state = this.bots.get(bot);
    this.changes.watch(state);
    return this.views.view(state);
  }

  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] } {
    return this.editing.validate(field, text);
  }

  async update(bot: string, id: string, fields: CategoryFields): Promise<{ id: string }> {
    return this.editing.update(this.bots.get(bot), id, fields);
  }

  async remove(bot: string, ids: string[]): Promise<{ removed: number }> {
    return this.editing.remove(this.bots.get(bot), ids);
  }

  async review(bot: string, ids: string[], reviewed: boolean): Promise<{ changed: number }> {
    return this.editing.review(this.bots.get(bot), ids, reviewed);
  }

  async undo(bot: string): Promise<{ undone?: string }> {
    return this.editing.undo(this.bots.get(bot));
  }

  async suggest(bot: string, id: string): Promise<{ patterns: PatternSuggestion[]; srai: SraiSuggestion[] }> {
    return this.previews.suggest(this.bots.get(bot), id);
  }

  async preview(bot: string, input: string, that?: string): Promise<PreviewResult> {
    return this.previews.preview(this.bots.get(bot), input, that);
  }

  async exportFile(bot: string): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }> {
    return this.editing.exportFile(this.bots.get(bot));
  }

  async importFile(bot: string, fileName: string, text: string): Promise<{ added: number; unchanged: number; conflicts: ImportConflict[]; errors: TrainingDiagnostic[] }> {
    return this.editing.importFile(this.bots.get(bot), fileName, text);
  }

  async refresh(bot: string): Promise<{ count: number }> {
    return this.publishing.refresh(this.bots.get(bot));
  }

  async publish(bot: string): Promise<PublishResult> {
    return this.publishing.publish(this.bots.get(bot));
  }

  async setAutoPublish(bot: string, enabled: boolean): Promise<Record<string, never>> {
    return this.publishing.setAutoPublish(this.bots.get(bot), enabled);
  }

  setCredentials(credentials: ApiCredentials): Record<string, never> {
    return this.access.setCredentials(credentials, this.bots.all());
  }
}
