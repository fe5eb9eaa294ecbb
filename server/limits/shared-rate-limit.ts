import type { Clock } from '../../protocol/clock.js';
import { MemoryRateLimit } from './memory-rate-limit.js';
import type { AsyncRateLimit, LimitDecision, RateLimitShape } from './rate-limit.js';

/** What the limit needs of the database: a `pg.Pool` is one (tests pass a stand-in). */
export interface RateLimitDatabase {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

type ReservedRow = { key: string; granted: number; tokens: number };

export interface SharedRateLimitOptions {
  pool: RateLimitDatabase;
  /** Which limit this is (a row's scope in `rate_limit_buckets`): every instance names it the same. */
  scope: string;
  shape: RateLimitShape;
  /** This instance's clock: how long reserved tokens are held, and refusals remembered. */
  clock: Clock;
  /**
   * Whose time refills the shared buckets: the database's (default, one clock for every machine of the cluster), or
   * this clock's (tests on a fake clock; every instance must then share it).
   */
  refillTime?: 'database' | Clock;
  /** Tokens reserved from the shared bucket at once (default: a fifth of the burst, 1 to 20). */
  batch?: number;
  /** Reserved tokens not used within this long are dropped, so no instance spends old reservations (default 1 s). */
  holdMs?: number;
  /** Keys remembered by this instance at most (the least recently used go first). */
  maxKeys?: number;
  /**
   * A bucket idle this long is forgotten by `prune` (default: the time it takes to fill up again). A bucket that never
   * refills (perSecond 0: a fixed window's count, keyed by its window) must say when it may go.
   */
  forgetAfterMs?: number;
  /** The database failed: this instance counts on its own until it answers again. */
  onError?: (error: unknown) => void;
}

interface Held {
  /** Tokens this instance reserved and may hand out without asking. */
  tokens: number;
  /** Until when (this clock) the reserved tokens may be used. */
  until: number;
  /** The shared bucket was empty: no token before then, whichever instance asks. */
  refusedUntil: number;
}

type Waiter = (decision: LimitDecision) => void;

/**
 * A token bucket per key shared by every instance of a cluster, in PostgreSQL, and cheap on the hot path: each
 * instance reserves tokens from the shared bucket a batch at a time (one UPSERT that computes the refill in SQL), hands
 * them out from memory, and remembers a refusal until the bucket can have a token again, so a flooder's refused
 * messages and most accepted ones never touch the database. Tokens are only ever handed out after the database granted
 * them, so a flood spread over N instances gets the global allowance, not N times it; a reservation is used within
 * `holdMs`, so the rate over any window exceeds the limit by at most one batch per instance. The reservations of one
 * turn of the event loop go in one statement.
 */
export class SharedRateLimit implements AsyncRateLimit {
  private readonly held = new Map<string, Held>();
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly inFlight = new Set<string>();
  private flushScheduled = false;
  private readonly batch: number;
  private readonly holdMs: number;
  private readonly maxKeys: number;
  /** While the database fails, the limit is kept per instance rather than not at all. */
  private readonly fallback: MemoryRateLimit;

  constructor(private readonly o: SharedRateLimitOptions) {
    this.batch = Math.max(1, Math.min(o.batch ?? Math.min(20, Math.floor(o.shape.burst / 5)), Math.floor(o.shape.burst)));
    this.holdMs = o.holdMs ?? 1_000;
    this.maxKeys = o.maxKeys ?? 100_000;
    this.fallback = new MemoryRateLimit(o.clock, o.shape, this.maxKeys);
  }

  take(key: string): LimitDecision | Promise<LimitDecision> {
    const local = this.decideLocally(key);
    if (local) return local;
    return new Promise<LimitDecision>((resolve) => this.wait(key, resolve));
  }

  /** Forgets the shared buckets idle long enough to be full again (forgetting them then changes nothing). */
  async prune(): Promise<number> {
    const forgetAfterMs = this.o.forgetAfterMs ?? (this.o.shape.burst / this.o.shape.perSecond) * 1000;
    const result = await this.o.pool.query(`DELETE FROM rate_limit_buckets WHERE scope = $1 AND updated_ms < ${this.nowSql('$3')} - $2`, [this.o.scope, forgetAfterMs, this.refillNow()]);
    return result.rowCount ?? 0;
  }

  /** Keys this instance remembers (tests, metrics). */
  get size(): number {
    return this.held.size;
  }

  private decideLocally(key: string): LimitDecision | undefined {
    const held = this.held.get(key);
    if (!held) return undefined;
    const now = this.o.clock.now();
    if (held.tokens >= 1 && now < held.until) {
      held.tokens -= 1;
      return { ok: true };
    }
    if (now < held.refusedUntil) return { ok: false, retryAfterMs: held.refusedUntil - now };
    return undefined;
  }

