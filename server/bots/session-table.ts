import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../../protocol/clock.js';
import { removeTempFiles, writeFileAtomicSync } from '../../node-lib/atomic-write.js';

/** How the table makes, saves and restores the engine's sessions (passed in so this file needs no engine). */
export interface SessionCodec<S> {
  toJSON(session: S): unknown;
  fromJSON(json: unknown): S;
}

export interface SessionTableOptions<S> {
  /** Persistent sessions live in `<dir>/<bot>/<digest>.json`. */
  dir: string;
  clock: Clock;
  codec: SessionCodec<S>;
  /**
   * A non-persistent session idle this long is forgotten (Pandorabots flushes a client's predicates after an idle
   * period and ends a conversation after 30 minutes without input).
   */
  idleMs: number;
  onError?: (error: unknown, what: string) => void;
}

interface Entry<S> {
  session: S;
  lastUsed: number;
  persistent: boolean;
}

/**
 * Per-client AIML sessions, keyed by bot and client key. Sessions are engine objects independent of the compiled
 * bot, so a hot swap keeps every client's predicates and `that`. Persistent sessions (atalk clients, whose
 * predicates Pandorabots keeps indefinitely) are written after every exchange and reloaded on demand; the others
 * are kept in memory and evicted after `idleMs` without use.
 */
export class SessionTable<S> {
  private readonly entries = new Map<string, Entry<S>>();
  private sweepTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly options: SessionTableOptions<S>) {
    mkdirSync(options.dir, { recursive: true });
    removeTempFiles(options.dir, 1);
    this.scheduleSweep();
  }

  /** The client's session: in memory, else restored from disk when persistent, else a new one. */
  get(bot: string, clientKey: string, persistent: boolean, create: () => S): S {
    const key = tableKey(bot, clientKey);
    const now = this.options.clock.now();
    const entry = this.entries.get(key);
    if (entry && (entry.persistent || now - entry.lastUsed < this.options.idleMs)) {
      entry.persistent ||= persistent;
      entry.lastUsed = now;
      return entry.session;
    }
    if (entry) this.entries.delete(key);
    const session = (persistent ? this.restore(bot, clientKey) : undefined) ?? create();
    this.entries.set(key, { session, lastUsed: now, persistent });
    return session;
  }

  /** After an exchange: persistent sessions are saved so their predicates survive eviction and restarts. */
  saved(bot: string, clientKey: string): void {
    const entry = this.entries.get(tableKey(bot, clientKey));
    if (!entry?.persistent) return;
    try {
      mkdirSync(join(this.options.dir, bot), { recursive: true });
      const file = { clientKey, savedAt: this.options.clock.now(), session: this.options.codec.toJSON(entry.session) };
      writeFileAtomicSync(this.pathOf(bot, clientKey), JSON.stringify(file));
    } catch (error) {
      this.options.onError?.(error, `saving the session of ${clientKey} for ${bot}`);
    }
  }

  /** Forget a client's session and every predicate in it (the talk API's `reset=true`). */
  reset(bot: string, clientKey: string): void {
    this.entries.delete(tableKey(bot, clientKey));
    try {
      unlinkSync(this.pathOf(bot, clientKey));
    } catch {
      // nothing was persisted
    }
  }

  /** A deleted bot loses every session. */
  dropBot(bot: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${bot}\u0000`)) this.entries.delete(key);
    rmSync(join(this.options.dir, bot), { recursive: true, force: true });
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drop idle sessions from memory (persistent ones stay on disk). */
  sweep(): void {
    const now = this.options.clock.now();
    for (const [key, entry] of this.entries) if (now - entry.lastUsed >= this.options.idleMs) this.entries.delete(key);
  }

  close(): void {
    this.closed = true;
    if (this.sweepTimer !== undefined) this.options.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private scheduleSweep(): void {
    if (this.closed) return;
    this.sweepTimer = this.options.clock.setTimeout(() => {
      this.sweep();
      this.scheduleSweep();
    }, this.options.idleMs);
    // With the system clock the handle is a Node timer: a sweep must never keep the process alive by itself.
    (this.sweepTimer as unknown as { unref?: () => void }).unref?.();
  }

  private restore(bot: string, clientKey: string): S | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathOf(bot, clientKey), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const file = JSON.parse(text) as { clientKey?: unknown; session?: unknown };
      if (file.clientKey !== clientKey) return undefined;
      return this.options.codec.fromJSON(file.session);
    } catch (error) {
      this.options.onError?.(error, `restoring the session of ${clientKey} for ${bot}`);
      return undefined;
    }
  }

  /** Client keys are arbitrary text: the file name is a digest, so no key can name a path. */
  private pathOf(bot: string, clientKey: string): string {
    return join(this.options.dir, bot, `${createHash('sha256').update(clientKey).digest('hex').slice(0, 40)}.json`);
  }
}

function tableKey(bot: string, clientKey: string): string {
  return `${bot}\u0000${clientKey}`;
}
