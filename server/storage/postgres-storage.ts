import pg from 'pg';
import { backoffDelay, type BackoffPolicy } from '../../protocol/backoff.js';
import type { Clock } from '../../protocol/clock.js';
import { AppError } from '../../protocol/errors.js';
import type { Storage, StorageTx } from './storage.js';
import { DatabaseHealth, databaseUnreachable, describeCause, explainRefusal, isConnectionError, POOL_EXHAUSTED } from './postgres-health.js';
import { migratePostgres } from './postgres-migrations.js';
import { PostgresReads, type Query } from './postgres-reads.js';
import { postgresTypes, type Row } from './postgres-rows.js';
import { PostgresTx, type EventAnnouncements } from './postgres-tx.js';

export interface PostgresStorageOptions {
  /** Connections in the pool (default 10). Each instance holds this many at most. */
  poolSize?: number;
  /** Timers of the health probe. */
  clock?: Clock;
  /** How often to probe while the database cannot be reached (default 1000 ms). */
  probeIntervalMs?: number;
  /** Told when the database is lost and when it is back, and of an `afterCommit` callback that threw. */
  log?: (message: string) => void;
  /** How long to wait for a connection, new or from the pool (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL ends a session that sits in an open transaction this long (default 60 s), releasing its row locks: an
   * instance that hangs mid-transaction cannot block takeovers and its bot's events on the other instances for ever.
   */
  idleInTransactionTimeoutMs?: number;
  /**
   * Announces every commit of events on this channel (`{"bot", "id", "from"}`, the newest id per bot), inside the transaction:
   * the other instances of a cluster hear of them exactly when they are committed (cluster/event-bridge.ts).
   */
  announceEventsOn?: EventAnnouncements;
}

/** A transient failure PostgreSQL asks us to retry: serialization_failure, deadlock_detected. */
const RETRYABLE_STATES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
const RETRY_BACKOFF: BackoffPolicy = { baseMs: 5, capMs: 100 };
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** BEGIN failed on a pooled connection that had broken while idle: nothing ran, so the transaction may be tried again. */
class StaleConnection extends Error {
  constructor(cause: unknown) {
    super('a pooled connection to PostgreSQL had broken', { cause });
  }
}

/**
 * A prepared statement planned before the schema changed under it (a newer instance migrated the database during a
 * rolling upgrade) fails once with this; on a new connection it is prepared afresh and works.
 */
function isStalePlan(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '0A000' && error.message.includes('cached plan must not change result type');
}

function isRetryable(error: unknown): boolean {
  if (error instanceof StaleConnection || isStalePlan(error)) return true;
  const state = (error as { code?: unknown }).code;
  return typeof state === 'string' && RETRYABLE_STATES.has(state);
}

const URL_SHAPE = 'postgres://USER:PASSWORD@HOST:PORT/DATABASE';

/**
 * host:port of a connection URL, for messages (never the password). Throws a clear error for anything that is not a
 * postgres:// URL: node-postgres would otherwise read "nonsense" as a database name on a default host.
 */
