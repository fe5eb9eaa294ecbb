import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Channel } from '../../protocol/conversation.js';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationQuery, ConversationRow, DesignerRow, MessageRow, Repository } from './repository.js';
import { startBackgroundCheckpoint, type BackgroundCheckpoint } from './background-checkpoint.js';
import { MIGRATIONS } from './schema.js';

export interface SqliteOptions {
  /** Path of the database file, or ':memory:' for tests. */
  file: string;
  /**
   * `normal` (default): WAL with synchronous=NORMAL. Every committed transaction is in the WAL file before the call
   * returns, so a killed process (SIGKILL, crash) loses nothing; only an OS crash or power cut can lose the last
   * transactions. `full` also fsyncs each commit, for machines where that matters more than throughput.
   */
  durability?: 'normal' | 'full';
  /**
   * Group commit: the transactions of one event-loop turn share one SQLite commit, made before the next turn.
   * Everything that acknowledges or forwards waits for it (`afterCommit`), so nothing is acknowledged before it is
   * stored; throughput under load rises several-fold because a commit costs far more than the writes in it.
   */
  groupCommit?: boolean;
  /** A batch could not be committed (disk full, I/O error): nothing in it was acknowledged. */
  onCommitError?: (error: unknown) => void;
  /**
   * Checkpoint the WAL every this many ms on a worker thread instead of inside commits (see background-checkpoint.ts).
   * For long-running writers (the Platform); a file database only.
   */
  backgroundCheckpointMs?: number;
  onBackgroundError?: (message: string) => void;
}

/** If the WAL grows past this anyway (the worker died or cannot keep up), the writer checkpoints itself. */
const WAL_GUARD_BYTES = 256 * 1024 * 1024;

type Row = Record<string, unknown>;

/** The embedded backend: one SQLite file per data dir, WAL, prepared statements. */
export class SqliteRepository implements Repository {
  private readonly db: Database.Database;
  private depth = 0;
  private batchOpen = false;
  private pending: Array<() => void> = [];
  private readonly groupCommit: boolean;
  private readonly onCommitError: (error: unknown) => void;
  private readonly stmts = new Map<string, Statement>();
  private readonly file: string;
  private checkpointer: BackgroundCheckpoint | undefined;
  private commitsSinceGuard = 0;

  constructor(options: SqliteOptions) {
    this.groupCommit = options.groupCommit ?? false;
    this.onCommitError =
      options.onCommitError ??
      ((error) => {
        throw error;
      });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    // A second process (the CLI's `designer add`) may write while the Platform runs: wait instead of failing.
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.file = options.file;
    if (options.backgroundCheckpointMs && options.file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = startBackgroundCheckpoint(options.file, options.backgroundCheckpointMs, options.onBackgroundError ?? (() => {}));
    }
  }

  /** Stops the checkpoint worker (before close, so the final checkpoint does not wait for it). */
  async stopBackgroundWork(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
  }

  private guardWal(): void {
    if (!this.checkpointer || ++this.commitsSinceGuard < 1000) return;
    this.commitsSinceGuard = 0;
    try {
      if (statSync(`${this.file}-wal`).size > WAL_GUARD_BYTES) this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // No WAL file right now: nothing to guard.
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    if (this.depth > 0) return this.savepoint(fn);
    if (this.batchOpen) {
      // Join this turn's batch; a savepoint lets a failing step roll back alone.
      const result = this.savepoint(fn);
      if (options.durable) this.commitBatch();
      return result;
    }
    if (this.groupCommit && !options.durable) {
      this.stmt('BEGIN IMMEDIATE').run();
      this.batchOpen = true;
      setImmediate(() => this.commitBatch());
      return this.savepoint(fn);
    }
    this.stmt('BEGIN IMMEDIATE').run();
    this.batchOpen = true;
    let result: T;
    try {
      result = this.savepoint(fn);
    } catch (error) {
      this.commitBatch();
      throw error;
    }
    this.commitBatch();
    return result;
  }

  private savepoint<T>(fn: () => T): T {
    // Cached statements: this runs for every message, and parsing SQL each time showed up in profiles.
    const queuedBefore = this.pending.length;
    this.stmt('SAVEPOINT sp').run();
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.depth--;
      this.pending.length = queuedBefore;
      this.stmt('ROLLBACK TO sp').run();
      this.stmt('RELEASE sp').run();
      throw error;
    }
    this.depth--;
    this.stmt('RELEASE sp').run();
    return result;
  }

