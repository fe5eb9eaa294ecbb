import { join } from 'node:path';
import { BotName } from '../../protocol/conversation.js';

/** The file every captured reply goes to; the name Pandorabots gives Live Training's learned categories. */
export const LIVE_TRAINING_FILE_NAME = 'pand_livetraining.aiml';
/** What Studio knows about each learned category (source conversation, review state), beside the AIML it describes. */
export const SOURCES_FILE_NAME = 'pand_livetraining.sources.json';
/** The bot's other files as last pulled from the Platform (Pandorabots layout), for conflicts and previews. */
export const PLATFORM_FILES_DIR = 'platform-files';
/** The Platform's learned categories of the bot, mirrored so Training opens offline (issue 13). */
export const MIRROR_FILE_NAME = 'learned-mirror.json';
/** Edits made while the link was down, waiting to be sent in order; and those the Platform did not take. */
export const OUTBOX_FILE_NAME = 'learned-outbox.json';
/** Per-bot workspace preferences (auto-publish, last publish). */
export const PREFERENCES_FILE_NAME = 'training.json';

export interface BotWorkspaceFiles {
  dir: string;
  aimlFile: string;
  sourcesFile: string;
  platformFilesDir: string;
  preferencesFile: string;
  mirrorFile: string;
  outboxFile: string;
}

/**
 * A workspace holds one folder per bot (`<workspace>/<bot>/pand_livetraining.aiml`): categories learned for one
 * bot are published to that bot only. Bot names are 3-64 lowercase letters and digits, so a name can never
 * climb out of the workspace.
 */
export function botWorkspace(workspaceDir: string, bot: string): BotWorkspaceFiles {
  const name = BotName.parse(bot);
  const dir = join(workspaceDir, name);
  return {
    dir,
    aimlFile: join(dir, LIVE_TRAINING_FILE_NAME),
    sourcesFile: join(dir, SOURCES_FILE_NAME),
    platformFilesDir: join(dir, PLATFORM_FILES_DIR),
    preferencesFile: join(dir, PREFERENCES_FILE_NAME),
    mirrorFile: join(dir, MIRROR_FILE_NAME),
    outboxFile: join(dir, OUTBOX_FILE_NAME),
  };
}
