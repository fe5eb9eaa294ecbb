import type { Clock, TimerHandle } from '../../protocol/clock.js';
import { type ClientStateStore, decodeClientState, encodeClientState, revisionOf } from './client-state-store.js';

/** How the table makes, saves and restores the engine's sessions (passed in so this file needs no engine). */
export interface SessionCodec<S> {
  toJSON(session: S): unknown;
  fromJSON(json: unknown): S;
}

export interface SessionTableOptions<S> {
  /** Where persistent sessions are saved (the Platform's storage, or files); this table is the cache in front. */
  store: ClientStateStore;
  clock: Clock;
  codec: SessionCodec<S>;
  /**
   * A non-persistent session idle this long is forgotten (Pandorabots flushes a client's predicates after an idle
   * period and ends a conversation after 30 minutes without input). Persistent ones leave memory too, but stay saved.
   */
  idleMs: number;
  onError?: (error: unknown, what: string) => void;
}

interface Entry<S> {
  session: S;
  lastUsed: number;
  persistent: boolean;
  /** The revision of the saved state this session continues (0: never saved). */
  revision: number;
}

/**
 * Per-client AIML sessions, keyed by bot and client key. Sessions are engine objects independent of the compiled
 * bot, so a hot swap keeps every client's predicates and `that`. Persistent sessions (end users of the Landing Page
 * and widget, atalk clients whose predicates Pandorabots keeps indefinitely) are saved to the store after every
 * exchange and restored from it on demand, on this instance or another; the others live in memory only and are
 * evicted after `idleMs` without use.
 */
export class SessionTable<S> {
  private readonly entries = new Map<string, Entry<S>>();
  private sweepTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly options: SessionTableOptions<S>) {
    this.scheduleSweep();
  }

  /**
   * The client's session without waiting: in memory, else restored from a store that reads synchronously (files),
   * else a new one. The asynchronous `load` is the way for stores that other instances share.
   */
  get(bot: string, clientKey: string, persistent: boolean, create: () => S): S {
    const key = tableKey(bot, clientKey);
    const entry = this.fresh(key);
    if (entry) {
      entry.persistent ||= persistent;
      return entry.session;
    }
    const saved = persistent ? this.options.store.loadNow?.(bot, clientKey) : undefined;
    return this.remember(key, bot, clientKey, saved, persistent, create).session;
  }

  /**
   * The client's session, restored from the store when it is not in memory, or when another instance saved a newer
   * revision since (the user moved there and back). Never throws for a bad saved state: it is logged and the client
   * starts afresh. Rejects only when the store cannot be read.
   */
  async load(bot: string, clientKey: string, persistent: boolean, create: () => S): Promise<S> {
    const key = tableKey(bot, clientKey);
    const cached = this.fresh(key);
    if (cached && (!cached.persistent || !this.options.store.shared)) {
      cached.persistent ||= persistent;
      return cached.session;
    }
    if (!cached && !persistent) return this.get(bot, clientKey, false, create);
    const saved = await this.options.store.load(bot, clientKey);
    // Another load or an answer may have filled the entry while the store was read: the newer one wins.
    const now = this.fresh(key);
    if (now && (saved === undefined || revisionOf(saved) <= now.revision)) {
      now.persistent ||= persistent;
      return now.session;
    }
    return this.remember(key, bot, clientKey, saved, true, create).session;
  }

  /**
   * After an exchange: a persistent session is saved with the next revision, so its predicates survive eviction,
   * restarts and a move to another instance. Resolves when the store has it.
   */
  saved(bot: string, clientKey: string): Promise<void> {
    const entry = this.entries.get(tableKey(bot, clientKey));
    if (!entry?.persistent) return Promise.resolve();
    entry.revision++;
    const at = this.options.clock.now();
    let text: string;
    try {
      text = encodeClientState({ rev: entry.revision, savedAt: at, clientKey, session: this.options.codec.toJSON(entry.session) });
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.options.store.save(bot, clientKey, text, at);
  }

  /** Forget a client's session and every predicate in it (the talk API's `reset=true`), in the store too. */
  async reset(bot: string, clientKey: string): Promise<void> {
    const key = tableKey(bot, clientKey);
    const entry = this.entries.get(key);
    this.entries.delete(key);
    const { store } = this.options;
    const saved = store.loadNow ? store.loadNow(bot, clientKey) : await store.load(bot, clientKey);
    if (saved === undefined && !entry?.persistent) return;
    // The store has no delete: a reset is a newer revision without a session, which a cached copy elsewhere loses to.
    const revision = Math.max(entry?.revision ?? 0, saved === undefined ? 0 : revisionOf(saved)) + 1;
    const at = this.options.clock.now();
    await store.save(bot, clientKey, encodeClientState({ rev: revision, savedAt: at, clientKey, session: null }), at);
  }

  /** A deleted bot loses every session. */
  dropBot(bot: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${bot}\u0000`)) this.entries.delete(key);
    this.options.store.forgetBot?.(bot);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drop idle sessions from memory (persistent ones stay in the store). */
  sweep(): void {
    const now = this.options.clock.now();
    for (const [key, entry] of this.entries) if (now - entry.lastUsed >= this.options.idleMs) this.entries.delete(key);
  }

  close(): void {
    this.closed = true;
    if (this.sweepTimer !== undefined) this.options.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** The entry in memory, touched, unless it is a non-persistent one idle too long (then it is gone). */
  private fresh(key: string): Entry<S> | undefined {
    const now = this.options.clock.now();
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!entry.persistent && now - entry.lastUsed >= this.options.idleMs) {
      this.entries.delete(key);
      return undefined;
    }
    entry.lastUsed = now;
    return entry;
  }

  private remember(key: string, bot: string, clientKey: string, saved: string | undefined, persistent: boolean, create: () => S): Entry<S> {
    let session: S | undefined;
    let revision = 0;
    if (saved !== undefined) {
      try {
        const state = decodeClientState(saved, clientKey);
        revision = state.rev;
        if (state.session !== null) session = this.options.codec.fromJSON(state.session);
      } catch (error) {
        // A state that cannot be read is not lost: it stays in the store until this client's next save replaces it.
        this.options.onError?.(error, `restoring the session of ${clientKey} for ${bot}`);
        revision = revisionOf(saved);
      }
    }
    const entry = { session: session ?? create(), lastUsed: this.options.clock.now(), persistent, revision };
    this.entries.set(key, entry);
    return entry;
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
}

function tableKey(bot: string, clientKey: string): string {
  return `${bot}\u0000${clientKey}`;
}