  /** Commits the open batch, then lets everything that waited for it (acknowledgements, events) go out. */
  private commitBatch(): void {
    if (!this.batchOpen) return;
    this.batchOpen = false;
    const queued = this.pending;
    this.pending = [];
    try {
      this.stmt('COMMIT').run();
    } catch (error) {
      // Nothing in the batch was acknowledged, so the clients resend; the Platform carries on.
      if (this.db.inTransaction) this.stmt('ROLLBACK').run();
      this.onCommitError(error);
      return;
    }
    this.guardWal();
    for (const run of queued) run();
  }

  afterCommit(fn: () => void): void {
    if (this.depth > 0 || this.batchOpen) this.pending.push(fn);
    else fn();
  }

  /** Commits what is pending now (tests and shutdown). */
  flush(): void {
    this.commitBatch();
  }

  // ---- bots and events ----

  ensureBot(bot: string): void {
    this.stmt('INSERT INTO bots (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(bot);
  }

  botNames(): string[] {
    return (this.stmt('SELECT name FROM bots ORDER BY name').all() as Row[]).map((r) => r.name as string);
  }

  settingsOverrides(bot: string): unknown {
    const row = this.stmt('SELECT settings FROM bots WHERE name = ?').get(bot) as Row | undefined;
    return row ? JSON.parse(row.settings as string) : {};
  }

  setSettingsOverrides(bot: string, overrides: unknown): void {
    this.ensureBot(bot);
    this.stmt('UPDATE bots SET settings = ? WHERE name = ?').run(JSON.stringify(overrides), bot);
  }

  appendEvent(bot: string, at: number, event: DomainEvent): EventEnvelope {
    // Always called inside the transaction of the change it describes, so the id and the row commit together.
    if (this.depth === 0) return this.transaction(() => this.appendEvent(bot, at, event));
    const row = this.stmt('UPDATE bots SET last_event_id = last_event_id + 1 WHERE name = ? RETURNING last_event_id').get(bot) as Row | undefined;
    let id: number;
    if (row) id = row.last_event_id as number;
    else {
      this.stmt('INSERT INTO bots (name, last_event_id) VALUES (?, 1)').run(bot);
      id = 1;
    }
    this.stmt('INSERT INTO events (bot, id, at, body) VALUES (?, ?, ?, ?)').run(bot, id, at, JSON.stringify(event));
    return { bot, id, at, event };
  }

  lastEventId(bot: string): number {
    const row = this.stmt('SELECT last_event_id FROM bots WHERE name = ?').get(bot) as Row | undefined;
    return row ? (row.last_event_id as number) : 0;
  }

  oldestEventId(bot: string): number {
    const row = this.stmt('SELECT MIN(id) AS id FROM events WHERE bot = ?').get(bot) as Row;
    return row.id == null ? this.lastEventId(bot) + 1 : (row.id as number);
  }

  eventsAfter(bot: string, afterId: number, limit: number): EventEnvelope[] {
    const rows = this.stmt('SELECT id, at, body FROM events WHERE bot = ? AND id > ? ORDER BY id LIMIT ?').all(bot, afterId, limit) as Row[];
    return rows.map((r) => ({ bot, id: r.id as number, at: r.at as number, event: JSON.parse(r.body as string) as DomainEvent }));
  }

  pruneEvents(bot: string, keep: number): void {
    this.stmt('DELETE FROM events WHERE bot = ? AND id <= (SELECT last_event_id FROM bots WHERE name = ?) - ?').run(bot, bot, keep);
  }

  // ---- conversations ----

  insertConversation(c: ConversationRow): void {
    this.stmt(
      `INSERT INTO conversations (id, bot, client_name, channel, session_key, started_at, last_activity_at, state, held_by_id,
         held_by_name, paused_at, pause_reason, pause_epoch, last_seq, last_author, last_text, last_at, fell_back, waiting_since,
         online, read_only)
       VALUES (@id, @bot, @clientName, @channel, @sessionKey, @startedAt, @lastActivityAt, @state, @heldById, @heldByName,
         @pausedAt, @pauseReason, @pauseEpoch, @lastSeq, @lastAuthor, @lastText, @lastAt, @fellBack, @waitingSince, @online,
         @readOnly)`,
    ).run({
      id: c.id,
      bot: c.bot,
      clientName: c.clientName,
      channel: c.channel,
      sessionKey: c.sessionKey,
      startedAt: c.startedAt,
      lastActivityAt: c.lastActivityAt,
      state: c.state,
      heldById: c.heldBy?.id ?? null,
      heldByName: c.heldBy?.name ?? null,
      pausedAt: c.pausedAt,
      pauseReason: c.pauseReason,
      pauseEpoch: c.pauseEpoch,
      lastSeq: c.lastSeq,
      lastAuthor: c.lastMessage?.author ?? null,
      lastText: c.lastMessage?.text ?? null,
      lastAt: c.lastMessage?.at ?? null,
      fellBack: c.fellBack ? 1 : 0,
      waitingSince: c.waitingSince,
      online: c.online,
      readOnly: c.readOnly ? 1 : 0,
    });
  }

  getConversation(id: string): ConversationRow | undefined {
    const row = this.stmt('SELECT * FROM conversations WHERE id = ?').get(id) as Row | undefined;
    return row && toConversation(row);
  }

  findConversationBySession(bot: string, sessionKey: string): ConversationRow | undefined {
    const row = this.stmt('SELECT * FROM conversations WHERE bot = ? AND session_key = ?').get(bot, sessionKey) as Row | undefined;
    return row && toConversation(row);
  }

  updateConversation(id: string, patch: Partial<Omit<ConversationRow, 'id' | 'bot'>>): void {
    const columns: string[] = [];
    const values: Record<string, unknown> = { id };
    const set = (column: string, value: unknown) => {
      columns.push(`${column} = @${column}`);
      values[column] = value;
    };
    for (const [key, value] of Object.entries(patch)) {
      const field = key as keyof ConversationRow;
      switch (field) {
        case 'heldBy': {
          const held = value as ConversationRow['heldBy'];
          set('held_by_id', held?.id ?? null);
          set('held_by_name', held?.name ?? null);
          break;
        }
        case 'lastMessage': {
          const last = value as ConversationRow['lastMessage'];
          set('last_author', last?.author ?? null);
          set('last_text', last?.text ?? null);
          set('last_at', last?.at ?? null);
          break;
        }
        case 'fellBack':
        case 'readOnly':
          set(COLUMN[field]!, value ? 1 : 0);
          break;
        case 'clientName':
        case 'channel':
        case 'sessionKey':
        case 'startedAt':
        case 'lastActivityAt':
        case 'state':
        case 'pausedAt':
        case 'pauseReason':
        case 'pauseEpoch':
        case 'lastSeq':
        case 'waitingSince':
        case 'online':
          set(COLUMN[field]!, value);
          break;
        case 'id':
        case 'bot':
          throw new Error(`updateConversation: ${field} never changes`);
        default:
          // A field the type does not know (the patch came through a cast): refuse it rather than drop it.
          throw new Error(`updateConversation: unknown field ${String(field satisfies never)}`);
      }
    }
    if (columns.length === 0) return;
    // Column names come from the fixed COLUMN table above, never from input: the SQL text set is small and cached.
    this.stmt(`UPDATE conversations SET ${columns.join(', ')} WHERE id = @id`).run(values);
  }

  recordLastMessage(id: string, last: NonNullable<ConversationRow['lastMessage']>): void {
    this.stmt('UPDATE conversations SET last_seq = ?, last_activity_at = ?, last_author = ?, last_text = ?, last_at = ? WHERE id = ?').run(
      last.seq,
      last.at,
      last.author,
      last.text,
      last.at,
      id,
    );
  }

  listConversations(q: ConversationQuery): ConversationRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit };
    if (q.bot) {
      where.push('bot = @bot');
      params.bot = q.bot;
    }
    switch (q.filter) {
      case 'live':
        where.push('online > 0');
        break;
      case 'paused':
        where.push("state = 'paused'");
        break;
      case 'needsHelp':
        where.push('(fell_back = 1 OR waiting_since IS NOT NULL)');
        break;
      case 'all':
        break;
    }
    const textual: string[] = [];
    if (q.match) {
      textual.push('id IN (SELECT m.conversation_id FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid WHERE messages_fts MATCH @match)');
      params.match = q.match;
    }
    if (q.nameLike) {
      textual.push("client_name LIKE @nameLike ESCAPE '\\'");
      params.nameLike = `%${q.nameLike.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (textual.length) where.push(`(${textual.join(' OR ')})`);
    if (q.after) {
      where.push('(last_activity_at < @afterAt OR (last_activity_at = @afterAt AND id < @afterId))');
      params.afterAt = q.after.lastActivityAt;
      params.afterId = q.after.id;
    }
    const sql = `SELECT * FROM conversations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY last_activity_at DESC, id DESC LIMIT @limit`;
    return (this.stmt(sql).all(params) as Row[]).map(toConversation);
  }

  pausedConversations(): ConversationRow[] {
    return (this.stmt("SELECT * FROM conversations WHERE state = 'paused'").all() as Row[]).map(toConversation);
  }

  clientNameInUse(clientName: string, since: number): boolean {
    return !!this.stmt('SELECT 1 FROM conversations WHERE client_name = ? AND (online > 0 OR last_activity_at >= ?) LIMIT 1').get(clientName, since);
  }

  liveClientNames(since: number): Set<string> {
    const rows = this.stmt('SELECT client_name FROM conversations WHERE online > 0 OR last_activity_at >= ?').all(since) as Row[];
    return new Set(rows.map((r) => r.client_name as string));
  }

  resetPresence(): void {
    this.stmt('UPDATE conversations SET online = 0 WHERE online <> 0').run();
  }

  // ---- messages ----

  insertMessage(m: MessageRow): void {
    this.stmt(
      `INSERT INTO messages (conversation_id, seq, author, text, at, designer_id, designer_name, notice, match, client_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.conversationId,
      m.seq,
      m.author,
      m.text,
      m.at,
      m.designer?.id ?? null,
      m.designer?.name ?? null,
      m.notice,
      m.match ? JSON.stringify(m.match) : null,
      m.clientId,
    );
  }

