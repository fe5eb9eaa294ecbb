import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Clock, TimerHandle } from '../../protocol/clock.js';
import type { Storage } from '../storage/storage.js';

/** How often an instance says it is alive; missing `MISSED_BEATS` in a row makes it dead. */
export const HEARTBEAT_MS = 2_000;
export const MISSED_BEATS = 3;

/** Unique per start (a restarted process is a new instance: its old presence is swept like a dead one's). */
export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface InstanceHeartbeatOptions {
  instanceId: string;
  /** A pool on the Platform's database (the `instances` table of the PostgreSQL schema). */
  pool: Pick<pg.Pool, 'query' | 'connect'>;
  storage: Pick<Storage, 'clearPresence'>;
  clock: Clock;
  /**
   * The conversations whose users went offline with a dead instance: tell the designers (presence events). Runs while
   * the dead instance's row is locked, so exactly one live instance reports each death.
   */
  onOffline: (conversationIds: string[], deadInstanceId: string) => Promise<void>;
  onError: (error: unknown, what: string) => void;
  intervalMs?: number;
}

/**
 * This instance's heartbeat in the `instances` table, and the sweep of dead ones. Times come from the database's
 * clock, not this machine's, so instances on machines whose clocks disagree still agree on who is dead.
 */
export class InstanceHeartbeat {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly intervalMs: number;

  constructor(private readonly o: InstanceHeartbeatOptions) {
    this.intervalMs = o.intervalMs ?? HEARTBEAT_MS;
  }

  /** The first beat, before the instance serves anyone; then one beat and one sweep per interval. */
  async start(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  /** One beat and one sweep now (what the timer does; tests call it directly). */
  tick(): Promise<void> {
    return (this.running ??= (async () => {
      try {
        await this.beat();
      } catch (error) {
        this.o.onError(error, 'sending the heartbeat');
      }
      try {
        await this.sweep();
      } catch (error) {
        this.o.onError(error, 'sweeping dead instances');
      }
    })().finally(() => (this.running = undefined)));
  }

  /**
   * Graceful stop: this instance's users go offline now (not after the others notice it is gone), and its row goes.
   * Resolves with the conversations that went offline, for the caller to report.
   */
  async stop(): Promise<string[]> {
    this.closed = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    const offline = await this.o.storage.clearPresence(this.o.instanceId);
    await this.o.pool.query('DELETE FROM instances WHERE id = $1', [this.o.instanceId]);
    return offline;
  }

  private async beat(): Promise<void> {
    await this.o.pool.query(
      `INSERT INTO instances (id, heartbeat_at) VALUES ($1, ${DB_NOW_MS})
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at`,
      [this.o.instanceId],
    );
  }

  /**
   * Every instance whose last beat is older than `MISSED_BEATS` intervals is dead: its row is locked (another live
   * instance sweeping it at the same time skips it), its presence cleared and reported, and the row deleted, in one
   * transaction. Should this instance die half-way, the row stays and a later sweep finds no presence left to clear:
   * no conversation goes offline twice.
   */
  async sweep(): Promise<string[]> {
    const deadAfterMs = this.intervalMs * MISSED_BEATS;
    const { rows } = await this.o.pool.query<{ id: string }>(`SELECT id FROM instances WHERE heartbeat_at < ${DB_NOW_MS} - $1 AND id <> $2`, [deadAfterMs, this.o.instanceId]);
    const swept: string[] = [];
    for (const { id } of rows) if (await this.sweepOne(id, deadAfterMs)) swept.push(id);
    return swept;
  }

  private async sweepOne(deadId: string, deadAfterMs: number): Promise<boolean> {
    const client = await this.o.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const locked = await client.query(`SELECT id FROM instances WHERE id = $1 AND heartbeat_at < ${DB_NOW_MS} - $2 FOR UPDATE SKIP LOCKED`, [deadId, deadAfterMs]);
      if (locked.rowCount === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      const offline = await this.o.storage.clearPresence(deadId);
      if (offline.length > 0) await this.o.onOffline(offline, deadId);
      await client.query('DELETE FROM instances WHERE id = $1', [deadId]);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.o.clock.setTimeout(() => {
      void this.tick().then(() => this.schedule());
    }, this.intervalMs);
    (this.timer as unknown as { unref?: () => void }).unref?.();
  }
}

/** The database's clock in epoch milliseconds. */
const DB_NOW_MS = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";
