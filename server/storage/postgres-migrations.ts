import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';

/**
 * Any instance may be the first to start on an empty database, and several often start at once (a deploy restarts
 * them all). Each takes this transaction-scoped advisory lock before it looks at the schema, so exactly one applies
 * the missing migrations and the others, once they get the lock, find nothing left to do. The key is an arbitrary
 * constant of this application (advisory locks are per database, so only our own instances contend for it).
 */
const MIGRATION_LOCK_KEY = 7_351_027_214_904_551n;

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/**
 * Brings the schema up to the newest version this Platform knows, in one transaction (a failure leaves the previous
 * version intact). Refuses, changing nothing, when the database was migrated by a newer Platform: running old code on
 * a newer schema could write rows the newer code misreads. Resolves with the versions it applied.
 */
export async function migratePostgres(client: pg.ClientBase, migrations: readonly string[] = POSTGRES_MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new SchemaTooNewError(
        `the database schema is at version ${current}, newer than this Platform knows (version ${migrations.length}): ` +
          'a newer Platform has migrated it; run that version (or newer) of the Platform',
      );
    }
    const applied: number[] = [];
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]!);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
