import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationRow, DesignerRow, MessageRow } from './rows.js';
import { SqliteReadView } from './sqlite-reads.js';
import { PendingEvent } from './event-at-commit.js';
import type { EventAtCommit, StorageTx } from './storage.js';

/**
 * One transaction of SqliteStorage: reads and writes on the writing connection (so it sees its own writes), inside
 * the savepoint SqliteStorage opened for it. Transactions run one at a time, so a read is already a lock.
 */
export class SqliteTx extends SqliteReadView implements StorageTx {
  /** Work for after the commit, in the order queued; dropped when the transaction rolls back. */
  readonly committed: Array<() => void> = [];
  private ended = false;

  /** The transaction settled: from now on the object refuses work (a caller that kept it past its `fn`). */
  end(): void {
    this.ended = true;
  }

  protected override run<T>(query: () => T): Promise<T> {
    if (this.ended) return Promise.reject(new Error('this transaction has ended: use the tx only inside its transaction function'));
    return super.run(query);
  }

  afterCommit(fn: () => void): void {
    if (this.ended) throw new Error('this transaction has ended: afterCommit must be called inside its transaction function');
    this.committed.push(fn);
  }

  lockBot(bot: string): Promise<void> {
    // Transactions run one at a time on SQLite: nothing else can choose a name for the bot meanwhile.
    return this.run(() => void bot);
  }

  lockConversation(id: string): Promise<ConversationRow | undefined> {
    return this.run(() => this.q.getConversation(id));
  }

  ensureBot(bot: string): Promise<void> {
    return this.run(() => this.q.ensureBot(bot));
  }

  setSettingsOverrides(bot: string, overrides: unknown): Promise<void> {
    return this.run(() => this.q.setSettingsOverrides(bot, overrides));
  }

  appendEvent(bot: string, at: number, event: DomainEvent): Promise<EventEnvelope> {
    return this.run(() => this.q.appendEvent(bot, at, event));
  }

  /** SQLite knows the id at once (transactions run one at a time); it is handed over at the commit as the contract says. */
  async appendEventAtCommit(bot: string, at: number, event: DomainEvent): Promise<EventAtCommit> {
    const appended = await this.appendEvent(bot, at, event);
    const pending = new PendingEvent(bot, at, event);
    this.committed.push(() => pending.settle(appended.id));
    return pending;
  }

  pruneEvents(bot: string, keep: number): Promise<void> {
    return this.run(() => this.q.pruneEvents(bot, keep));
  }

  insertConversation(row: ConversationRow): Promise<void> {
    return this.run(() => this.q.insertConversation(row));
  }

  updateConversation(id: string, patch: Partial<Omit<ConversationRow, 'id' | 'bot' | 'online'>>): Promise<void> {
    return this.run(() => this.q.updateConversation(id, patch));
  }

  recordLastMessage(id: string, last: NonNullable<ConversationRow['lastMessage']>): Promise<void> {
    return this.run(() => this.q.recordLastMessage(id, last));
  }

  insertMessage(row: MessageRow): Promise<void> {
    return this.run(() => this.q.insertMessage(row));
  }

  changePresence(conversationId: string, instanceId: string, delta: 1 | -1): Promise<number> {
    return this.run(() => this.q.changePresence(conversationId, instanceId, delta));
  }

  saveClientState(bot: string, clientKey: string, state: string, at: number): Promise<void> {
    return this.run(() => this.q.saveClientState(bot, clientKey, state, at));
  }

  insertDesigner(row: DesignerRow): Promise<void> {
    return this.run(() => this.q.insertDesigner(row));
  }

  touchDesigner(id: string, at: number): Promise<void> {
    return this.run(() => this.q.touchDesigner(id, at));
  }

  recordCommand(designerId: string, clientId: string, method: string, result: unknown, at: number): Promise<boolean> {
    return this.run(() => this.q.recordCommand(designerId, clientId, method, result, at));
  }

  pruneCommands(before: number): Promise<void> {
    return this.run(() => this.q.pruneCommands(before));
  }

  insertContentReport(report: Omit<ContentReport, 'id'>): Promise<ContentReport> {
    return this.run(() => this.q.insertContentReport(report));
  }
}
