import type { Channel } from '../../protocol/conversation.js';
import type { ContentReport, EventEnvelope } from '../../protocol/designer-wire.js';
import type { ConversationQuery, ConversationRow, DesignerRow, MessageRow } from './rows.js';
import type { StorageReads } from './storage.js';
import { ftsMatchToTsquery } from './postgres-search.js';
import { toContentReport, toConversation, toDesigner, toEvent, toMessage, type Row } from './postgres-rows.js';

/** One query: `name` makes it a prepared statement (parsed and planned once per connection), for the hot paths. */
export interface Query {
  name?: string;
  text: string;
  values?: unknown[];
}

/** Rows per page of `messagesOfBot`: a logs download of millions of messages never sits in memory at once. */
export const MESSAGES_OF_BOT_PAGE = 500;

/**
 * Every read, written once over "something that runs a query": the pool (latest committed state) for `Storage`, the
 * transaction's connection (its own writes included) for `StorageTx`.
 */
export abstract class PostgresReads implements StorageReads {
  protected abstract run(query: Query): Promise<Row[]>;

  protected async one(query: Query): Promise<Row | undefined> {
    return (await this.run(query))[0];
  }

  // ---- bots and their event logs ----

  async botNames(): Promise<string[]> {
    return (await this.run({ name: 'lts_bot_names', text: 'SELECT name FROM bots ORDER BY name' })).map((r) => r.name as string);
  }

  async settingsOverrides(bot: string): Promise<unknown> {
    const row = await this.one({ name: 'lts_settings', text: 'SELECT settings FROM bots WHERE name = $1', values: [bot] });
    return row ? JSON.parse(row.settings as string) : {};
  }

  async lastEventId(bot: string): Promise<number> {
    const row = await this.one({ name: 'lts_last_event_id', text: 'SELECT last_event_id FROM bots WHERE name = $1', values: [bot] });
    return row ? (row.last_event_id as number) : 0;
  }

  async oldestEventId(bot: string): Promise<number> {
    const row = await this.one({ name: 'lts_oldest_event_id', text: 'SELECT MIN(id) AS id FROM events WHERE bot = $1', values: [bot] });
    return row?.id == null ? (await this.lastEventId(bot)) + 1 : (row.id as number);
  }

  async eventsAfter(bot: string, afterId: number, limit: number): Promise<EventEnvelope[]> {
    const rows = await this.run({
      name: 'lts_events_after',
      text: 'SELECT id, at, body FROM events WHERE bot = $1 AND id > $2 ORDER BY id LIMIT $3',
      values: [bot, afterId, limit],
    });
    return rows.map((r) => toEvent(bot, r));
  }

  // ---- conversations ----

  async getConversation(id: string): Promise<ConversationRow | undefined> {
    const row = await this.one({ name: 'lts_conversation', text: 'SELECT * FROM conversations WHERE id = $1', values: [id] });
    return row && toConversation(row);
  }

  async findConversationBySession(bot: string, sessionKey: string): Promise<ConversationRow | undefined> {
    const row = await this.one({
      name: 'lts_conversation_by_session',
      text: 'SELECT * FROM conversations WHERE bot = $1 AND session_key = $2',
      values: [bot, sessionKey],
    });
    return row && toConversation(row);
  }

