import { join } from 'node:path';
import { BotName } from '../../protocol/conversation.js';

/** The file every captured reply goes to; the name Pandorabots gives Live Training's learned categories. */
export const LIVE_TRAINING_FILE_NAME = 'pand_livetraining.aiml';
/** Where each learned category's source (conversation, input, time) is kept, beside the AIML it describes. */
export const SOURCES_FILE_NAME = 'pand_livetraining.sources.json';

/**
 * A workspace holds one folder per bot (`<workspace>/<bot>/pand_livetraining.aiml`): categories learned for one
 * bot are published to that bot only. Bot names are 3-64 lowercase letters and digits, so a name can never
 * climb out of the workspace.
 */
export function botWorkspace(workspaceDir: string, bot: string): { dir: string; aimlFile: string; sourcesFile: string } {
  const name = BotName.parse(bot);
  const dir = join(workspaceDir, name);
  return { dir, aimlFile: join(dir, LIVE_TRAINING_FILE_NAME), sourcesFile: join(dir, SOURCES_FILE_NAME) };
}
