import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startBackgroundCheckpoint, type BackgroundCheckpoint } from './background-checkpoint.js';
import { MIGRATIONS } from './schema.js';
import { SqliteQueries } from './sqlite-queries.js';
import { SqliteReadView } from './sqlite-reads.js';
import { SqliteTx } from './sqlite-tx.js';
import type { Storage, StorageTx } from './storage.js';

export interface SqliteOptions {
  /** Path of the database file, or ':memory:' for tests (then reads outside transactions share the one connection). */
  file: string;
  /**
   * `normal` (default): WAL with synchronous=NORMAL. Every committed transaction is in the WAL file before its promise
   * resolves, so a killed process (SIGKILL, crash) loses nothing acknowledged; only an OS crash or power cut can lose
   * the last transactions. `full` also fsyncs each commit, for machines where that matters more than throughput.
   */
  durability?: 'normal' | 'full';
  /**
   * Group commit (default on): consecutive transactions share one SQLite commit, made once the queue is empty at the
   * end of the event-loop turn. Their `afterCommit` work and promises wait for it, so nothing is acknowledged before
   * it is stored; throughput under load rises several-fold because a commit costs far more than the writes in it.
   * Off: every transaction commits on its own (the CLI, which writes once).
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
/** A batch commits after this many transactions even when more are waiting, so acknowledgements keep flowing. */
const MAX_BATCH = 2_000;

interface Queued {
  fn: (tx: StorageTx) => Promise<unknown>;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Finished {
  job: Queued;
  tx: SqliteTx;
  ok: boolean;
  /** The result, or the error when not ok. */
  outcome: unknown;
}

/**
 * The embedded backend: one SQLite file per data dir, WAL. One writing connection, so transactions run one at a time
 * (FIFO: the next starts when the previous `fn` settled) and a read inside one is already a lock. Group commit:
 * consecutive transactions share one BEGIN IMMEDIATE ... COMMIT, each in its own SAVEPOINT so a failing one rolls back
 * alone; only after the COMMIT do their `afterCommit` callbacks run and their promises settle. Reads outside
 * transactions go to a second, read-only connection, which sees exactly what is committed.
 */
export class SqliteStorage extends SqliteReadView implements Storage {
  readonly kind = 'sqlite' as const;
  private readonly writer: SqliteQueries;
  private readonly reader: SqliteQueries;
  private readonly groupCommit: boolean;
  private readonly onCommitError: (error: unknown) => void;
  private readonly file: string;
  private checkpointer: BackgroundCheckpoint | undefined;
  private commitsSinceGuard = 0;
  private readonly queue: Queued[] = [];
  /** Finished transactions of the open batch, waiting for its COMMIT. */
  private batch: Finished[] = [];
  private batchOpen = false;
  private running = false;
  /** The end of the turn came while a transaction was running: commit as soon as it settles. */
  private commitDue = false;
  /** Inside the after-commit callbacks: a transaction they start waits until they are done. */
  private releasing = false;
  private closed = false;
  private lastCommitFailedOnIo = false;

