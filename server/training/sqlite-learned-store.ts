import Database from 'better-sqlite3';
import type { LearnedCategory, LearnedHistoryEntry, UnansweredGroup } from '../../protocol/learned.js';
import { DuplicateKeyError, StaleVersionError, WatermarkMovedError, type CaptureLink, type CategoryKey, type LearnedCommit, type LearnedStore } from './learned-store.js';

/** Ordered migrations of `learned.db`; `PRAGMA user_version` counts the ones that ran. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE categories (
    bot TEXT NOT NULL,
    id TEXT NOT NULL,
    pattern TEXT NOT NULL,
    that TEXT NOT NULL,
    topic TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (bot, id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX categories_key ON categories (bot, pattern, that, topic);

  CREATE TABLE history (
    seq INTEGER PRIMARY KEY,
    bot TEXT NOT NULL,
    op_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX history_category ON history (bot, category_id, seq);
  CREATE INDEX history_op ON history (bot, op_id);

  CREATE TABLE watermarks (bot TEXT PRIMARY KEY, event_id INTEGER NOT NULL);

  CREATE TABLE capture_links (
    conversation_id TEXT PRIMARY KEY,
    category_id TEXT NOT NULL,
    input_seq INTEGER NOT NULL,
    last_reply_seq INTEGER NOT NULL
  );

  CREATE TABLE unanswered (
    bot TEXT NOT NULL,
    group_key TEXT NOT NULL,
    example TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    ignored INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bot, group_key)
  ) WITHOUT ROWID;
  CREATE INDEX unanswered_count ON unanswered (bot, count DESC);

  CREATE TABLE unanswered_conversations (
    bot TEXT NOT NULL,
    group_key TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (bot, group_key, conversation_id)
  ) WITHOUT ROWID;
  `,
];

/** Conversations listed per unanswered group. */
const GROUP_CONVERSATIONS = 100;

/**
 * The learned store in SQLite: its own file (`learned.db` in the Platform's data dir) so that captures never wait on
 * the conversation writer, in WAL mode. better-sqlite3 is synchronous; every method still answers a promise, so the
 * callers are the same for a networked backend.
 */