  findMessageByClientId(conversationId: string, clientId: string): MessageRow | undefined {
    const row = this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?').get(conversationId, clientId) as Row | undefined;
    return row && toMessage(row);
  }

  messagesBefore(conversationId: string, beforeSeq: number, limit: number): MessageRow[] {
    const rows = this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?').all(conversationId, beforeSeq, limit) as Row[];
    return rows.reverse().map(toMessage);
  }

  activeChatConversationsToCheck(since: number): ConversationRow[] {
    const rows = this.stmt(
      "SELECT * FROM conversations WHERE state = 'active' AND read_only = 0 AND channel IN ('landing', 'widget') AND (last_author = 'user' OR last_at >= ?)",
    ).all(since) as Row[];
    return rows.map(toConversation);
  }

  unansweredUserMessages(conversationId: string): MessageRow[] {
    const counts = this.stmt(
      `SELECT SUM(author = 'user') AS users, SUM(author = 'bot') AS bots FROM messages
       WHERE conversation_id = @id AND seq > (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = @id AND author IN ('system', 'human'))`,
    ).get({ id: conversationId }) as { users: number | null; bots: number | null };
    const owed = (counts.users ?? 0) - (counts.bots ?? 0);
    if (owed <= 0) return [];
    const rows = this.stmt("SELECT * FROM messages WHERE conversation_id = ? AND author = 'user' ORDER BY seq DESC LIMIT ?").all(conversationId, owed) as Row[];
    return rows.reverse().map(toMessage);
  }

