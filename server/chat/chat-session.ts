import { randomBytes } from 'node:crypto';

/**
 * A new end-user session key, issued by the Platform on a browser's first `hello` (protocol/chat-wire.ts): 144 random
 * bits, so one browser's key cannot be guessed from another's and conversations of different browsers stay apart.
 */
export function issueSessionKey(): string {
  return randomBytes(18).toString('base64url');
}

/** The bot's "keep the conversation" time for the channels, in minutes (7 days unless the bot owner set it). */
export const DEFAULT_KEEP_CONVERSATION_MINUTES = 7 * 24 * 60;
