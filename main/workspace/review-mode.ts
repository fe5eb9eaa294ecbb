import type { LiveTrainingSettings } from '../../protocol/bot-settings.js';

/** The bot's "Review learned answers before the bot uses them" (off when absent, as the Platform reads it). */
export function reviewLearnedAnswers(settings: LiveTrainingSettings | undefined): boolean | undefined {
  if (!settings) return undefined;
  return settings.reviewLearnedAnswers === true;
}
