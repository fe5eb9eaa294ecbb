import type pg from 'pg';
import { FILE_KINDS, type BotFileKind, type BotFileRef } from './bot-file-names.js';

/** Announced on every publish or delete; the payload is `{"bot":..., "version":...}`. */
export const BOTS_CHANNEL = 'lts_bots';

export interface SharedBotVersion {
  version: number;
  deleted: boolean;
}

/**
 * Bot files in PostgreSQL (the tables of bot-files-migration.ts), where every Platform instance reads them. A publish
 * replaces a bot's files and bumps its version in one transaction, and announces it at commit (NOTIFY is
 * transactional): an instance that hears of a version newer than the one it runs fetches the files and recompiles.
 */
export class SharedBotFiles {
  constructor(private readonly pool: Pick<pg.Pool, 'connect' | 'query'>) {}

  /** Every bot ever published, with its version and whether it was deleted since. */
  async versions(): Promise<Map<string, SharedBotVersion>> {
    const { rows } = await this.pool.query<{ bot: string; version: string; deleted: boolean }>('SELECT bot, version, deleted FROM bot_versions');
    return new Map(rows.map((r) => [r.bot, { version: Number(r.version), deleted: r.deleted }]));
  }

  async files(bot: string): Promise<Array<{ ref: BotFileRef; content: Buffer }>> {
    const { rows } = await this.pool.query<{ kind: string; name: string; content: Buffer }>('SELECT kind, name, content FROM bot_files WHERE bot = $1 ORDER BY kind, name', [bot]);
    return rows.filter((r) => (FILE_KINDS as readonly string[]).includes(r.kind)).map((r) => ({ ref: { kind: r.kind as BotFileKind, name: r.name }, content: r.content }));
  }

  /** The bot's files are now these; resolves with the new version once committed (and announced). */
  publish(bot: string, files: Array<{ ref: BotFileRef; content: Uint8Array }>): Promise<number> {
    return this.change(bot, false, async (client) => {
      await client.query('DELETE FROM bot_files WHERE bot = $1', [bot]);
      for (const f of files) {
        await client.query('INSERT INTO bot_files (bot, kind, name, content) VALUES ($1, $2, $3, $4)', [bot, f.ref.kind, f.ref.name, Buffer.from(f.content)]);
      }
    });
  }

  /** The bot is gone on every instance. */
  remove(bot: string): Promise<number> {
    return this.change(bot, true, async (client) => {
      await client.query('DELETE FROM bot_files WHERE bot = $1', [bot]);
    });
  }

  private async change(bot: string, deleted: boolean, write: (client: pg.PoolClient) => Promise<void>): Promise<number> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // The version row is locked first: two instances publishing one bot at once commit one after the other.
      const { rows } = await client.query<{ version: string }>(
        `INSERT INTO bot_versions (bot, version, deleted) VALUES ($1, 1, $2)
         ON CONFLICT (bot) DO UPDATE SET version = bot_versions.version + 1, deleted = EXCLUDED.deleted RETURNING version`,
        [bot, deleted],
      );
      const version = Number(rows[0]!.version);
      await write(client);
      await client.query('SELECT pg_notify($1, $2)', [BOTS_CHANNEL, JSON.stringify({ bot, version })]);
      await client.query('COMMIT');
      return version;
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
