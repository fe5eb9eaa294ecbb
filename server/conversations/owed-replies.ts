import type { Logger } from 'pino';
import type { Clock } from '../../protocol/clock.js';
import type { DomainEvent } from '../../protocol/designer-wire.js';
import type { Storage, StorageTx } from '../storage/storage.js';
import type { ReplyTicket } from './conversation-rules.js';

/** Past this age an owed reply is no longer sent: the user has moved on, a person should look instead. */
export const DEFAULT_OWED_REPLY_MAX_AGE_MS = 3_600_000;

export interface OwedRepliesOutcome {
  /** Tickets handed to the bot-reply worker, oldest message first per conversation. */
  answered: ReplyTicket[];
  /** Conversations whose owed reply was too old to send: marked as waiting for a human. */
  handedToHumans: string[];
}

/**
 * At start: a user message that was stored and acknowledged, but whose bot reply was still in the worker's memory
 * queue when the process died (kill -9, power cut), is owed a reply. Each one in an active Landing Page or widget
 * conversation is answered now, in order (the user gets it on reconnect, designers as a `message.created`); one
 * older than `maxAgeMs` is not answered by the bot: the conversation is marked as waiting for a human
 * (`waitingSince`, the "Needs help" filter) instead. Paused conversations are never answered by the bot.
 * Run before the Platform accepts connections, so no new message can interleave.
 */
export async function answerOwedReplies(o: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  enqueue: (ticket: ReplyTicket) => void;
  /** Appends an event in the caller's transaction (ConversationService.publishIn): the change and its news commit together. */
  publishIn: (tx: StorageTx, bot: string, event: DomainEvent) => Promise<unknown>;
  /** Bots that can answer now: a deleted bot's conversations stay as they are. */
  hasBot?: (bot: string) => boolean;
  maxAgeMs?: number;
}): Promise<OwedRepliesOutcome> {
  const { storage, clock, logger } = o;
  const now = clock.now();
  const maxAge = o.maxAgeMs ?? DEFAULT_OWED_REPLY_MAX_AGE_MS;
  const outcome: OwedRepliesOutcome = { answered: [], handedToHumans: [] };
  for (const c of await storage.activeChatConversationsToCheck(now - 24 * 3600_000)) {
    if (o.hasBot && !o.hasBot(c.bot)) continue;
    const owed = await storage.unansweredUserMessages(c.id);
    if (owed.length === 0) continue;
    if (now - owed[owed.length - 1]!.at > maxAge) {
      await storage.transaction(async (tx) => {
        await tx.updateConversation(c.id, { waitingSince: owed[0]!.at });
        await o.publishIn(tx, c.bot, { type: 'conversation.waiting', conversationId: c.id, since: owed[0]!.at });
      });
      outcome.handedToHumans.push(c.id);
      logger.warn({ bot: c.bot, conversation: c.id, messages: owed.length }, 'a reply owed since before the restart is too old to send: the conversation waits for a human');
      continue;
    }
    for (const m of owed) {
      const ticket: ReplyTicket = { conversationId: c.id, bot: c.bot, inputSeq: m.seq, input: m.text, pauseEpoch: c.pauseEpoch };
      outcome.answered.push(ticket);
      o.enqueue(ticket);
    }
  }
  if (outcome.answered.length || outcome.handedToHumans.length) {
    logger.info({ answered: outcome.answered.length, waitingForHuman: outcome.handedToHumans.length }, 'replies owed since before the restart');
  }
  return outcome;
}
