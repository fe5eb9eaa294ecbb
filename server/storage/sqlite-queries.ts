import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Channel } from '../../protocol/conversation.js';
import type { ContentReport, DomainEvent, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationQuery, ConversationRow, DesignerRow, MessageRow } from './rows.js';
import { CONVERSATION_COLUMN, toContentReport, toConversation, toDesigner, toMessage, type SqlRow } from './sqlite-rows.js';

export type BotMessage = MessageRow & { clientName: string; channel: Channel };

/** Where a page of `messagesOfBot` ended: the next page starts strictly after it. */
export interface BotMessageCursor {
  at: number;
  conversationId: string;
  seq: number;
}

/**
 * Every SQL statement of the SQLite backend, synchronous, over one connection, with its prepared statements cached
 * (parsing SQL for every message showed up in profiles). SqliteStorage runs the reads of a transaction and every
 * write through the writing connection's instance, and reads outside transactions through the reading one's.
 */
export class SqliteQueries {
  private readonly stmts = new Map<string, Statement>();

  constructor(readonly db: Database.Database) {}

  stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // ---- bots and events ----

  ensureBot(bot: string): void {
    this.stmt('INSERT INTO bots (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(bot);
  }

  botNames(): string[] {
    return (this.stmt('SELECT name FROM bots ORDER BY name').all() as SqlRow[]).map((r) => r.name as string);
  }

  settingsOverrides(bot: string): unknown {
    const row = this.stmt('SELECT settings FROM bots WHERE name = ?').get(bot) as SqlRow | undefined;
    return row ? JSON.parse(row.settings as string) : {};
  }

  setSettingsOverrides(bot: string, overrides: unknown): void {
    this.ensureBot(bot);
    this.stmt('UPDATE bots SET settings = ? WHERE name = ?').run(JSON.stringify(overrides), bot);
  }

  appendEvent(bot: string, at: number, event: DomainEvent): EventEnvelope {
    const row = this.stmt('UPDATE bots SET last_event_id = last_event_id + 1 WHERE name = ? RETURNING last_event_id').get(bot) as SqlRow | undefined;
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
    const row = this.stmt('SELECT last_event_id FROM bots WHERE name = ?').get(bot) as SqlRow | undefined;
    return row ? (row.last_event_id as number) : 0;
  }

  oldestEventId(bot: string): number {
    const row = this.stmt('SELECT MIN(id) AS id FROM events WHERE bot = ?').get(bot) as SqlRow;
    return row.id == null ? this.lastEventId(bot) + 1 : (row.id as number);
  }

  eventsAfter(bot: string, afterId: number, limit: number): EventEnvelope[] {
    const rows = this.stmt('SELECT id, at, body FROM events WHERE bot = ? AND id > ? ORDER BY id LIMIT ?').all(bot, afterId, limit) as SqlRow[];
    return rows.map((r) => ({ bot, id: r.id as number, at: r.at as number, event: JSON.parse(r.body as string) as DomainEvent }));
  }

  pruneEvents(bot: string, keep: number): void {
    this.stmt('DELETE FROM events WHERE bot = ? AND id <= (SELECT last_event_id FROM bots WHERE name = ?) - ?').run(bot, bot, keep);
  }

  // ---- conversations ----

  /** `online` is not taken from the row: presence starts at none and changes only through `changePresence`. */
  insertConversation(c: ConversationRow): void {
    this.stmt(
      `INSERT INTO conversations (id, bot, client_name, channel, session_key, started_at, last_activity_at, state, held_by_id,
         held_by_name, paused_at, pause_reason, pause_epoch, last_seq, last_author, last_text, last_at, fell_back, waiting_since,
         online, read_only)
       VALUES (@id, @bot, @clientName, @channel, @sessionKey, @startedAt, @lastActivityAt, @state, @heldById, @heldByName,
         @pausedAt, @pauseReason, @pauseEpoch, @lastSeq, @lastAuthor, @lastText, @lastAt, @fellBack, @waitingSince, 0,
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
      readOnly: c.readOnly ? 1 : 0,
    });
  }

  getConversation(id: string): ConversationRow | undefined {
    const row = this.stmt('SELECT * FROM conversations WHERE id = ?').get(id) as SqlRow | undefined;
    return row && toConversation(row);
  }

  findConversationBySession(bot: string, sessionKey: string): ConversationRow | undefined {
    const row = this.stmt('SELECT * FROM conversations WHERE bot = ? AND session_key = ?').get(bot, sessionKey) as SqlRow | undefined;
    return row && toConversation(row);
  }

  updateConversation(id: string, patch: Partial<Omit<ConversationRow, 'id' | 'bot' | 'online'>>): void {
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
          set(CONVERSATION_COLUMN[field]!, value ? 1 : 0);
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
          set(CONVERSATION_COLUMN[field]!, value);
          break;
        case 'online':
          throw new Error('updateConversation: online is the sum of the instances’ presence: change it with changePresence');
        case 'id':
        case 'bot':
          throw new Error(`updateConversation: ${field} never changes`);
        default:
          // A field the type does not know (the patch came through a cast): refuse it rather than drop it.
          throw new Error(`updateConversation: unknown field ${String(field satisfies never)}`);
      }
    }
    if (columns.length === 0) return;
    // Column names come from the fixed table in sqlite-rows.ts, never from input: the SQL text set is small and cached.
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
    return (this.stmt(sql).all(params) as SqlRow[]).map(toConversation);
  }

  pausedConversations(): ConversationRow[] {
    return (this.stmt("SELECT * FROM conversations WHERE state = 'paused'").all() as SqlRow[]).map(toConversation);
  }

  clientNameInUse(bot: string, clientName: string, since: number): boolean {
    return !!this.stmt('SELECT 1 FROM conversations WHERE bot = ? AND client_name = ? AND (online > 0 OR last_activity_at >= ?) LIMIT 1').get(bot, clientName, since);
  }

  liveClientNames(bot: string, since: number): Set<string> {
    const rows = this.stmt('SELECT client_name FROM conversations WHERE bot = ? AND (online > 0 OR last_activity_at >= ?)').all(bot, since) as SqlRow[];
    return new Set(rows.map((r) => r.client_name as string));
  }

  activeChatConversationsToCheck(since: number): ConversationRow[] {
    const rows = this.stmt(
      "SELECT * FROM conversations WHERE state = 'active' AND read_only = 0 AND channel IN ('landing', 'widget') AND (last_author = 'user' OR last_at >= ?)",
    ).all(since) as SqlRow[];
    return rows.map(toConversation);
  }

  // ---- presence ----

  changePresence(conversationId: string, instanceId: string, delta: 1 | -1): number {
    const p = { c: conversationId, i: instanceId, d: delta };
    this.stmt(
      `INSERT INTO conversation_presence (conversation_id, instance_id, open) VALUES (@c, @i, MAX(0, @d))
       ON CONFLICT (conversation_id, instance_id) DO UPDATE SET open = MAX(0, open + @d)`,
    ).run(p);
    // Rows at zero say nothing: dropping them keeps the table as small as the number of open channels.
    this.stmt('DELETE FROM conversation_presence WHERE conversation_id = ? AND instance_id = ? AND open = 0').run(conversationId, instanceId);
    return this.sumPresence(conversationId);
  }

  /** Drops the presence of one instance (every instance's when undefined); returns the conversations now offline. */
  clearPresence(instanceId: string | undefined): string[] {
    const rows = (
      instanceId === undefined
        ? this.stmt('SELECT DISTINCT conversation_id FROM conversation_presence').all()
        : this.stmt('SELECT conversation_id FROM conversation_presence WHERE instance_id = ?').all(instanceId)
    ) as SqlRow[];
    if (instanceId === undefined) this.stmt('DELETE FROM conversation_presence').run();
    else this.stmt('DELETE FROM conversation_presence WHERE instance_id = ?').run(instanceId);
    const offline: string[] = [];
    for (const r of rows) if (this.sumPresence(r.conversation_id as string) === 0) offline.push(r.conversation_id as string);
    // Conversations counted online without a presence row (a database from before presence per instance).
    if (instanceId === undefined) this.stmt('UPDATE conversations SET online = 0 WHERE online <> 0').run();
    return offline;
  }

  private sumPresence(conversationId: string): number {
    const row = this.stmt(
      'UPDATE conversations SET online = (SELECT COALESCE(SUM(open), 0) FROM conversation_presence WHERE conversation_id = @c) WHERE id = @c RETURNING online',
    ).get({ c: conversationId }) as SqlRow | undefined;
    return row ? (row.online as number) : 0;
  }

  // ---- AIML client state ----

  saveClientState(bot: string, clientKey: string, state: string, at: number): void {
    this.stmt(
      'INSERT INTO client_state (bot, client_key, state, at) VALUES (?, ?, ?, ?) ON CONFLICT (bot, client_key) DO UPDATE SET state = excluded.state, at = excluded.at',
    ).run(bot, clientKey, state, at);
  }

  loadClientState(bot: string, clientKey: string): string | undefined {
    const row = this.stmt('SELECT state FROM client_state WHERE bot = ? AND client_key = ?').get(bot, clientKey) as SqlRow | undefined;
    return row ? (row.state as string) : undefined;
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
    const row = this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?').get(conversationId, clientId) as SqlRow | undefined;
    return row && toMessage(row);
  }

  messagesBefore(conversationId: string, beforeSeq: number, limit: number): MessageRow[] {
    const rows = this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?').all(conversationId, beforeSeq, limit) as SqlRow[];
    return rows.reverse().map(toMessage);
  }

  messagesAfter(conversationId: string, afterSeq: number, limit: number): MessageRow[] {
    const rows = this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(conversationId, afterSeq, limit) as SqlRow[];
    return rows.map(toMessage);
  }

  unansweredUserMessages(conversationId: string): MessageRow[] {
    const counts = this.stmt(
      `SELECT SUM(author = 'user') AS users, SUM(author = 'bot') AS bots FROM messages
       WHERE conversation_id = @id AND seq > (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = @id AND author IN ('system', 'human'))`,
    ).get({ id: conversationId }) as { users: number | null; bots: number | null };
    const owed = (counts.users ?? 0) - (counts.bots ?? 0);
    if (owed <= 0) return [];
    const rows = this.stmt("SELECT * FROM messages WHERE conversation_id = ? AND author = 'user' ORDER BY seq DESC LIMIT ?").all(conversationId, owed) as SqlRow[];
    return rows.reverse().map(toMessage);
  }

  /** One page of a bot's messages in (at, conversation, seq) order, strictly after `after`. */
  messagesOfBotPage(bot: string, range: { from?: number; to?: number }, after: BotMessageCursor | undefined, limit: number): BotMessage[] {
    const rows = this.stmt(
      `SELECT m.*, c.client_name, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.bot = @bot AND m.at >= @from AND m.at < @to
         AND (m.at > @afterAt OR (m.at = @afterAt AND (m.conversation_id > @afterId OR (m.conversation_id = @afterId AND m.seq > @afterSeq))))
       ORDER BY m.at, m.conversation_id, m.seq LIMIT @limit`,
    ).all({
      bot,
      from: range.from ?? 0,
      to: range.to ?? Number.MAX_SAFE_INTEGER,
      afterAt: after?.at ?? -Number.MAX_SAFE_INTEGER,
      afterId: after?.conversationId ?? '',
      afterSeq: after?.seq ?? 0,
      limit,
    }) as SqlRow[];
    return rows.map((row) => ({ ...toMessage(row), clientName: row.client_name as string, channel: row.channel as Channel }));
  }

  // ---- designers ----

  insertDesigner(d: DesignerRow): void {
    this.stmt('INSERT INTO designers (id, name, token_hash, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?)').run(d.id, d.name, d.tokenHash, d.createdAt, d.lastActivityAt);
  }

  designerByTokenHash(tokenHash: string): DesignerRow | undefined {
    const row = this.stmt('SELECT * FROM designers WHERE token_hash = ?').get(tokenHash) as SqlRow | undefined;
    return row && toDesigner(row);
  }

  designerById(id: string): DesignerRow | undefined {
    const row = this.stmt('SELECT * FROM designers WHERE id = ?').get(id) as SqlRow | undefined;
    return row && toDesigner(row);
  }

  designers(): DesignerRow[] {
    return (this.stmt('SELECT * FROM designers ORDER BY created_at').all() as SqlRow[]).map(toDesigner);
  }

  touchDesigner(id: string, at: number): void {
    this.stmt('UPDATE designers SET last_activity_at = MAX(COALESCE(last_activity_at, 0), ?) WHERE id = ?').run(at, id);
  }

  // ---- designer commands ----

  commandResult(designerId: string, clientId: string): { method: string; result: unknown } | undefined {
    const row = this.stmt('SELECT method, result FROM designer_commands WHERE designer_id = ? AND client_id = ?').get(designerId, clientId) as SqlRow | undefined;
    return row && { method: row.method as string, result: JSON.parse(row.result as string) };
  }

  recordCommand(designerId: string, clientId: string, method: string, result: unknown, at: number): boolean {
    const { changes } = this.stmt(
      'INSERT INTO designer_commands (designer_id, client_id, method, result, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (designer_id, client_id) DO NOTHING',
    ).run(designerId, clientId, method, JSON.stringify(result), at);
    return changes === 1;
  }

  pruneCommands(before: number): void {
    this.stmt('DELETE FROM designer_commands WHERE at < ?').run(before);
  }

  // ---- visitors' content reports ----

  insertContentReport(report: Omit<ContentReport, 'id'>): ContentReport {
    const { lastInsertRowid } = this.stmt('INSERT INTO content_reports (bot, reason, details, at) VALUES (?, ?, ?, ?)').run(report.bot, report.reason, report.details, report.at);
    return { id: Number(lastInsertRowid), ...report };
  }

  contentReports(bot: string | undefined, limit: number): ContentReport[] {
    const rows = (
      bot === undefined
        ? this.stmt('SELECT * FROM content_reports ORDER BY id DESC LIMIT ?').all(limit)
        : this.stmt('SELECT * FROM content_reports WHERE bot = ? ORDER BY id DESC LIMIT ?').all(bot, limit)
    ) as SqlRow[];
    return rows.map(toContentReport);
  }
}
