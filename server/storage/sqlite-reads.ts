import type { ContentReport, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationQuery, ConversationRow, DesignerRow, MessageRow } from './rows.js';
import type { BotMessage, BotMessageCursor, SqliteQueries } from './sqlite-queries.js';
import type { StorageReads } from './storage.js';

/** Rows per page of `messagesOfBot`: a logs download of a busy bot never holds all of it at once. */
const BOT_MESSAGES_PAGE = 1000;

/**
 * The reads of `StorageReads` over one SQLite connection. better-sqlite3 is synchronous, so each answer is an
 * already-settled promise: no statement costs more than a microtask on top of its SQL (bench:platform).
 */
export class SqliteReadView implements StorageReads {
  constructor(protected readonly q: SqliteQueries) {}

  /** Runs a statement; a thrown error becomes a rejected promise, as from any asynchronous backend. */
  protected run<T>(query: () => T): Promise<T> {
    try {
      return Promise.resolve(query());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  botNames(): Promise<string[]> {
    return this.run(() => this.q.botNames());
  }

  settingsOverrides(bot: string): Promise<unknown> {
    return this.run(() => this.q.settingsOverrides(bot));
  }

  lastEventId(bot: string): Promise<number> {
    return this.run(() => this.q.lastEventId(bot));
  }

  oldestEventId(bot: string): Promise<number> {
    return this.run(() => this.q.oldestEventId(bot));
  }

  eventsAfter(bot: string, afterId: number, limit: number): Promise<EventEnvelope[]> {
    return this.run(() => this.q.eventsAfter(bot, afterId, limit));
  }

  getConversation(id: string): Promise<ConversationRow | undefined> {
    return this.run(() => this.q.getConversation(id));
  }

  findConversationBySession(bot: string, sessionKey: string): Promise<ConversationRow | undefined> {
    return this.run(() => this.q.findConversationBySession(bot, sessionKey));
  }

  listConversations(query: ConversationQuery): Promise<ConversationRow[]> {
    return this.run(() => this.q.listConversations(query));
  }

  pausedConversations(): Promise<ConversationRow[]> {
    return this.run(() => this.q.pausedConversations());
  }

  clientNameInUse(bot: string, clientName: string, since: number): Promise<boolean> {
    return this.run(() => this.q.clientNameInUse(bot, clientName, since));
  }

  liveClientNames(bot: string, since: number): Promise<Set<string>> {
    return this.run(() => this.q.liveClientNames(bot, since));
  }

  activeChatConversationsToCheck(since: number): Promise<ConversationRow[]> {
    return this.run(() => this.q.activeChatConversationsToCheck(since));
  }

  loadClientState(bot: string, clientKey: string): Promise<string | undefined> {
    return this.run(() => this.q.loadClientState(bot, clientKey));
  }

  findMessageByClientId(conversationId: string, clientId: string): Promise<MessageRow | undefined> {
    return this.run(() => this.q.findMessageByClientId(conversationId, clientId));
  }

  messagesBefore(conversationId: string, beforeSeq: number, limit: number): Promise<MessageRow[]> {
    return this.run(() => this.q.messagesBefore(conversationId, beforeSeq, limit));
  }

  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<MessageRow[]> {
    return this.run(() => this.q.messagesAfter(conversationId, afterSeq, limit));
  }

  unansweredUserMessages(conversationId: string): Promise<MessageRow[]> {
    return this.run(() => this.q.unansweredUserMessages(conversationId));
  }

  async *messagesOfBot(bot: string, range: { from?: number; to?: number }): AsyncIterable<BotMessage> {
    let after: BotMessageCursor | undefined;
    for (;;) {
      const page = await this.run(() => this.q.messagesOfBotPage(bot, range, after, BOT_MESSAGES_PAGE));
      yield* page;
      const last = page[page.length - 1];
      if (!last || page.length < BOT_MESSAGES_PAGE) return;
      after = { at: last.at, conversationId: last.conversationId, seq: last.seq };
    }
  }

  designerByTokenHash(tokenHash: string): Promise<DesignerRow | undefined> {
    return this.run(() => this.q.designerByTokenHash(tokenHash));
  }

  designerById(id: string): Promise<DesignerRow | undefined> {
    return this.run(() => this.q.designerById(id));
  }

  designers(): Promise<DesignerRow[]> {
    return this.run(() => this.q.designers());
  }

  commandResult(designerId: string, clientId: string): Promise<{ method: string; result: unknown } | undefined> {
    return this.run(() => this.q.commandResult(designerId, clientId));
  }

  contentReports(bot: string | undefined, limit: number): Promise<ContentReport[]> {
    return this.run(() => this.q.contentReports(bot, limit));
  }
}
