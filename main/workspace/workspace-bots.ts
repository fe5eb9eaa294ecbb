import { compileBot, InvalidCategoryError, ValidatedFieldCache, type Bot, type BotFiles } from '../../aiml/index.js';
import type { LearnedCategory } from './learned-category.js';
import { liveTrainingFileText } from './live-training-file.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

/** The bot's other files, with a stamp that changes whenever they do. */
export interface OtherFiles {
  stamp: string;
  files: BotFiles;
  /** True when they came from the bot (pulled, or on this machine); false when there were none. */
  real: boolean;
}

export interface WorkspaceBots {
  /** The bot's other files only. */
  base: Bot;
  /** The same files plus the workspace's learned categories, loaded last (an overlay on `base`). */
  combined: Bot;
  withBotFiles: boolean;
}

/**
 * Compiled versions of one bot for previews, checks and capture normalisation, rebuilt only when the bot's files
 * (by stamp) or the learned categories (by store version) changed. Compiled without a learn-file writer: a preview
 * that runs `<learnf>` never writes anything anywhere.
 *
 * The combined bot is the base bot with the learned file as an overlay (the engine's Bot.withOverlay): after a
 * capture only the learned categories are compiled again, not the bot's other files (~0.75 s on ALICE's 100,000
 * categories, all of it blocking Studio's main process). It answers exactly as a compile of everything would.
 */
export class WorkspaceBotCache {
  private base: { stamp: string; bot: Bot } | undefined;
  private combined: { stamp: string; version: number; bot: Bot } | undefined;
  /** Fields of learned categories already written once: a capture validates only its own. */
  private readonly validated = new ValidatedFieldCache();

  constructor(private readonly botName: string) {}

  baseBot(other: OtherFiles): Bot {
    if (this.base?.stamp !== other.stamp) this.base = { stamp: other.stamp, bot: compileBot(other.files, { botName: this.botName }).bot };
    return this.base.bot;
  }

  bots(other: OtherFiles, learned: readonly LearnedCategory[], version: number, fileText: () => string | undefined): WorkspaceBots {
    const base = this.baseBot(other);
    if (this.combined?.stamp !== other.stamp || this.combined.version !== version) {
      const xml = learnedXml(this.botName, learned, fileText, this.validated);
      // An empty overlay still gives a bot of its own: a preview's <learnf> then never changes the base.
      const overlay: BotFiles = xml === undefined ? {} : { [`aiml/${LIVE_TRAINING_FILE_NAME}`]: xml };
      this.combined = { stamp: other.stamp, version, bot: base.withOverlay(overlay).bot };
    }
    return { base, combined: this.combined.bot, withBotFiles: other.real };
  }
}

function learnedXml(botName: string, learned: readonly LearnedCategory[], fileText: () => string | undefined, validated: ValidatedFieldCache): string | undefined {
  if (learned.length === 0) return undefined;
  try {
    return liveTrainingFileText(learned, botName, new Date(0), validated);
  } catch (error) {
    // Categories read from a hand-edited file may not all be writable: the file itself is what the bot would load.
    if (error instanceof InvalidCategoryError) return fileText();
    throw error;
  }
}