  async listConversations(q: ConversationQuery): Promise<ConversationRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    if (q.bot) where.push(`bot = ${param(q.bot)}`);
    switch (q.filter) {
      case 'live':
        where.push('online > 0');
        break;
      case 'paused':
        where.push("state = 'paused'");
        break;
      case 'needsHelp':
        where.push('(fell_back OR waiting_since IS NOT NULL)');
        break;
      case 'all':
        break;
    }
    const textual: string[] = [];
    if (q.match) {
      const tsquery = ftsMatchToTsquery(q.match);
      // A match with no word in it matches no message (as FTS5 finds nothing); the name may still match.
      if (tsquery) {
        textual.push(
          `id IN (SELECT conversation_id FROM messages WHERE to_tsvector('simple', lts_search_text(text)) @@ to_tsquery('simple', ${param(tsquery)}))`,
        );
      }
    }
    if (q.nameLike) {
      // ILIKE: SQLite's LIKE ignores case too.
      textual.push(`client_name ILIKE ${param(`%${q.nameLike.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
    }
    if (q.match || q.nameLike) where.push(textual.length ? `(${textual.join(' OR ')})` : 'FALSE');
    if (q.after) {
      const at = param(q.after.lastActivityAt);
      where.push(`(last_activity_at < ${at} OR (last_activity_at = ${at} AND id < ${param(q.after.id)}))`);
    }
    const text = `SELECT * FROM conversations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY last_activity_at DESC, id DESC LIMIT ${param(q.limit)}`;
    return (await this.run({ text, values })).map(toConversation);
  }

  async pausedConversations(): Promise<ConversationRow[]> {
    return (await this.run({ name: 'lts_paused', text: "SELECT * FROM conversations WHERE state = 'paused'" })).map(toConversation);
  }

  async clientNameInUse(bot: string, clientName: string, since: number): Promise<boolean> {
    const row = await this.one({
      name: 'lts_client_name_in_use',
      text: 'SELECT 1 FROM conversations WHERE bot = $1 AND client_name = $2 AND (online > 0 OR last_activity_at >= $3) LIMIT 1',
      values: [bot, clientName, since],
    });
    return row !== undefined;
  }

  async liveClientNames(bot: string, since: number): Promise<Set<string>> {
    const rows = await this.run({
      name: 'lts_live_client_names',
      text: 'SELECT DISTINCT client_name FROM conversations WHERE bot = $1 AND (online > 0 OR last_activity_at >= $2)',
      values: [bot, since],
    });
    return new Set(rows.map((r) => r.client_name as string));
  }

  async activeChatConversationsToCheck(since: number): Promise<ConversationRow[]> {
    const rows = await this.run({
      name: 'lts_chats_to_check',
      text: `SELECT * FROM conversations WHERE state = 'active' AND NOT read_only AND channel IN ('landing', 'widget')
        AND (last_author = 'user' OR last_at >= $1)`,
      values: [since],
    });
    return rows.map(toConversation);
  }

  // ---- AIML client state ----

  async loadClientState(bot: string, clientKey: string): Promise<string | undefined> {
    const row = await this.one({ name: 'lts_client_state', text: 'SELECT state FROM client_state WHERE bot = $1 AND client_key = $2', values: [bot, clientKey] });
    return row?.state as string | undefined;
  }

  // ---- messages ----

  async findMessageByClientId(conversationId: string, clientId: string): Promise<MessageRow | undefined> {
    const row = await this.one({
      name: 'lts_message_by_client_id',
      text: 'SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2',
      values: [conversationId, clientId],
    });
    return row && toMessage(row);
  }

  async messagesBefore(conversationId: string, beforeSeq: number, limit: number): Promise<MessageRow[]> {
    const rows = await this.run({
      name: 'lts_messages_before',
      text: 'SELECT * FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
      values: [conversationId, beforeSeq, limit],
    });
    return rows.reverse().map(toMessage);
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<MessageRow[]> {
    const rows = await this.run({
      name: 'lts_messages_after',
      text: 'SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      values: [conversationId, afterSeq, limit],
    });
    return rows.map(toMessage);
  }

  async unansweredUserMessages(conversationId: string): Promise<MessageRow[]> {
    const counts = await this.one({
      name: 'lts_unanswered_counts',
      text: `SELECT COUNT(*) FILTER (WHERE author = 'user') AS users, COUNT(*) FILTER (WHERE author = 'bot') AS bots FROM messages
        WHERE conversation_id = $1
          AND seq > (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = $1 AND author IN ('system', 'human'))`,
      values: [conversationId],
    });
    const owed = ((counts?.users as number | undefined) ?? 0) - ((counts?.bots as number | undefined) ?? 0);
    if (owed <= 0) return [];
    const rows = await this.run({
      name: 'lts_last_user_messages',
      text: "SELECT * FROM messages WHERE conversation_id = $1 AND author = 'user' ORDER BY seq DESC LIMIT $2",
      values: [conversationId, owed],
    });
    return rows.reverse().map(toMessage);
  }

  async *messagesOfBot(bot: string, range: { from?: number; to?: number }): AsyncIterable<MessageRow & { clientName: string; channel: Channel }> {
    const from = range.from ?? 0;
    const to = range.to ?? Number.MAX_SAFE_INTEGER;
    // Keyset pages over (at, conversation_id, seq), the order of the download: each page starts after the last row
    // of the one before, so rows are neither skipped nor repeated however many there are.
    let after: [number, string, number] | undefined;
    for (;;) {
      const rows = after
        ? await this.run({
            name: 'lts_messages_of_bot_next',
            text: `SELECT m.*, c.client_name, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
              WHERE c.bot = $1 AND m.at < $2 AND (m.at, m.conversation_id, m.seq) > ($3, $4, $5)
              ORDER BY m.at, m.conversation_id, m.seq LIMIT $6`,
            values: [bot, to, ...after, MESSAGES_OF_BOT_PAGE],
          })
        : await this.run({
            name: 'lts_messages_of_bot_first',
            text: `SELECT m.*, c.client_name, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
              WHERE c.bot = $1 AND m.at >= $2 AND m.at < $3
              ORDER BY m.at, m.conversation_id, m.seq LIMIT $4`,
            values: [bot, from, to, MESSAGES_OF_BOT_PAGE],
          });
      for (const row of rows) yield { ...toMessage(row), clientName: row.client_name as string, channel: row.channel as Channel };
      if (rows.length < MESSAGES_OF_BOT_PAGE) return;
      const last = rows[rows.length - 1]!;
      after = [last.at as number, last.conversation_id as string, last.seq as number];
    }
  }

  // ---- designers ----

  async designerByTokenHash(tokenHash: string): Promise<DesignerRow | undefined> {
    const row = await this.one({ name: 'lts_designer_by_token', text: 'SELECT * FROM designers WHERE token_hash = $1', values: [tokenHash] });
    return row && toDesigner(row);
  }

  async designerById(id: string): Promise<DesignerRow | undefined> {
    const row = await this.one({ name: 'lts_designer_by_id', text: 'SELECT * FROM designers WHERE id = $1', values: [id] });
    return row && toDesigner(row);
  }

  async designers(): Promise<DesignerRow[]> {
    return (await this.run({ name: 'lts_designers', text: 'SELECT * FROM designers ORDER BY created_at' })).map(toDesigner);
  }

  // ---- at-most-once designer commands ----

  async commandResult(designerId: string, clientId: string): Promise<{ method: string; result: unknown } | undefined> {
    const row = await this.one({
      name: 'lts_command_result',
      text: 'SELECT method, result FROM designer_commands WHERE designer_id = $1 AND client_id = $2',
      values: [designerId, clientId],
    });
    return row && { method: row.method as string, result: JSON.parse(row.result as string) as unknown };
  }

  // ---- visitors' content reports ----

  async contentReports(bot: string | undefined, limit: number): Promise<ContentReport[]> {
    const rows =
      bot === undefined
        ? await this.run({ name: 'lts_reports_all', text: 'SELECT * FROM content_reports ORDER BY id DESC LIMIT $1', values: [limit] })
        : await this.run({ name: 'lts_reports_of_bot', text: 'SELECT * FROM content_reports WHERE bot = $1 ORDER BY id DESC LIMIT $2', values: [bot, limit] });
    return rows.map(toContentReport);
  }
}