  private wait(key: string, waiter: Waiter): void {
    const list = this.waiting.get(key);
    if (list) list.push(waiter);
    else this.waiting.set(key, [waiter]);
    if (this.flushScheduled || this.inFlight.has(key)) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** One statement reserves for every key that has waiters and no reservation under way. */
  private async flush(): Promise<void> {
    const keys = [...this.waiting.keys()].filter((k) => !this.inFlight.has(k)).sort((x, y) => (databaseKey(x) < databaseKey(y) ? -1 : 1));
    if (keys.length === 0) return;
    const wants = keys.map((k) => Math.min(Math.floor(this.o.shape.burst), Math.max(this.batch, this.waiting.get(k)!.length)));
    for (const k of keys) this.inFlight.add(k);
    let rows: ReservedRow[];
    try {
      rows = await this.reserve(keys, wants);
    } catch (error) {
      this.o.onError?.(error);
      for (const k of keys) {
        this.inFlight.delete(k);
        const waiters = this.waiting.get(k) ?? [];
        this.waiting.delete(k);
        for (const w of waiters) w(this.fallback.take(k));
      }
      return;
    }
    const now = this.o.clock.now();
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const [i, k] of keys.entries()) {
      this.inFlight.delete(k);
      const row = byKey.get(databaseKey(k));
      const granted = row ? Number(row.granted) : 0;
      const left = row ? Number(row.tokens) : 0;
      // Asked for more than the bucket had: it is empty until a whole token has refilled.
      // (Never, for a bucket that does not refill.)
      const refusedUntil = granted < wants[i]! && left < 1 ? (this.o.shape.perSecond > 0 ? now + Math.ceil(((1 - left) / this.o.shape.perSecond) * 1000) : Number.POSITIVE_INFINITY) : 0;
      this.remember(k, { tokens: granted, until: now + this.holdMs, refusedUntil });
      const waiters = this.waiting.get(k) ?? [];
      this.waiting.delete(k);
      for (const w of waiters) {
        const decision = this.decideLocally(k);
        if (decision) w(decision);
        else this.wait(k, w);
      }
    }
  }

  private async reserve(keys: string[], wants: number[]): Promise<ReservedRow[]> {
    const { burst, perSecond } = this.o.shape;
    // The bucket after refilling since its last reservation (never backwards: another reservation may have stamped a
    // later time while this one waited for the row).
    const available = `LEAST($2::float8, b.tokens + GREATEST(0, EXCLUDED.updated_ms - b.updated_ms) / 1000.0 * $3::float8)`;
    const grant = `LEAST(EXCLUDED.granted, FLOOR(${available}))`;
    // Rows in key order, in every instance's statement alike: two reservations never wait on each other's rows.
    const { rows } = await this.o.pool.query(
      `INSERT INTO rate_limit_buckets AS b (scope, key, tokens, updated_ms, granted)
       SELECT $1, r.key, $2::float8 - LEAST(r.want, $2::float8), t.now_ms, LEAST(r.want, $2::float8)::int
       FROM unnest($4::text[], $5::int[]) AS r(key, want), (SELECT ${this.nowSql('$6')} AS now_ms) AS t
       ORDER BY r.key
       ON CONFLICT (scope, key) DO UPDATE SET
         granted = ${grant},
         tokens = ${available} - ${grant},
         updated_ms = GREATEST(b.updated_ms, EXCLUDED.updated_ms)
       RETURNING key, granted, tokens`,
      [this.o.scope, burst, perSecond, keys.map(databaseKey), wants, this.refillNow()],
    );
    return rows as ReservedRow[];
  }

  /** The refill's "now" in epoch ms: the parameter when this instance's clock refills, else the database's clock. */
  private nowSql(param: string): string {
    return `COALESCE(${param}::float8, EXTRACT(EPOCH FROM clock_timestamp()) * 1000)`;
  }

  private refillNow(): number | null {
    return this.o.refillTime === undefined || this.o.refillTime === 'database' ? null : this.o.refillTime.now();
  }

  private remember(key: string, held: Held): void {
    this.held.delete(key);
    if (this.held.size >= this.maxKeys) this.held.delete(this.held.keys().next().value!);
    this.held.set(key, held);
  }
}

/**
 * A key as stored: PostgreSQL text cannot hold NUL, which the chat's keys use as a separator (bot NUL session), and
 * URI-encoding is one-to-one, so two keys never share a bucket.
 */
function databaseKey(key: string): string {
  return encodeURIComponent(key);
}
