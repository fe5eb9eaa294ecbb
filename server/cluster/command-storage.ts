import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { databaseAddress, openPostgresStorage } from '../storage/postgres-storage.js';
import { EVENTS_CHANNEL } from './event-bridge.js';
import { SqliteStorage } from '../storage/sqlite-storage.js';
import type { Storage } from '../storage/storage.js';

/** The Platform's storage for a CLI command (`designer add`, `reports`, ...), on whichever backend the Platform uses. */
export interface CommandStorage {
  storage: Storage;
  /** Where the data is, for messages: the data folder, or PostgreSQL's host:port (never the password). */
  where: string;
  /** How to point the next command at the same data: `--data DIR` or `--database URL`. */
  option: string;
}

export class NoPlatformDataError extends Error {}

/**
 * Opens `--database URL` when given (migrating the schema, as an instance would), else `<dataDir>/platform.sqlite`.
 * `create: false` refuses a data folder without a database, instead of making an empty one.
 */
export async function openCommandStorage(o: { dataDir: string; databaseUrl?: string | undefined; create: boolean }): Promise<CommandStorage> {
  if (o.databaseUrl) {
    // What a command changes (a widget's allowed sites, ...) reaches the running instances at once, as their own commits do.
    const storage = await openPostgresStorage(o.databaseUrl, { log: () => undefined, connectTimeoutMs: 5_000, announceEventsOn: { channel: EVENTS_CHANNEL } });
    return { storage, where: `PostgreSQL at ${databaseAddress(o.databaseUrl)}`, option: '--database URL' };
  }
  const file = join(o.dataDir, 'platform.sqlite');
  if (!o.create && !existsSync(file)) throw new NoPlatformDataError(`no Platform data in ${o.dataDir}: give the right --data DIR (or --database URL)`);
  mkdirSync(o.dataDir, { recursive: true });
  return { storage: new SqliteStorage({ file, groupCommit: false }), where: o.dataDir, option: `--data ${o.dataDir}` };
}

/** `postgres://` or `postgresql://` URLs only: a typo must not silently fall back to the SQLite data folder. */
export function checkDatabaseUrl(url: string): string | undefined {
  if (/^postgres(ql)?:\/\/\S+$/.test(url)) return undefined;
  return `--database must be a PostgreSQL URL, postgres://USER:PASS@HOST:PORT/DB (got "${url.replace(/:[^:@/]*@/, ':***@')}")`;
}
