import type { Channel } from '../../protocol/conversation.js';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationQuery, ConversationRow, DesignerRow, MessageRow } from './rows.js';

export type { ConversationQuery, ConversationRow, DesignerRow, MessageRow } from './rows.js';

/**
 * Everything the Platform keeps, behind one asynchronous interface with two backends (DESIGN.md section 6): SQLite in
 * one file (the embedded default, `sqlite-storage.ts`) and PostgreSQL shared by any number of instances
 * (`postgres-storage.ts`). The conversation rules live once above it (`conversations/`), never in a backend.
 *
 * What a backend guarantees, so the rules can rely on it:
 * - `transaction` is atomic and isolated for what the rules read through `lock*`: a conversation read with
 *   `lockConversation` cannot change under the transaction until it commits (SQLite: transactions run one at a time;
 *   PostgreSQL: `SELECT ... FOR UPDATE`). That is what makes takeover exclusive across instances.
 * - `appendEvent` gives each bot gap-free ids in commit order (PostgreSQL: the bot's counter row stays locked until
 *   commit, so a later id never commits before an earlier one).
 * - `afterCommit` callbacks run only after the data is durable, in the order queued, and never when the transaction
 *   rolled back: nothing is acknowledged or forwarded that was not stored.
 * - A transaction that fails for a transient reason (a serialization failure or deadlock in PostgreSQL) is retried by
 *   the backend from the start: `fn` must do its work only through `tx` and must not have other side effects except
 *   through `afterCommit`.
 */
