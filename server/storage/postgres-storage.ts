import pg from 'pg';
import type { Clock } from '../../protocol/clock.js';
import type { Storage, StorageTx } from './storage.js';
import { DatabaseHealth, databaseUnreachable, describeCause, isConnectionError } from './postgres-health.js';
import { migratePostgres } from './postgres-migrations.js';
import { PostgresReads, type Query } from './postgres-reads.js';
import { postgresTypes, type Row } from './postgres-rows.js';
import { PostgresTx } from './postgres-tx.js';

export interface PostgresStorageOptions {
  /** Connections in the pool (default 10). Each instance holds this many at most. */
  poolSize?: number;
  /** Timers of the health probe. */
  clock?: Clock;
  /** How often to probe while the database cannot be reached (default 1000 ms). */
  probeIntervalMs?: number;
  /** Told when the database is lost and when it is back, and of an `afterCommit` callback that threw. */
  log?: (message: string) => void;
}

/** A transient failure PostgreSQL asks us to retry: serialization_failure, deadlock_detected. */
const RETRYABLE_STATES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** host:port of a connection URL, for messages (never the password). */
export function databaseAddress(url: string): string {
  const { host, port } = new pg.Client({ connectionString: url });
  return `${host || 'localhost'}:${port || 5432}`;
}

/**
 * The PostgreSQL backend (DESIGN.md section 6): any number of Platform instances share one database. Open it with
 * `openPostgresStorage`, which checks that the database can be reached and migrates the schema first.
 */
export class PostgresStorage extends PostgresReads implements Storage {
  readonly kind = 'postgres' as const;
  private readonly health: DatabaseHealth;
  private readonly where: string;
  private readonly log: (message: string) => void;
  /** Transactions between COMMIT sent and their `afterCommit` work done: what `flush` waits for. */
  private readonly committing = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    url: string,
    options: PostgresStorageOptions = {},
  ) {
    super();
    this.where = databaseAddress(url);
    this.log = options.log ?? ((message) => console.error(message));
    this.health = new DatabaseHealth(() => this.pool.query('SELECT 1').then(() => undefined), {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.probeIntervalMs !== undefined ? { probeIntervalMs: options.probeIntervalMs } : {}),
      onChange: (healthy, cause) =>
        this.log(healthy ? `PostgreSQL at ${this.where} is reachable again` : `PostgreSQL at ${this.where} cannot be reached: ${describeCause(cause)}`),
    });
    // An idle pooled connection that breaks (the server restarted) must not crash the process: the pool drops it, and
    // the next query opens a new one.
    this.pool.on('error', (error) => {
      if (isConnectionError(error)) this.health.lost(error);
    });
  }

  get healthy(): boolean {
    return this.health.healthy;
  }

  /** Maps "cannot reach the database" to one clear AppError and keeps the health in step with what queries find. */
  private async reaching<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.health.reached();
      return result;
    } catch (error) {
      if (isConnectionError(error)) {
        this.health.lost(error);
        throw databaseUnreachable(this.where, error);
      }
      throw error;
    }
  }

  protected run(query: Query): Promise<Row[]> {
    return this.reaching(async () => (await this.pool.query<Row>(query)).rows);
  }

  async transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    // `durable` needs nothing here: every COMMIT is durable before it returns (synchronous_commit is PostgreSQL's
    // default, and this backend has no group commit of its own).
    if (this.closed) throw new Error('the storage is closed');
    // Refuse at once while the database is lost: waiting on a dead connection would only delay the same answer.
    if (!this.health.healthy) throw databaseUnreachable(this.where, this.health.cause);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.reaching(() => this.attempt(fn));
      } catch (error) {
        const state = (error as { code?: unknown }).code;
        if (attempt < MAX_ATTEMPTS && typeof state === 'string' && RETRYABLE_STATES.has(state)) continue;
        throw error;
      }
    }
  }

  /** One try: BEGIN, fn, COMMIT, then the `afterCommit` work; ROLLBACK on any failure. */
  private async attempt<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx = new PostgresTx(client);
    let result: T;
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      result = await fn(tx);
    } catch (error) {
      tx.finish();
      await this.rollback(client, error);
      throw error;
    }
    tx.finish();
    const commit = client.query('COMMIT');
    this.committing.add(commit);
    try {
      await commit;
    } catch (error) {
      // COMMIT failed (or its answer was lost with the connection): nothing is acknowledged, the connection is
      // discarded rather than reused in an unknown state.
      client.release(error instanceof Error ? error : true);
      throw error;
    } finally {
      this.committing.delete(commit);
    }
    client.release();
    this.runCommitted(tx.committed);
    return result;
  }

  private async rollback(client: pg.PoolClient, cause: unknown): Promise<void> {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch {
      // The connection is broken: the server rolls back on its own; throw the connection away.
      client.release(cause instanceof Error ? cause : true);
    }
  }

  private runCommitted(queued: Array<() => void>): void {
    for (const run of queued) {
      try {
        run();
      } catch (error) {
        // The data is committed: a failing callback is a bug in it, reported, and the others still run.
        this.log(`afterCommit callback failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }

  async flush(): Promise<void> {
    // Every COMMIT returns only once durable and runs its afterCommit work right after: wait for those in flight.
    await Promise.allSettled([...this.committing]);
  }

  async clearPresence(instanceId: string): Promise<string[]> {
    return this.transaction(async (tx) => {
      const client = tx as PostgresTx;
      const ids = (await client.conversationsPresentOn(instanceId)).sort();
      if (ids.length === 0) return [];
      return client.dropInstancePresence(instanceId, ids);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.health.close();
    await this.flush();
    await this.pool.end();
  }
}

export interface OpenPostgresOptions extends PostgresStorageOptions {
  /** How long to wait for the first connection (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * Connects, migrates the schema (postgres-migrations.ts) and returns the storage. Rejects with one line naming
 * host:port and the cause when the database cannot be reached, or with the migration's refusal.
 */
export async function openPostgresStorage(url: string, options: OpenPostgresOptions = {}): Promise<PostgresStorage> {
  const where = databaseAddress(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: postgresTypes,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Keep-alive finds a silently dead server (a machine gone, a cable pulled) instead of waiting forever.
    keepAlive: true,
  });
  // Until the storage takes over its error handling, an idle connection's error must not crash the process.
  const ignore = () => {};
  pool.on('error', ignore);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`cannot reach PostgreSQL at ${where}: ${describeCause(error)}`, { cause: error });
  }
  try {
    await migratePostgres(client);
    client.release();
  } catch (error) {
    client.release(true);
    await pool.end().catch(() => {});
    throw isConnectionError(error) ? new Error(`cannot reach PostgreSQL at ${where}: ${describeCause(error)}`, { cause: error }) : error;
  }
  const storage = new PostgresStorage(pool, url, options);
  pool.off('error', ignore);
  return storage;
}