  constructor(options: SqliteOptions) {
    const db = new Database(options.file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // A second process (the CLI's `designer add`) may write while the Platform runs: wait instead of failing.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    const writer = new SqliteQueries(db);
    let reader = writer;
    if (options.file !== ':memory:') {
      const readDb = new Database(options.file);
      readDb.pragma('busy_timeout = 5000');
      readDb.pragma('query_only = ON');
      reader = new SqliteQueries(readDb);
    }
    super(reader);
    this.writer = writer;
    this.reader = reader;
    this.file = options.file;
    this.groupCommit = options.groupCommit ?? true;
    this.onCommitError = options.onCommitError ?? (() => {});
    if (options.backgroundCheckpointMs && options.file !== ':memory:') {
      db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = startBackgroundCheckpoint(options.file, options.backgroundCheckpointMs, options.onBackgroundError ?? (() => {}));
    }
  }

  /** False after a commit failed with an I/O error (or a full disk), until one succeeds again; and once closed. */
  get healthy(): boolean {
    return !this.lastCommitFailedOnIo && !this.closed;
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>, options: { durable?: boolean } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the storage is closed: the Platform is shutting down'));
    return this.enqueue(fn, options.durable === true || !this.groupCommit);
  }

  private enqueue<T>(fn: (tx: StorageTx) => Promise<T>, durable: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, durable, resolve: resolve as (value: unknown) => void, reject });
      this.runNext();
    });
  }

  flush(): Promise<void> {
    if (!this.batchOpen && !this.running && this.queue.length === 0) return Promise.resolve();
    // Behind everything queued (FIFO), and committing at once.
    return this.enqueue(() => Promise.resolve(), true);
  }

  /** Clears every instance's presence: on SQLite the Platform is the only instance, so at start none is alive. */
  clearAllPresence(): Promise<string[]> {
    return this.transaction(() => Promise.resolve(this.writer.clearPresence(undefined)));
  }

  clearPresence(instanceId: string): Promise<string[]> {
    return this.transaction(() => Promise.resolve(this.writer.clearPresence(instanceId)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // New transactions are refused from here on; the queued ones still commit.
    this.closed = true;
    await this.flush().catch(() => {});
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    // Fold the WAL back into the main file so a clean shutdown leaves one self-contained database.
    if (this.reader !== this.writer) this.reader.db.close();
    this.writer.db.pragma('wal_checkpoint(TRUNCATE)');
    this.writer.db.close();
  }

  // ---- the transaction queue ----

  private runNext(): void {
    if (this.running || this.releasing) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    try {
      if (!this.batchOpen) this.begin();
      this.writer.stmt('SAVEPOINT tx').run();
    } catch (error) {
      // BEGIN waited busy_timeout for another process's lock and gave up: this one fails, the next tries again.
      this.running = false;
      job.reject(error);
      this.runNext();
      return;
    }
    const tx = new SqliteTx(this.writer);
    let result: Promise<unknown>;
    try {
      result = job.fn(tx);
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => this.settle(job, tx, true, value),
      (error: unknown) => this.settle(job, tx, false, error),
    );
  }

  private begin(): void {
    this.writer.stmt('BEGIN IMMEDIATE').run();
    this.batchOpen = true;
    // The end of this turn: everything queued in it has run by then (SQLite statements settle in microtasks).
    setImmediate(() => {
      if (!this.batchOpen) return;
      if (this.running) this.commitDue = true;
      else this.commit();
      this.runNext();
    });
  }

  private settle(job: Queued, tx: SqliteTx, ok: boolean, outcome: unknown): void {
    tx.end();
    try {
      if (ok) this.writer.stmt('RELEASE tx').run();
      else {
        this.writer.stmt('ROLLBACK TO tx').run();
        this.writer.stmt('RELEASE tx').run();
      }
    } catch (error) {
      ok = false;
      outcome = error;
    }
    this.batch.push({ job, tx, ok, outcome });
    this.running = false;
    if (job.durable || this.commitDue || this.batch.length >= MAX_BATCH) this.commit();
    this.runNext();
  }

  /** Commits the open batch, then lets everything that waited for it (acknowledgements, events) go out, in order. */
  private commit(): void {
    this.commitDue = false;
    if (!this.batchOpen) return;
    this.batchOpen = false;
    const finished = this.batch;
    this.batch = [];
    try {
      this.writer.stmt('COMMIT').run();
    } catch (error) {
      // Nothing in the batch was acknowledged, so the clients resend; the Platform carries on.
      try {
        if (this.writer.db.inTransaction) this.writer.stmt('ROLLBACK').run();
      } catch {
        // SQLite rolled back on its own (an I/O error can do that): nothing left to undo.
      }
      this.lastCommitFailedOnIo = isIoError(error);
      this.onCommitError(error);
      for (const f of finished) f.job.reject(f.ok ? error : f.outcome);
      return;
    }
    this.lastCommitFailedOnIo = false;
    this.guardWal();
    this.releasing = true;
    try {
      for (const f of finished) {
        if (!f.ok) continue;
        for (const run of f.tx.committed) {
          try {
            run();
          } catch (error) {
            // One broken callback must not keep the others' acknowledgements back; it still surfaces.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } finally {
      this.releasing = false;
    }
    for (const f of finished) (f.ok ? f.job.resolve : f.job.reject)(f.outcome);
  }

  private guardWal(): void {
    if (!this.checkpointer || ++this.commitsSinceGuard < 1000) return;
    this.commitsSinceGuard = 0;
    try {
      if (statSync(`${this.file}-wal`).size > WAL_GUARD_BYTES) this.writer.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // No WAL file right now: nothing to guard.
    }
  }
}

/** `PRAGMA user_version` counts the migrations run; each runs in the transaction that bumps it. */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** SQLITE_IOERR and its extended codes (SQLITE_IOERR_WRITE, _FSYNC, ...), and a full disk. */
function isIoError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL');
}