  messagesAfter(conversationId: string, afterSeq: number, limit: number): MessageRow[] {
    const rows = this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(conversationId, afterSeq, limit) as Row[];
    return rows.map(toMessage);
  }

  *messagesOfBot(bot: string, range: { from?: number; to?: number }): Iterable<MessageRow & { clientName: string; channel: Channel }> {
    const rows = this.stmt(
      `SELECT m.*, c.client_name, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.bot = ? AND m.at >= ? AND m.at < ? ORDER BY m.at, m.conversation_id, m.seq`,
    ).iterate(bot, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as IterableIterator<Row>;
    for (const row of rows) yield { ...toMessage(row), clientName: row.client_name as string, channel: row.channel as Channel };
  }

  // ---- designers ----

  insertDesigner(d: DesignerRow): void {
    this.stmt('INSERT INTO designers (id, name, token_hash, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?)').run(d.id, d.name, d.tokenHash, d.createdAt, d.lastActivityAt);
  }

  designerByTokenHash(tokenHash: string): DesignerRow | undefined {
    const row = this.stmt('SELECT * FROM designers WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return row && toDesigner(row);
  }

  designerById(id: string): DesignerRow | undefined {
    const row = this.stmt('SELECT * FROM designers WHERE id = ?').get(id) as Row | undefined;
    return row && toDesigner(row);
  }

  designers(): DesignerRow[] {
    return (this.stmt('SELECT * FROM designers ORDER BY created_at').all() as Row[]).map(toDesigner);
  }

  touchDesigner(id: string, at: number): void {
    this.stmt('UPDATE designers SET last_activity_at = MAX(COALESCE(last_activity_at, 0), ?) WHERE id = ?').run(at, id);
  }

  // ---- designer commands ----

  commandResult(designerId: string, clientId: string): { method: string; result: unknown } | undefined {
    const row = this.stmt('SELECT method, result FROM designer_commands WHERE designer_id = ? AND client_id = ?').get(designerId, clientId) as Row | undefined;
    return row && { method: row.method as string, result: JSON.parse(row.result as string) };
  }

  recordCommand(designerId: string, clientId: string, method: string, result: unknown, at: number): void {
    this.stmt('INSERT INTO designer_commands (designer_id, client_id, method, result, at) VALUES (?, ?, ?, ?, ?)').run(designerId, clientId, method, JSON.stringify(result), at);
  }

  pruneCommands(before: number): void {
    this.stmt('DELETE FROM designer_commands WHERE at < ?').run(before);
  }

  insertContentReport(report: Omit<ContentReport, 'id'>): ContentReport {
    const { lastInsertRowid } = this.stmt('INSERT INTO content_reports (bot, reason, details, at) VALUES (?, ?, ?, ?)').run(report.bot, report.reason, report.details, report.at);
    return { id: Number(lastInsertRowid), ...report };
  }

  contentReports(bot: string | undefined, limit: number): ContentReport[] {
    const rows = (
      bot === undefined
        ? this.stmt('SELECT * FROM content_reports ORDER BY id DESC LIMIT ?').all(limit)
        : this.stmt('SELECT * FROM content_reports WHERE bot = ? ORDER BY id DESC LIMIT ?').all(bot, limit)
    ) as Row[];
    return rows.map((r) => ({ id: r.id as number, bot: r.bot as string, reason: r.reason as ContentReport['reason'], details: r.details as string, at: r.at as number }));
  }

  close(): void {
    if (!this.db.open) return;
    this.commitBatch();
    // Fold the WAL back into the main file so a clean shutdown leaves one self-contained database.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

const COLUMN: Record<string, string> = {
  clientName: 'client_name',
  channel: 'channel',
  sessionKey: 'session_key',
  startedAt: 'started_at',
  lastActivityAt: 'last_activity_at',
  state: 'state',
  pausedAt: 'paused_at',
  pauseReason: 'pause_reason',
  pauseEpoch: 'pause_epoch',
  lastSeq: 'last_seq',
  fellBack: 'fell_back',
  waitingSince: 'waiting_since',
  online: 'online',
  readOnly: 'read_only',
};

function toConversation(r: Row): ConversationRow {
  return {
    id: r.id as string,
    bot: r.bot as string,
    clientName: r.client_name as string,
    channel: r.channel as Channel,
    sessionKey: r.session_key as string,
    startedAt: r.started_at as number,
    lastActivityAt: r.last_activity_at as number,
    state: r.state as ConversationRow['state'],
    heldBy: r.held_by_id == null ? null : { id: r.held_by_id as string, name: r.held_by_name as string },
    pausedAt: (r.paused_at as number | null) ?? null,
    pauseReason: (r.pause_reason as ConversationRow['pauseReason']) ?? null,
    pauseEpoch: r.pause_epoch as number,
    lastSeq: r.last_seq as number,
    lastMessage:
      r.last_author == null
        ? null
        : { author: r.last_author as MessageRow['author'], text: r.last_text as string, at: r.last_at as number, seq: r.last_seq as number },
    fellBack: r.fell_back === 1,
    waitingSince: (r.waiting_since as number | null) ?? null,
    online: r.online as number,
    readOnly: r.read_only === 1,
  };
}

function toMessage(r: Row): MessageRow {
  return {
    conversationId: r.conversation_id as string,
    seq: r.seq as number,
    author: r.author as MessageRow['author'],
    text: r.text as string,
    at: r.at as number,
    designer: r.designer_id == null ? null : { id: r.designer_id as string, name: r.designer_name as string },
    notice: (r.notice as MessageRow['notice']) ?? null,
    match: r.match == null ? null : JSON.parse(r.match as string),
    clientId: (r.client_id as string | null) ?? null,
  };
}

function toDesigner(r: Row): DesignerRow {
  return {
    id: r.id as string,
    name: r.name as string,
    tokenHash: r.token_hash as string,
    createdAt: r.created_at as number,
    lastActivityAt: (r.last_activity_at as number | null) ?? null,
  };
}
