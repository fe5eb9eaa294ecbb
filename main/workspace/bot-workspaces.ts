import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { PublishResult, TrainingCategory, TrainingDiagnostic } from '../../protocol/training.js';
import { AppError } from '../../protocol/errors.js';
import { BotFilesSource } from './bot-files-source.js';
import type { WatchHandle } from './file-watcher.js';
import { LiveTrainingStore } from './live-training-store.js';
import type { PandorabotsClient } from './pandorabots-client.js';
import type { TrainingHost } from './training-host.js';
import { UndoHistory } from './undo-history.js';
import { WorkspaceBotCache } from './workspace-bots.js';
import { botWorkspace, type BotWorkspaceFiles } from './workspace-files.js';

/** Everything the workspace keeps in memory for one bot's folder; each part of the workspace owns its own fields. */
export interface BotWorkspace {
  bot: string;
  files: BotWorkspaceFiles;
  store: LiveTrainingStore;
  undo: UndoHistory;
  models: WorkspaceBotCache;
  botFiles: BotFilesSource;
  /** Conflict findings for the view, valid for one pull of the bot's files and one version of the learned file. */
  analysis?: { stamp: string; version: number; findings: Map<string, TrainingCategory['findings']> };
  watcher?: WatchHandle;
  lastEmittedVersion?: number;
  publishing?: Promise<PublishResult>;
  publishAgain?: boolean;
  lastPublish?: { error: string; errors: TrainingDiagnostic[] };
}

export interface BotWorkspacesOptions {
  host: () => TrainingHost | undefined;
  logger?: Logger;
  now: () => number;
  /** Where a bot's files are on this machine, when they are (the embedded Platform's bots). */
  botDirectory?: (bot: string) => string | undefined;
  /** The Platform's API client (throws when Studio has no credentials for it). */
  client: () => Promise<PandorabotsClient>;
}

/**
 * The workspace's bot folders, opened on first use: one BotWorkspace per learned file, so a change of workspace
 * folder opens fresh state instead of mixing two folders' categories.
 */
export class BotWorkspaces {
  private readonly byFile = new Map<string, BotWorkspace>();

  constructor(private readonly o: BotWorkspacesOptions) {}

  /** The bot's folder in `workspaceDir`, or in the Studio's current workspace folder. */
  get(bot: string, workspaceDir?: string): BotWorkspace {
    const host = this.o.host();
    const dir = workspaceDir ?? host?.workspaceDir();
    if (!dir) throw new AppError('unconfigured', 'Studio has no workspace folder.');
    const files = botWorkspace(dir, bot);
    let state = this.byFile.get(files.aimlFile);
    if (!state) {
      state = {
        bot,
        files,
        store: new LiveTrainingStore({ bot, ...files, logger: this.o.logger, now: this.o.now }),
        undo: new UndoHistory(),
        models: new WorkspaceBotCache(bot),
        botFiles: new BotFilesSource({
          bot,
          platformFilesDir: files.platformFilesDir,
          localDir: () => this.o.botDirectory?.(bot),
          client: this.o.client,
          platformUrl: () => this.o.host()?.platform()?.url,
          now: this.o.now,
          onPullChange: () => this.o.host()?.emit({ type: 'training.changed', bot }),
        }),
      };
      this.byFile.set(files.aimlFile, state);
    }
    return state;
  }

  all(): IterableIterator<BotWorkspace> {
    return this.byFile.values();
  }
}

/** The learned file's text as it is on disk now (undefined when there is none yet), for the engine's file view. */
export function learnedFileText(state: BotWorkspace): string | undefined {
  try {
    return readFileSync(state.files.aimlFile, 'utf8');
  } catch {
    return undefined;
  }
}
