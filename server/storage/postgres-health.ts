import { systemClock, type Clock, type TimerHandle } from '../../protocol/clock.js';
import { AppError } from '../../protocol/errors.js';

/**
 * Whether PostgreSQL can be reached, as the instance sees it. A query that fails because the database cannot be
 * reached marks it unhealthy (`/readyz` reports not ready, writes are refused at once instead of queueing behind a
 * dead connection); a probe every second, or any query that succeeds, marks it healthy again, with nobody restarting
 * anything.
 */

const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** SQLSTATEs meaning "the server is going away or not there yet" (class 08 is connection exceptions as a whole). */
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * node-postgres reports a dropped or never-opened connection as a plain Error with one of these messages. (Not its
 * "timeout exceeded when trying to connect": that is every pooled connection staying busy, an overload, not a lost
 * database.)
 */
const DROPPED_CONNECTION = /^(Connection terminated|Client has encountered a connection error|Client was closed)/;

/** pg-pool's message when no pooled connection came free in time. */
export const POOL_EXHAUSTED = 'timeout exceeded when trying to connect';

/** Is this the database being unreachable (as opposed to a query being wrong)? */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'database_unreachable';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || SERVER_GONE_STATES.has(code) || NODE_NETWORK_CODES.has(code)) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return DROPPED_CONNECTION.test(error.message);
}

/** A one-line description of why, for people: "connect ECONNREFUSED 127.0.0.1:5432", "terminating connection ...". */
export function describeCause(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeCause(error.errors[0]);
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}

export function databaseUnreachable(where: string, cause: unknown): AppError<'database_unreachable'> {
  return new AppError('database_unreachable', `The database (PostgreSQL at ${where}) cannot be reached: ${describeCause(cause)}. Nothing was stored; try again shortly.`, {
    cause,
  });
}

export interface HealthOptions {
  clock?: Clock;
  probeIntervalMs?: number;
  /** Told when the database is lost or back (for the log). */
  onChange?: (healthy: boolean, cause?: unknown) => void;
}

export class DatabaseHealth {
  private ok = true;
  private lastCause: unknown;
  private probeTimer: TimerHandle | undefined;
  private closed = false;
  private readonly clock: Clock;
  private readonly intervalMs: number;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly options: HealthOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.probeIntervalMs ?? 1000;
  }

  get healthy(): boolean {
    return this.ok;
  }

  /** Why the database was last found unreachable. */
  get cause(): unknown {
    return this.lastCause;
  }

  lost(cause: unknown): void {
    this.lastCause = cause;
    if (!this.ok || this.closed) return;
    this.ok = false;
    this.options.onChange?.(false, cause);
    this.scheduleProbe();
  }

  reached(): void {
    if (this.ok) return;
    this.ok = true;
    if (this.probeTimer) this.clock.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.options.onChange?.(true);
  }

  close(): void {
    this.closed = true;
    if (this.probeTimer) this.clock.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private scheduleProbe(): void {
    if (this.closed || this.probeTimer) return;
    this.probeTimer = this.clock.setTimeout(() => {
      this.probeTimer = undefined;
      this.probe().then(
        () => this.reached(),
        (error: unknown) => {
          this.lastCause = error;
          if (!this.ok) this.scheduleProbe();
        },
      );
    }, this.intervalMs);
  }
}

/** PostgreSQL's text types cannot hold U+0000 (SQLite's can): 22021 is what it answers when asked to. */
const NUL_REFUSED = '22021';

/** A refusal by PostgreSQL that the input caused, as an error for people; anything else unchanged. */
export function explainRefusal(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: unknown }).code === NUL_REFUSED) {
    return new AppError('invalid', 'The text contains the NUL character (U+0000), which the database (PostgreSQL) cannot store: remove it and try again. Nothing was stored.', {
      cause: error,
    });
  }
  return error;
}