export function databaseAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text itself is not repeated: it may hold a password.
    throw new Error(`the database URL is not a valid URL; it must look like ${URL_SHAPE}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`the database URL must start with postgres:// (it starts with ${parsed.protocol}//); it must look like ${URL_SHAPE}`);
  }
  // A Unix socket is named as `postgres:///DB?host=/run/postgresql`.
  const host = parsed.hostname || parsed.searchParams.get('host');
  if (!host) throw new Error(`the database URL names no host; it must look like ${URL_SHAPE}`);
  return `${host}:${parsed.port || 5432}`;
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
  /** Transactions started and not yet finished (committed with their `afterCommit` work run, or failed): what `flush` waits for. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  private readonly connectTimeoutMs: number;
  private readonly announceEventsOn: EventAnnouncements | undefined;

  constructor(
    private readonly pool: pg.Pool,
    url: string,
    options: PostgresStorageOptions = {},
  ) {
    super();
    this.where = databaseAddress(url);
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.announceEventsOn = options.announceEventsOn;
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
        // Already said (a read inside the transaction's work met it): not wrapped a second time.
        throw error instanceof AppError ? error : databaseUnreachable(this.where, error);
      }
      if (error instanceof Error && error.message === POOL_EXHAUSTED) {
        throw new Error(
          `every connection to PostgreSQL at ${this.where} stayed busy for ${this.connectTimeoutMs} ms (this instance is overloaded, or a transaction hangs): nothing was stored`,
          { cause: error },
        );
      }
      throw explainRefusal(error);
    }
  }

  protected async run(query: Query): Promise<Row[]> {
    try {
      return await this.reaching(async () => (await this.pool.query<Row>(query)).rows);
    } catch (error) {
      // The pool has thrown that connection away (it does after any failed query): the next one prepares afresh.
      if (isStalePlan(error)) return this.reaching(async () => (await this.pool.query<Row>(query)).rows);
      throw error;
    }
  }

  async transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    // `durable` needs nothing here: every COMMIT is durable before it returns (synchronous_commit is PostgreSQL's
    // default, and this backend has no group commit of its own).
    if (this.closed) throw new Error('the storage is closed');
    // Refuse at once while the database is lost: waiting on a dead connection would only delay the same answer.
    if (!this.health.healthy) throw databaseUnreachable(this.where, this.health.cause);
    const running = this.withRetries(fn);
    this.inFlight.add(running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(running);
    }
  }

  private async withRetries<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.reaching(() => this.attempt(fn));
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
          // A short random pause lets the transaction that won go first: retried at once, the victim of a deadlock
          // often takes its first row back before the winner can, and deadlocks again. Real time on purpose: a
          // few milliseconds of jitter, not a timeout a test would want to control.
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, RETRY_BACKOFF, Math.random)));
          continue;
        }
        throw error instanceof StaleConnection ? databaseUnreachable(this.where, error.cause) : error;
      }
    }
  }

  /**
   * One try: BEGIN, fn, COMMIT, then the `afterCommit` work; ROLLBACK on any failure. BEGIN goes out with the first
   * statement and the queued event appends with the COMMIT (postgres-tx.ts: the connection is pipelined).
   */
  private async attempt<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection is ours to watch: the pool listens only to idle ones, and an 'error' event nobody
    // listens to (the server ending the session mid-transaction) would crash the process.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      // The first error says why; the "Connection terminated" that follows a session the server ended is its echo.
      if (broken) return;
      broken = error;
      if (isConnectionError(error)) this.health.lost(error);
    };
    client.on('error', onError);
    // A connection that failed is thrown away rather than handed to the next transaction in an unknown state.
    const release = (failure?: unknown) => {
      client.off('error', onError);
      const reason = broken ?? failure;
      client.release(reason === undefined ? undefined : reason instanceof Error ? reason : true);
    };
    const tx = new PostgresTx(client, this.announceEventsOn);
    tx.begin();
    // A pooled connection that broke while idle fails BEGIN, before anything ran: another one may well work.
    const staleOr = async (error: unknown): Promise<unknown> => {
      const beginFailure = await tx.beginFailure();
      return beginFailure !== undefined && isConnectionError(beginFailure) ? new StaleConnection(beginFailure) : error;
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      tx.finish();
      const stale = await staleOr(error);
      if (stale instanceof StaleConnection) {
        release(stale.cause);
        throw stale;
      }
      try {
        await client.query('ROLLBACK');
        // A connection whose prepared statements went stale is not reused: the retry prepares them afresh.
        release(isStalePlan(error) ? error : undefined);
      } catch {
        // The connection is broken: the server rolls back on its own.
        release(error);
      }
      // The server ended this session for a reason of its own (idle in transaction too long, an administrator): say
      // that, rather than the "connection error" the next query met, which would wrongly count the database as lost.
      throw broken && !isConnectionError(broken) ? broken : error;
    }
    tx.finish();
    try {
      await tx.commit();
    } catch (error) {
      // Nothing is acknowledged: COMMIT failed, its answer was lost with the connection, or a statement of the
      // transaction failed and the COMMIT rolled it back. Only a connection in an unknown state is thrown away.
      const stale = await staleOr(error);
      release(stale instanceof StaleConnection || isConnectionError(error) || isStalePlan(error) ? error : undefined);
      // As above: a session the server ended says why, not the connection error that followed.
      throw broken && !isConnectionError(broken) && !(stale instanceof StaleConnection) ? broken : stale;
    }
    release();
    this.runCommitted(tx.committed);
    return result;
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

  /** Waits for every transaction started before the call (never call it from inside one: it would wait for itself). */
  async flush(): Promise<void> {
    // Every COMMIT returns only once durable and runs its afterCommit work right after: wait for those in flight.
    await Promise.allSettled([...this.inFlight]);
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

export type OpenPostgresOptions = PostgresStorageOptions;

/**
 * Connects, migrates the schema (postgres-migrations.ts) and returns the storage. Rejects with one line naming
 * host:port and the cause when the database cannot be reached, or with the migration's refusal.
 */
export async function openPostgresStorage(url: string, options: OpenPostgresOptions = {}): Promise<PostgresStorage> {
  const where = databaseAddress(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Statements are sent without waiting for the previous answer (postgres-tx.ts): a transaction costs a few round
    // trips instead of one per statement.
    pipeline: true,
    types: postgresTypes,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // Keep-alive finds a silently dead server (a machine gone, a cable pulled) in about a minute instead of hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
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
