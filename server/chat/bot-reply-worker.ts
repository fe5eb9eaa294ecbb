import type { Logger } from 'pino';
import type { MatchInfo } from '../../protocol/conversation.js';
import type { ReplyTicket } from '../conversations/conversation-rules.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { Repository } from '../storage/repository.js';

/** The one thing the Platform asks of the bot registry to answer end users (BotRegistry satisfies it). */
export interface BotResponder {
  respond(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string }): { text: string; match: MatchInfo[] };
}

/**
 * Answers accepted user messages in order, on a later turn of the event loop: the user's message is stored and
 * forwarded first, and a takeover that lands in between wins (the commit re-checks the pause and drops the reply).
 */
export class BotReplyWorker {
  private queue: ReplyTicket[] = [];
  private scheduled = false;

  constructor(
    private readonly deps: {
      service: ConversationService;
      repo: Repository;
      bots: BotResponder;
      logger: Logger;
      /** Tells the user's channel that the bot could not answer. */
      onFailure: (ticket: ReplyTicket, reason: string) => void;
    },
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  enqueue(ticket: ReplyTicket): void {
    this.queue.push(ticket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Answers everything queued now (also used at shutdown, so accepted messages still get their reply stored). */
  drain(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const ticket of batch) this.answer(ticket);
  }

  private answer(ticket: ReplyTicket): void {
    const { service, bots, logger } = this.deps;
    let answer: { text: string; match: MatchInfo[] };
    try {
      answer = bots.respond(ticket.bot, ticket.conversationId, ticket.input, this.thatOption(ticket));
    } catch (error) {
      logger.error({ err: error, bot: ticket.bot, conversation: ticket.conversationId }, 'the bot could not answer');
      this.deps.onFailure(ticket, 'the bot could not answer this message');
      return;
    }
    const committed = service.commitBotReply(ticket, answer);
    if (!committed) logger.info({ conversation: ticket.conversationId }, 'bot reply dropped: a designer took over while it was being computed');
  }

  /**
   * After a human answered, the reply the user is responding to is the human's, not the bot's last one: the engine's
   * <that> must see it. Only conversations that were ever paused need the look-back.
   */
  private thatOption(ticket: ReplyTicket): { that?: string } | undefined {
    if (ticket.pauseEpoch === 0) return undefined;
    const recent = this.deps.repo.messagesBefore(ticket.conversationId, ticket.inputSeq, 10);
    for (let i = recent.length - 1; i >= 0; i--) {
      const m = recent[i]!;
      if (m.author === 'bot') return undefined;
      if (m.author === 'human') return { that: m.text };
    }
    return undefined;
  }
}