export interface Storage extends StorageReads {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction and resolves with its result after the commit. A nested call (from inside `fn`, with
   * the same `tx`) is not allowed: pass `tx` down instead. `durable: true` asks for the commit to happen now rather
   * than with the next group commit (callers that answer a request synchronously, the REST API and the CLI).
   */
  transaction<T>(fn: (tx: StorageTx) => Promise<T>, options?: { durable?: boolean }): Promise<T>;
  /** Resolves once everything committed so far is durable and its `afterCommit` work has run (tests, shutdown). */
  flush(): Promise<void>;
  /** False while the database cannot be reached (PostgreSQL lost): `/readyz` reports it, writes are refused. */
  readonly healthy: boolean;
  /**
   * This instance's presence counts go away (it starts, or it stops); resolves with the conversations that went
   * offline. `instanceId` of another instance: that instance is dead (missed its heartbeats).
   */
  clearPresence(instanceId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** What a transaction can do: every read (seeing its own writes), locks, and the writes. */
export interface StorageTx extends StorageReads {
  /** Queues work for after the commit (events to subscribers, acknowledgements). */
  afterCommit(fn: () => void): void;

  // ---- locks: read the row and hold it until commit ----
  /** Serialises work on one bot across instances (choosing a robot name no live conversation of the bot has). */
  lockBot(bot: string): Promise<void>;
  /** The conversation, locked against concurrent change (see the interface comment). */
  lockConversation(id: string): Promise<ConversationRow | undefined>;

  // ---- bots and their event logs ----
  ensureBot(bot: string): Promise<void>;
  setSettingsOverrides(bot: string, overrides: unknown): Promise<void>;
  /** Appends to the bot's log with the next gap-free id. */
  appendEvent(bot: string, at: number, event: DomainEvent): Promise<EventEnvelope>;
  /**
   * Appends to the bot's log like `appendEvent`, in the same order with the other appends of the transaction, but the
   * id may be given only at the commit: read `envelope` in `afterCommit` work, never before (it throws). On PostgreSQL
   * the append travels with the COMMIT, so the bot's counter row is locked for one statement instead of the rest of the
   * transaction: every message of a bot, on every instance, waits for that lock. The hot path uses it.
   */
  appendEventAtCommit(bot: string, at: number, event: DomainEvent): Promise<EventAtCommit>;
  /** Keeps the newest `keep` events of the bot. */
  pruneEvents(bot: string, keep: number): Promise<void>;

  // ---- conversations ----
  /** `row.online` is not stored: presence starts at none and changes only through `changePresence`. */
  insertConversation(row: ConversationRow): Promise<void>;
  /** `online` is not in the patch: it is the sum of the instances' presence (`changePresence`). */
  updateConversation(id: string, patch: Partial<Omit<ConversationRow, 'id' | 'bot' | 'online'>>): Promise<void>;
  /** The hot path of every message: lastSeq, lastActivityAt and lastMessage from the new last message. */
  recordLastMessage(id: string, last: NonNullable<ConversationRow['lastMessage']>): Promise<void>;

  // ---- messages ----
  insertMessage(row: MessageRow): Promise<void>;

  // ---- presence, counted per Platform instance so one instance restarting clears only its own users ----
  /** Opens (+1) or closes (-1) an end-user channel on this instance; resolves with the open channels on all instances. */
  changePresence(conversationId: string, instanceId: string, delta: 1 | -1): Promise<number>;

  // ---- AIML client state (predicates, <that> history, per-client <learn>), so a user can move between instances ----
  saveClientState(bot: string, clientKey: string, state: string, at: number): Promise<void>;

  // ---- designers ----
  insertDesigner(row: DesignerRow): Promise<void>;
  touchDesigner(id: string, at: number): Promise<void>;

  // ---- at-most-once designer commands ----
  /** Records the result; false when a result for this (designer, clientId) was already stored (a concurrent retry). */
  recordCommand(designerId: string, clientId: string, method: string, result: unknown, at: number): Promise<boolean>;
  pruneCommands(before: number): Promise<void>;

  // ---- visitors' content reports ----
  insertContentReport(report: Omit<ContentReport, 'id'>): Promise<ContentReport>;
}

/** An event appended with `appendEventAtCommit`: its envelope (with its id) exists once the transaction committed. */
export interface EventAtCommit {
  readonly envelope: EventEnvelope;
}

/** Reads: on `Storage` they see the latest committed state; on a `StorageTx`, also the transaction's own writes. */
export interface StorageReads {
  // ---- bots and their event logs ----
  botNames(): Promise<string[]>;
  settingsOverrides(bot: string): Promise<unknown>;
  lastEventId(bot: string): Promise<number>;
  /** The oldest id still kept (events older than that were pruned), or lastEventId + 1 when none are kept. */
  oldestEventId(bot: string): Promise<number>;
  eventsAfter(bot: string, afterId: number, limit: number): Promise<EventEnvelope[]>;

  // ---- conversations ----
  getConversation(id: string): Promise<ConversationRow | undefined>;
  findConversationBySession(bot: string, sessionKey: string): Promise<ConversationRow | undefined>;
  listConversations(query: ConversationQuery): Promise<ConversationRow[]>;
  /** Every paused conversation (the inactivity lease is rebuilt from them). */
  pausedConversations(): Promise<ConversationRow[]>;
  /** Is this client name used by a conversation of this bot whose user is online or was active at or after `since`? */
  clientNameInUse(bot: string, clientName: string, since: number): Promise<boolean>;
  /** Every client name of this bot in use in that sense (for when most names are taken). */
  liveClientNames(bot: string, since: number): Promise<Set<string>>;
  /**
   * Active Landing Page and widget conversations that may owe the user a bot reply after a crash: the last message is
   * the user's, or the conversation was active at or after `since` (a reply to an earlier message may be missing).
   */
  activeChatConversationsToCheck(since: number): Promise<ConversationRow[]>;

  // ---- AIML client state ----
  loadClientState(bot: string, clientKey: string): Promise<string | undefined>;

  // ---- messages ----
  findMessageByClientId(conversationId: string, clientId: string): Promise<MessageRow | undefined>;
  /** Newest first when paging back (`beforeSeq`), returned oldest first. */
  messagesBefore(conversationId: string, beforeSeq: number, limit: number): Promise<MessageRow[]>;
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<MessageRow[]>;
  /**
   * User messages no bot reply answers: the bot answers in order, so after the last human or system message (a pause
   * or a hand-back drops pending replies), the last (users - bot replies) user messages are the unanswered ones.
   */
  unansweredUserMessages(conversationId: string): Promise<MessageRow[]>;
  /** Messages of a bot in time order, for the logs download; `from <= at < to`, in ms. Read in pages, not all at once. */
  messagesOfBot(bot: string, range: { from?: number; to?: number }): AsyncIterable<MessageRow & { clientName: string; channel: Channel }>;

  // ---- designers ----
  designerByTokenHash(tokenHash: string): Promise<DesignerRow | undefined>;
  designerById(id: string): Promise<DesignerRow | undefined>;
  designers(): Promise<DesignerRow[]>;

  // ---- at-most-once designer commands ----
  commandResult(designerId: string, clientId: string): Promise<{ method: string; result: unknown } | undefined>;

  // ---- visitors' content reports ----
  /** Newest first; every bot's when `bot` is undefined. */
  contentReports(bot: string | undefined, limit: number): Promise<ContentReport[]>;
}
