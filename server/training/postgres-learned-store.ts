import pg from 'pg';
import type { LearnedCategory, LearnedHistoryEntry, UnansweredGroup } from '../../protocol/learned.js';
import { LEARNED_FILE_REF } from '../bots/bot-file-names.js';
import { migratePostgres } from '../storage/postgres-migrations.js';
import { DuplicateKeyError, StaleVersionError, WatermarkMovedError, type CaptureLink, type CategoryKey, type LearnedCommit, type LearnedStore } from './learned-store.js';

/** Conversations listed per unanswered group (as in SQLite). */
const GROUP_CONVERSATIONS = 100;
/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

const KEY_HASH = `md5(pattern || chr(1) || that || chr(1) || topic)`;

/**
 * The learned store in the Platform's PostgreSQL database, shared by every instance of a cluster (the tables of
 * postgres-learned-migration.ts). Same semantics as the SQLite store: one `commit` is one transaction, compare-and-set
 * on category versions (their rows are locked, `FOR UPDATE`, so two instances changing one category commit one after
 * the other and the second sees the first's version) and on the capture watermark (its row is locked first, so of two
 * instances consuming one bot's log, one commits a reply's category and the other is refused and reads on).
 */
export class PostgresLearnedStore implements LearnedStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects (its own small pool) and makes sure the schema has the learned tables. */
  static async open(url: string, options: { max?: number; onError?: (error: Error) => void } = {}): Promise<PostgresLearnedStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, keepAlive: true });
    pool.on('error', (error) => options.onError?.(error));
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresLearnedStore(pool);
  }

  async list(bot: string, query: { status?: LearnedCategory['status']; afterId?: string; limit: number }): Promise<LearnedCategory[]> {
    const after = query.afterId ?? '';
    const { rows } = query.status
      ? await this.pool.query(`SELECT body FROM learned_categories WHERE bot = $1 AND id > $2 AND status = $3 ORDER BY id LIMIT $4`, [bot, after, query.status, query.limit])
      : await this.pool.query(`SELECT body FROM learned_categories WHERE bot = $1 AND id > $2 ORDER BY id LIMIT $3`, [bot, after, query.limit]);
    return rows.map(bodyOf<LearnedCategory>);
  }

  async get(bot: string, id: string): Promise<LearnedCategory | undefined> {
    const { rows } = await this.pool.query(`SELECT body FROM learned_categories WHERE bot = $1 AND id = $2`, [bot, id]);
    return rows[0] ? bodyOf<LearnedCategory>(rows[0]) : undefined;
  }

  async byKey(bot: string, key: CategoryKey): Promise<LearnedCategory | undefined> {
    const { rows } = await this.pool.query(
      `SELECT body FROM learned_categories WHERE bot = $1 AND ${KEY_HASH} = md5($2 || chr(1) || $3 || chr(1) || $4) AND pattern = $2 AND that = $3 AND topic = $4`,
      [bot, key.pattern, key.that, key.topic],
    );
    return rows[0] ? bodyOf<LearnedCategory>(rows[0]) : undefined;
  }

  async all(bot: string): Promise<LearnedCategory[]> {
    const { rows } = await this.pool.query(`SELECT body FROM learned_categories WHERE bot = $1 ORDER BY id`, [bot]);
    return rows.map(bodyOf<LearnedCategory>);
  }

  async count(bot: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM learned_categories WHERE bot = $1`, [bot]);
    return Number(rows[0]!.n);
  }

  async history(bot: string, query: { categoryId?: string; limit: number }): Promise<LearnedHistoryEntry[]> {
    const { rows } =
      query.categoryId !== undefined
        ? await this.pool.query(`SELECT body FROM learned_history WHERE bot = $1 AND category_id = $2 ORDER BY seq DESC LIMIT $3`, [bot, query.categoryId, query.limit])
        : await this.pool.query(`SELECT body FROM learned_history WHERE bot = $1 ORDER BY seq DESC LIMIT $2`, [bot, query.limit]);
    return rows.map(bodyOf<LearnedHistoryEntry>);
  }

  async operation(bot: string, opId: string): Promise<LearnedHistoryEntry[]> {
    const { rows } = await this.pool.query(`SELECT body FROM learned_history WHERE bot = $1 AND op_id = $2 ORDER BY seq`, [bot, opId]);
    return rows.map(bodyOf<LearnedHistoryEntry>);
  }

  async watermark(bot: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ event_id: string }>(`SELECT event_id FROM learned_watermarks WHERE bot = $1`, [bot]);
    return rows[0] ? Number(rows[0].event_id) : undefined;
  }

  async lastCapture(conversationId: string): Promise<CaptureLink | undefined> {
    const { rows } = await this.pool.query<{ conversation_id: string; category_id: string; input_seq: number; last_reply_seq: number }>(
      `SELECT conversation_id, category_id, input_seq, last_reply_seq FROM learned_capture_links WHERE conversation_id = $1`,
      [conversationId],
    );
    const row = rows[0];
    return row ? { conversationId: row.conversation_id, categoryId: row.category_id, inputSeq: row.input_seq, lastReplySeq: row.last_reply_seq } : undefined;
  }

  async unanswered(bot: string, query: { includeIgnored: boolean; limit: number }): Promise<UnansweredGroup[]> {
    const { rows } = await this.pool.query<GroupRow>(
      `SELECT * FROM learned_unanswered WHERE bot = $1 AND (NOT ignored OR $2) ORDER BY count DESC, last_seen DESC LIMIT $3`,
      [bot, query.includeIgnored, query.limit],
    );
    return Promise.all(rows.map((row) => this.groupOf(row)));
  }

  async unansweredGroup(bot: string, groupKey: string): Promise<UnansweredGroup | undefined> {
    const { rows } = await this.pool.query<GroupRow>(`SELECT * FROM learned_unanswered WHERE bot = $1 AND group_hash = md5($2)`, [bot, groupKey]);
    return rows[0] ? this.groupOf(rows[0]) : undefined;
  }

  async commit(bot: string, c: LearnedCommit): Promise<void> {
    await this.inTransaction((client) => this.write(client, bot, c));
  }

  /**
   * Writes the bot's `pand_livetraining.aiml` into the shared bot files (`bot_files`, where every instance and a later
   * publish read them), built by `build` from the approved categories as committed now. One writer per bot at a time
   * (an advisory lock), each reading after it holds the lock: a writer that built from an older set can never overwrite
   * a newer one, so after the last change the file is its approved set whichever instances wrote in between. It does
   * not bump the bot's version: no instance recompiles, their learned layers already answer with the change.
   */
  async shareLearnedFile(bot: string, build: (approved: LearnedCategory[]) => Promise<Uint8Array>): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('lts_learned_file:' || $1))`, [bot]);
      const { rows } = await client.query(`SELECT body FROM learned_categories WHERE bot = $1 AND status = 'approved' ORDER BY id`, [bot]);
      const content = await build(rows.map(bodyOf<LearnedCategory>));
      await client.query(
        `INSERT INTO bot_files (bot, kind, name, content) VALUES ($1, $2, $3, $4) ON CONFLICT (bot, kind, name) DO UPDATE SET content = EXCLUDED.content`,
        [bot, LEARNED_FILE_REF.kind, LEARNED_FILE_REF.name, Buffer.from(content)],
      );
    });
  }

  /** One transaction on a connection of the pool; a connection that broke meanwhile is thrown away, not reused. */
  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    // The pool listens only to idle connections: an 'error' on a checked-out one nobody listens to would crash the process.
    let broken: Error | undefined;
    const onError = (error: Error) => void (broken ??= error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => void (broken ??= rollback instanceof Error ? rollback : new Error(String(rollback))));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async write(client: pg.PoolClient, bot: string, c: LearnedCommit): Promise<void> {
    // The watermark row first: concurrent consumers of one bot's log queue here, and the later one finds it moved.
    if (c.watermarkFrom !== undefined) {
      const { rows } = await client.query<{ event_id: string }>(`SELECT event_id FROM learned_watermarks WHERE bot = $1 FOR UPDATE`, [bot]);
      const actual = rows[0] ? Number(rows[0].event_id) : null;
      if (actual !== c.watermarkFrom) throw new WatermarkMovedError(c.watermarkFrom, actual);
    }
    for (const { id, version } of c.expect ?? []) {
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM learned_categories WHERE bot = $1 AND id = $2 FOR UPDATE`, [bot, id]);
      const actual = rows[0]?.version ?? null;
      if (actual !== version) throw new StaleVersionError(id, version, actual);
    }
    for (const id of c.removes ?? []) await client.query(`DELETE FROM learned_categories WHERE bot = $1 AND id = $2`, [bot, id]);
    for (const category of c.upserts ?? []) {
      try {
        // Another category (another instance's, committed first) answers the same input: the caller's conflict.
        await client.query(
          `INSERT INTO learned_categories (bot, id, pattern, that, topic, status, version, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (bot, id) DO UPDATE SET pattern = EXCLUDED.pattern, that = EXCLUDED.that, topic = EXCLUDED.topic, status = EXCLUDED.status, version = EXCLUDED.version, body = EXCLUDED.body`,
          [bot, category.id, category.pattern, category.that, category.topic, category.status, category.version, JSON.stringify(category)],
        );
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new DuplicateKeyError(category);
        throw error;
      }
    }
    for (const entry of c.history ?? []) {
      await client.query(`INSERT INTO learned_history (bot, op_id, category_id, body) VALUES ($1, $2, $3, $4)`, [bot, entry.opId, entry.categoryId, JSON.stringify(entry)]);
    }
    for (const link of c.captureLinks ?? []) {
      await client.query(
        `INSERT INTO learned_capture_links (conversation_id, category_id, input_seq, last_reply_seq) VALUES ($1, $2, $3, $4)
         ON CONFLICT (conversation_id) DO UPDATE SET category_id = EXCLUDED.category_id, input_seq = EXCLUDED.input_seq, last_reply_seq = EXCLUDED.last_reply_seq`,
        [link.conversationId, link.categoryId, link.inputSeq, link.lastReplySeq],
      );
    }
    for (const hit of c.unanswered ?? []) {
      await client.query(
        `INSERT INTO learned_unanswered (bot, group_key, example, count, first_seen, last_seen) VALUES ($1, $2, $3, 1, $4, $4)
         ON CONFLICT (bot, group_hash) DO UPDATE SET example = EXCLUDED.example, count = learned_unanswered.count + 1, last_seen = GREATEST(learned_unanswered.last_seen, EXCLUDED.last_seen)`,
        [bot, hit.groupKey, hit.input, hit.at],
      );
      await client.query(
        `INSERT INTO learned_unanswered_conversations (bot, group_key, conversation_id, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (bot, group_hash, conversation_id) DO UPDATE SET at = GREATEST(learned_unanswered_conversations.at, EXCLUDED.at)`,
        [bot, hit.groupKey, hit.conversationId, hit.at],
      );
    }
    for (const groupKey of c.answeredGroups ?? []) {
      await client.query(`DELETE FROM learned_unanswered WHERE bot = $1 AND group_hash = md5($2)`, [bot, groupKey]);
      await client.query(`DELETE FROM learned_unanswered_conversations WHERE bot = $1 AND group_hash = md5($2)`, [bot, groupKey]);
    }
    if (c.ignoreGroup) await client.query(`UPDATE learned_unanswered SET ignored = $1 WHERE bot = $2 AND group_hash = md5($3)`, [c.ignoreGroup.ignored, bot, c.ignoreGroup.groupKey]);
    if (c.watermark !== undefined) {
      await client.query(`INSERT INTO learned_watermarks (bot, event_id) VALUES ($1, $2) ON CONFLICT (bot) DO UPDATE SET event_id = EXCLUDED.event_id`, [bot, c.watermark]);
    }
  }

  private async groupOf(row: GroupRow): Promise<UnansweredGroup> {
    const { rows } = await this.pool.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM learned_unanswered_conversations WHERE bot = $1 AND group_hash = md5($2) ORDER BY at DESC LIMIT $3`,
      [row.bot, row.group_key, GROUP_CONVERSATIONS],
    );
    return {
      bot: row.bot,
      groupKey: row.group_key,
      example: row.example,
      count: row.count,
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
      conversations: rows.map((r) => r.conversation_id),
      ignored: row.ignored,
    };
  }
}

interface GroupRow {
  bot: string;
  group_key: string;
  example: string;
  count: number;
  first_seen: string;
  last_seen: string;
  ignored: boolean;
}

function bodyOf<T>(row: unknown): T {
  return JSON.parse((row as { body: string }).body) as T;
}