export class SqliteLearnedStore implements LearnedStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file: string, options: { durability?: 'normal' | 'full' } = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a killed process (the OS keeps the written pages); FULL also a power cut.
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    const db = this.db;
    this.q = {
      list: db.prepare<[string, string, number]>(`SELECT body FROM categories WHERE bot = ? AND id > ? ORDER BY id LIMIT ?`),
      listStatus: db.prepare<[string, string, string, number]>(`SELECT body FROM categories WHERE bot = ? AND id > ? AND status = ? ORDER BY id LIMIT ?`),
      get: db.prepare<[string, string]>(`SELECT body, version FROM categories WHERE bot = ? AND id = ?`),
      byKey: db.prepare<[string, string, string, string]>(`SELECT body FROM categories WHERE bot = ? AND pattern = ? AND that = ? AND topic = ?`),
      all: db.prepare<[string]>(`SELECT body FROM categories WHERE bot = ? ORDER BY id`),
      count: db.prepare<[string]>(`SELECT count(*) AS n FROM categories WHERE bot = ?`),
      upsert: db.prepare(
        `INSERT INTO categories (bot, id, pattern, that, topic, status, version, body) VALUES (@bot, @id, @pattern, @that, @topic, @status, @version, @body)
         ON CONFLICT (bot, id) DO UPDATE SET pattern = excluded.pattern, that = excluded.that, topic = excluded.topic, status = excluded.status, version = excluded.version, body = excluded.body`,
      ),
      remove: db.prepare<[string, string]>(`DELETE FROM categories WHERE bot = ? AND id = ?`),
      addHistory: db.prepare<[string, string, string, string]>(`INSERT INTO history (bot, op_id, category_id, body) VALUES (?, ?, ?, ?)`),
      historyOf: db.prepare<[string, string, number]>(`SELECT body FROM history WHERE bot = ? AND category_id = ? ORDER BY seq DESC LIMIT ?`),
      historyAll: db.prepare<[string, number]>(`SELECT body FROM history WHERE bot = ? ORDER BY seq DESC LIMIT ?`),
      operation: db.prepare<[string, string]>(`SELECT body FROM history WHERE bot = ? AND op_id = ? ORDER BY seq`),
      watermark: db.prepare<[string]>(`SELECT event_id FROM watermarks WHERE bot = ?`),
      setWatermark: db.prepare<[string, number]>(`INSERT INTO watermarks (bot, event_id) VALUES (?, ?) ON CONFLICT (bot) DO UPDATE SET event_id = excluded.event_id`),
      lastCapture: db.prepare<[string]>(`SELECT conversation_id, category_id, input_seq, last_reply_seq FROM capture_links WHERE conversation_id = ?`),
      setCapture: db.prepare<[string, string, number, number]>(
        `INSERT INTO capture_links (conversation_id, category_id, input_seq, last_reply_seq) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET category_id = excluded.category_id, input_seq = excluded.input_seq, last_reply_seq = excluded.last_reply_seq`,
      ),
      hit: db.prepare(
        `INSERT INTO unanswered (bot, group_key, example, count, first_seen, last_seen) VALUES (@bot, @groupKey, @input, 1, @at, @at)
         ON CONFLICT (bot, group_key) DO UPDATE SET example = excluded.example, count = count + 1, last_seen = max(last_seen, excluded.last_seen)`,
      ),
      hitConversation: db.prepare(
        `INSERT INTO unanswered_conversations (bot, group_key, conversation_id, at) VALUES (@bot, @groupKey, @conversationId, @at)
         ON CONFLICT DO UPDATE SET at = max(at, excluded.at)`,
      ),
      groups: db.prepare<[string, number, number]>(`SELECT * FROM unanswered WHERE bot = ? AND ignored <= ? ORDER BY count DESC, last_seen DESC LIMIT ?`),
      group: db.prepare<[string, string]>(`SELECT * FROM unanswered WHERE bot = ? AND group_key = ?`),
      groupConversations: db.prepare<[string, string, number]>(`SELECT conversation_id FROM unanswered_conversations WHERE bot = ? AND group_key = ? ORDER BY at DESC LIMIT ?`),
      dropGroup: db.prepare<[string, string]>(`DELETE FROM unanswered WHERE bot = ? AND group_key = ?`),
      dropGroupConversations: db.prepare<[string, string]>(`DELETE FROM unanswered_conversations WHERE bot = ? AND group_key = ?`),
      ignore: db.prepare<[number, string, string]>(`UPDATE unanswered SET ignored = ? WHERE bot = ? AND group_key = ?`),
    };
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

  async list(bot: string, query: { status?: LearnedCategory['status']; afterId?: string; limit: number }): Promise<LearnedCategory[]> {
    const after = query.afterId ?? '';
    const rows = query.status ? this.q.listStatus.all(bot, after, query.status, query.limit) : this.q.list.all(bot, after, query.limit);
    return rows.map(bodyOf<LearnedCategory>);
  }

  async get(bot: string, id: string): Promise<LearnedCategory | undefined> {
    const row = this.q.get.get(bot, id);
    return row ? bodyOf<LearnedCategory>(row) : undefined;
  }

  async byKey(bot: string, key: CategoryKey): Promise<LearnedCategory | undefined> {
    const row = this.q.byKey.get(bot, key.pattern, key.that, key.topic);
    return row ? bodyOf<LearnedCategory>(row) : undefined;
  }

  async all(bot: string): Promise<LearnedCategory[]> {
    return this.q.all.all(bot).map(bodyOf<LearnedCategory>);
  }

  async count(bot: string): Promise<number> {
    return (this.q.count.get(bot) as { n: number }).n;
  }

  async history(bot: string, query: { categoryId?: string; limit: number }): Promise<LearnedHistoryEntry[]> {
    const rows = query.categoryId !== undefined ? this.q.historyOf.all(bot, query.categoryId, query.limit) : this.q.historyAll.all(bot, query.limit);
    return rows.map(bodyOf<LearnedHistoryEntry>);
  }

  async operation(bot: string, opId: string): Promise<LearnedHistoryEntry[]> {
    return this.q.operation.all(bot, opId).map(bodyOf<LearnedHistoryEntry>);
  }

  async watermark(bot: string): Promise<number | undefined> {
    return (this.q.watermark.get(bot) as { event_id: number } | undefined)?.event_id;
  }

  async lastCapture(conversationId: string): Promise<CaptureLink | undefined> {
    const row = this.q.lastCapture.get(conversationId) as { conversation_id: string; category_id: string; input_seq: number; last_reply_seq: number } | undefined;
    return row ? { conversationId: row.conversation_id, categoryId: row.category_id, inputSeq: row.input_seq, lastReplySeq: row.last_reply_seq } : undefined;
  }

  async unanswered(bot: string, query: { includeIgnored: boolean; limit: number }): Promise<UnansweredGroup[]> {
    return this.q.groups.all(bot, query.includeIgnored ? 1 : 0, query.limit).map((row) => this.groupOf(row as GroupRow));
  }

  async unansweredGroup(bot: string, groupKey: string): Promise<UnansweredGroup | undefined> {
    const row = this.q.group.get(bot, groupKey) as GroupRow | undefined;
    return row ? this.groupOf(row) : undefined;
  }

  async commit(bot: string, c: LearnedCommit): Promise<void> {
    this.db.transaction(() => {
      if (c.watermarkFrom !== undefined) {
        const actual = (this.q.watermark.get(bot) as { event_id: number } | undefined)?.event_id ?? null;
        if (actual !== c.watermarkFrom) throw new WatermarkMovedError(c.watermarkFrom, actual);
      }
      for (const { id, version } of c.expect ?? []) {
        const row = this.q.get.get(bot, id) as { version: number } | undefined;
        const actual = row?.version ?? null;
        if (actual !== version) throw new StaleVersionError(id, version, actual);
      }
      for (const id of c.removes ?? []) this.q.remove.run(bot, id);
      for (const category of c.upserts ?? []) {
        try {
          this.q.upsert.run({ bot, id: category.id, pattern: category.pattern, that: category.that, topic: category.topic, status: category.status, version: category.version, body: JSON.stringify(category) });
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateKeyError(category);
          throw error;
        }
      }
      for (const entry of c.history ?? []) this.q.addHistory.run(bot, entry.opId, entry.categoryId, JSON.stringify(entry));
      for (const link of c.captureLinks ?? []) this.q.setCapture.run(link.conversationId, link.categoryId, link.inputSeq, link.lastReplySeq);
      for (const hit of c.unanswered ?? []) {
        this.q.hit.run({ bot, ...hit });
        this.q.hitConversation.run({ bot, groupKey: hit.groupKey, conversationId: hit.conversationId, at: hit.at });
      }
      for (const groupKey of c.answeredGroups ?? []) {
        this.q.dropGroup.run(bot, groupKey);
        this.q.dropGroupConversations.run(bot, groupKey);
      }
      if (c.ignoreGroup) this.q.ignore.run(c.ignoreGroup.ignored ? 1 : 0, bot, c.ignoreGroup.groupKey);
      if (c.watermark !== undefined) this.q.setWatermark.run(bot, c.watermark);
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private groupOf(row: GroupRow): UnansweredGroup {
    const conversations = (this.q.groupConversations.all(row.bot, row.group_key, GROUP_CONVERSATIONS) as Array<{ conversation_id: string }>).map((r) => r.conversation_id);
    return { bot: row.bot, groupKey: row.group_key, example: row.example, count: row.count, firstSeen: row.first_seen, lastSeen: row.last_seen, conversations, ignored: row.ignored === 1 };
  }
}

interface GroupRow {
  bot: string;
  group_key: string;
  example: string;
  count: number;
  first_seen: number;
  last_seen: number;
  ignored: number;
}

function bodyOf<T>(row: unknown): T {
  return JSON.parse((row as { body: string }).body) as T;
}
