import type { Channel, ConversationFilter, ConversationState, MatchInfo, SystemNotice } from '../../protocol/conversation.js';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';

/**
 * Everything the Platform keeps, behind one small interface (DESIGN.md section 6). The embedded backend is SQLite
 * (`sqlite-repository.ts`). The interface is synchronous because better-sqlite3 is, and because the conversation rules
 * rely on a read-check-write inside one transaction being atomic; a networked backend would implement `transaction`
 * with a real database transaction and row locks.
 */
export interface Repository {
  /**
   * Runs `fn` atomically (nested calls join the outer transaction). Work queued with `afterCommit` runs once the
   * outermost transaction has committed, and is dropped when it rolls back: events reach designers only after the
   * data they describe is durable. With group commit the commit may come at the end of the event-loop turn;
   * `durable: true` commits before returning (for callers that answer synchronously, like the REST API).
   */
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T;
  afterCommit(fn: () => void): void;
  /** Commits any pending group commit now. */
  flush(): void;

  // ---- bots and their event logs ----
  ensureBot(bot: string): void;
  botNames(): string[];
  settingsOverrides(bot: string): unknown;
  setSettingsOverrides(bot: string, overrides: unknown): void;
  /** Appends to the bot's log with the next gap-free id. */
  appendEvent(bot: string, at: number, event: DomainEvent): EventEnvelope;
  lastEventId(bot: string): number;
  /** The oldest id still kept (events older than that were pruned), or lastEventId + 1 when none are kept. */
  oldestEventId(bot: string): number;
  eventsAfter(bot: string, afterId: number, limit: number): EventEnvelope[];
  /** Keeps the newest `keep` events of the bot. */
  pruneEvents(bot: string, keep: number): void;

  // ---- conversations ----
  insertConversation(row: ConversationRow): void;
  getConversation(id: string): ConversationRow | undefined;
  findConversationBySession(bot: string, sessionKey: string): ConversationRow | undefined;
  updateConversation(id: string, patch: Partial<Omit<ConversationRow, 'id' | 'bot'>>): void;
  /** The hot path of every message: lastSeq, lastActivityAt and lastMessage from the new last message. */
  recordLastMessage(id: string, last: NonNullable<ConversationRow['lastMessage']>): void;
  listConversations(query: ConversationQuery): ConversationRow[];
  /** Every paused conversation (the inactivity lease is rebuilt from them at start). */
  pausedConversations(): ConversationRow[];
  /** Is this client name used by a conversation whose user is online or was active at or after `since`? */
  clientNameInUse(clientName: string, since: number): boolean;
  /** Every client name in use in that sense (for when most names are taken). */
  liveClientNames(since: number): Set<string>;
  /** Nobody is connected after a restart. */
  resetPresence(): void;
  /**
   * Active Landing Page and widget conversations that may owe the user a bot reply after a crash: the last message is
   * the user's, or the conversation was active at or after `since` (a reply to an earlier message may be missing).
   */
  activeChatConversationsToCheck(since: number): ConversationRow[];

  // ---- messages ----
  insertMessage(row: MessageRow): void;
  findMessageByClientId(conversationId: string, clientId: string): MessageRow | undefined;
  /** Newest first when paging back (`beforeSeq`), returned oldest first. */
  messagesBefore(conversationId: string, beforeSeq: number, limit: number): MessageRow[];
  messagesAfter(conversationId: string, afterSeq: number, limit: number): MessageRow[];
  /**
   * User messages no bot reply answers: the bot answers in order, so after the last human or system message (a pause
   * or a hand-back drops pending replies), the last (users - bot replies) user messages are the unanswered ones.
   */
  unansweredUserMessages(conversationId: string): MessageRow[];
  /** Messages of a bot in time order, for the logs download; `from <= at < to`, in ms. */
  messagesOfBot(bot: string, range: { from?: number; to?: number }): Iterable<MessageRow & { clientName: string; channel: Channel }>;

  // ---- designers ----
  insertDesigner(row: DesignerRow): void;
  designerByTokenHash(tokenHash: string): DesignerRow | undefined;
  designerById(id: string): DesignerRow | undefined;
  designers(): DesignerRow[];
  touchDesigner(id: string, at: number): void;

  // ---- at-most-once designer commands ----
  commandResult(designerId: string, clientId: string): { method: string; result: unknown } | undefined;
  recordCommand(designerId: string, clientId: string, method: string, result: unknown, at: number): void;
  pruneCommands(before: number): void;

  // ---- visitors' content reports ----
  insertContentReport(report: Omit<ContentReport, 'id'>): ContentReport;
  /** Newest first; every bot's when `bot` is undefined. */
  contentReports(bot: string | undefined, limit: number): ContentReport[];

  close(): void;
}

export interface ConversationRow {
  id: string;
  bot: string;
  clientName: string;
  channel: Channel;
  /** Hash of the browser's session key, or `api:<client>:<session>` for API conversations. */
  sessionKey: string;
  startedAt: number;
  lastActivityAt: number;
  state: ConversationState;
  heldBy: { id: string; name: string } | null;
  pausedAt: number | null;
  pauseReason: 'takeover' | 'manual' | null;
  /** Incremented on every pause: a bot reply computed before a pause may not commit after it. */
  pauseEpoch: number;
  lastSeq: number;
  lastMessage: { author: MessageRow['author']; text: string; at: number; seq: number } | null;
  fellBack: boolean;
  waitingSince: number | null;
  /** Open end-user channels right now. */
  online: number;
  readOnly: boolean;
}

export interface MessageRow {
  conversationId: string;
  seq: number;
  author: 'user' | 'bot' | 'human' | 'system';
  text: string;
  at: number;
  designer: { id: string; name: string } | null;
  notice: SystemNotice | null;
  match: MatchInfo[] | null;
  /** The end user's client-generated id (user messages), for at-most-once sends. */
  clientId: string | null;
}

export interface DesignerRow {
  id: string;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastActivityAt: number | null;
}

export interface ConversationQuery {
  bot?: string;
  filter: ConversationFilter;
  /** FTS5 query over message texts, already made safe (see `search-query.ts`); or undefined. */
  match?: string;
  /** Substring of the client name (also searched when `match` is set). */
  nameLike?: string;
  /** Keyset cursor: conversations strictly after this position in (lastActivityAt desc, id desc). */
  after?: { lastActivityAt: number; id: string };
  limit: number;
}
