import type { ConversationSummary } from '../../../protocol/conversation.js';

/** How long a user may wait on a human before the conversation is flagged. */
export const WAITING_TOO_LONG_MS = 60_000;

/**
 * A conversation needs the designer when the bot fell back to its default category (it did not know what to say)
 * or the user has been waiting on a human for more than a minute.
 */
export function needsHelp(c: Pick<ConversationSummary, 'fellBack' | 'waitingSince'>, now: number): boolean {
  return c.fellBack || (c.waitingSince !== undefined && now - c.waitingSince > WAITING_TOO_LONG_MS);
}

/** Why, in words, for the row's highlight. */
export function needsHelpReason(c: Pick<ConversationSummary, 'fellBack' | 'waitingSince'>, now: number): string | undefined {
  if (c.waitingSince !== undefined && now - c.waitingSince > WAITING_TOO_LONG_MS) return 'Waiting for a human';
  if (c.fellBack) return 'Bot did not know an answer';
  return undefined;
}
