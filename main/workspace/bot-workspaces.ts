import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { PublishResult, TrainingDiagnostic } from '../../protocol/training.js';
import { AppError } from '../../protocol/errors.js';
import { BotFilesSource } from './bot-files-source.js';
import { BotLearning } from './bot-learning.js';
import type { HandEditOutcome } from './hand-edits.js';
import { LiveTrainingStore } from './live-training-store.js';
import type { PandorabotsClient } from './pandorabots-client.js';
import type { TrainingHost } from './training-host.js';
import { WorkspaceFindings } from './workspace-findings.js';
import { WorkspaceBotCache } from './workspace-bots.js';
import { botWorkspace, type BotWorkspaceFiles } from './workspace-files.js';

/** Everything the workspace keeps in memory for one bot's folder; each part of the workspace owns its own fields. */
export interface BotWorkspace {
  bot: string;
  files: BotWorkspaceFiles;
  /** The workspace's `pand_livetraining.aiml`: the mirror's approved categories, what export and publish use. */
  store: LiveTrainingStore;
  /** The Platform's learned categories mirrored here, and the edits waiting to reach it. */
  learning: BotLearning;
  /** The mirror revision the learned file was last written from. */
  exportedRevision?: number;
  /** What became of the last hand edit of the learned file (hand-edits.ts). */
  handEdit?: HandEditOutcome;
  models: WorkspaceBotCache;
  /** The same bot with the drafts too (the Training preview's "Include drafts"). */
  draftModels: WorkspaceBotCache;
  botFiles: BotFilesSource;
  /** Conflict findings for the view, kept up to date one changed category at a time. */
  findings: WorkspaceFindings;
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
  /** A bot's mirror or outbox changed. */
  onLearnedChanged: (state: BotWorkspace) => void;
  newId?: () => string;
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
      const learning = new BotLearning({
        bot,
        mirrorFile: files.mirrorFile,
        outboxFile: files.outboxFile,
        requester: () => this.o.host()?.learned?.(),
        platformUrl: () => this.o.host()?.platform()?.url,
        newId: this.o.newId ?? randomUUID,
        now: this.o.now,
        onChanged: () => this.o.onLearnedChanged(created),
        logger: this.o.logger,
      });
      const created: BotWorkspace = {
        bot,
        files,
        store: new LiveTrainingStore({ bot, ...files, logger: this.o.logger, now: this.o.now }),
        learning,
        models: new WorkspaceBotCache(bot),
        findings: new WorkspaceFindings(),
        draftModels: new WorkspaceBotCache(bot),
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
      state = created;
      this.byFile.set(files.aimlFile, state);
    }
    return state;
  }

  /** The bot's folder in the current workspace folder, when it was opened already. */
  find(bot: string): BotWorkspace | undefined {
    const dir = this.o.host()?.workspaceDir();
    if (!dir) return undefined;
    return this.byFile.get(botWorkspace(dir, bot).aimlFile);
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
