import type { Logger } from 'pino';
import type { MatchInfo } from '../../protocol/conversation.js';
import type { ReplyTicket } from '../conversations/conversation-rules.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { StorageReads } from '../storage/storage.js';

/** The one thing the Platform asks of the bot registry to answer end users (BotRegistry satisfies it). */
export interface BotResponder {
  /** The answer in the client's restored AIML state; `stateSaved` settles when the state after it is stored. */
  respondSaving(bot: string, clientKey: string, input: string, options?: { that?: string; topic?: string }): Promise<{ answer: { text: string; match: MatchInfo[] }; stateSaved: Promise<void> }>;
}

/**
 * Answers accepted user messages in order, after the user's message is stored and forwarded (a ticket comes only once
 * its message committed), and a takeover that lands in between wins (the commit re-checks the pause and drops the
 * reply). The tickets of one group commit are answered together, right after it (a microtask, not a later turn: that
 * kept the old synchronous storage's timing, where the replies were computed in the same turn as the commit).
 * A conversation's replies are committed in the order their tickets came (the storage runs transactions first come,
 * first served); the worker does not wait for one commit before computing the next reply.
 */
export class BotReplyWorker {
  private queue: ReplyTicket[] = [];
  private scheduled = false;
  /** Commits asked for and not settled yet (shutdown waits for them). */
  private readonly committing = new Set<Promise<unknown>>();
  /**
   * Per conversation, the last reply asked for: the next one starts after it, so a conversation's replies keep their
   * order, while different conversations' replies overlap (restoring a client's AIML state is a database read in a
   * cluster: queued one behind another, those reads would cap the whole Platform's reply rate).
   */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      service: ConversationService;
      storage: StorageReads;
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
      queueMicrotask(() => void this.drain());
    }
  }

  /**
   * Answers everything queued now (also at shutdown, so accepted messages still get their reply stored); resolves
   * once every reply asked for so far is committed or dropped.
   */
  drain(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const ticket of batch) this.chain(ticket);
    return Promise.all([...this.chains.values()])
      .then(() => Promise.allSettled([...this.committing]))
      .then(() => undefined);
  }

  private chain(ticket: ReplyTicket): void {
    const id = ticket.conversationId;
    const next = (this.chains.get(id) ?? Promise.resolve()).then(() => this.answer(ticket));
    this.chains.set(id, next);
    void next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  private async answer(ticket: ReplyTicket): Promise<void> {
    const { service, bots, logger } = this.deps;
    let answer: { text: string; match: MatchInfo[] };
    let stateSaved: Promise<void>;
    try {
      ({ answer, stateSaved } = await bots.respondSaving(ticket.bot, ticket.conversationId, ticket.input, await this.thatOption(ticket)));
    } catch (error) {
      logger.error({ err: error, bot: ticket.bot, conversation: ticket.conversationId }, 'the bot could not answer');
      this.deps.onFailure(ticket, 'the bot could not answer this message');
      return;
    }
    // The client's AIML state (a name it gave, what it taught the bot) is stored before its reply: a user who moves to
    // another instance after seeing the reply finds the state too. The next reply is computed meanwhile.
    const commit = stateSaved.then(() => service.commitBotReply(ticket, answer)).then(
      (committed) => {
        if (!committed) logger.info({ conversation: ticket.conversationId }, 'bot reply dropped: a designer took over while it was being computed');
      },
      (error: unknown) => {
        logger.error({ err: error, bot: ticket.bot, conversation: ticket.conversationId }, 'the bot reply could not be stored');
        this.deps.onFailure(ticket, 'the bot reply could not be stored');
      },
    );
    this.committing.add(commit);
    void commit.finally(() => this.committing.delete(commit));
  }

  /**
   * After a human answered, the reply the user is responding to is the human's, not the bot's last one: the engine's
   * <that> must see it. Only conversations that were ever paused need the look-back.
   */
  private async thatOption(ticket: ReplyTicket): Promise<{ that?: string } | undefined> {
    if (ticket.pauseEpoch === 0) return undefined;
    const recent = await this.deps.storage.messagesBefore(ticket.conversationId, ticket.inputSeq, 10);
    for (let i = recent.length - 1; i >= 0; i--) {
      const m = recent[i]!;
      if (m.author === 'bot') return undefined;
      if (m.author === 'human') return { that: m.text };
    }
    return undefined;
  }
}
