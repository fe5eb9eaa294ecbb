import type { Storage } from '../storage/storage.js';
import type { ClientStateStore } from './client-state-store.js';

/**
 * Client states in the Platform's storage (SQLite or PostgreSQL), so every instance reads what any instance saved.
 * Saves made in one turn of the event loop share one transaction (a burst of bot replies costs one commit, not one
 * each), and a client saved twice in that turn is written once, with its latest state.
 */
export class StorageClientStates implements ClientStateStore {
  readonly shared: boolean;
  private pending = new Map<string, { bot: string; clientKey: string; state: string; at: number }>();
  private batch: { promise: Promise<void>; settle: (error?: unknown) => void } | undefined;

  constructor(private readonly storage: Pick<Storage, 'kind' | 'transaction' | 'loadClientState'>) {
    // One SQLite file has one Platform process; PostgreSQL is shared by every instance.
    this.shared = storage.kind === 'postgres';
  }

  load(bot: string, clientKey: string): Promise<string | undefined> {
    return this.storage.loadClientState(bot, clientKey);
  }

  save(bot: string, clientKey: string, state: string, at: number): Promise<void> {
    this.pending.set(`${bot}\u0000${clientKey}`, { bot, clientKey, state, at });
    if (!this.batch) {
      let settle!: (error?: unknown) => void;
      const promise = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error as Error))));
      this.batch = { promise, settle };
      setImmediate(() => void this.commit());
    }
    return this.batch.promise;
  }

  private async commit(): Promise<void> {
    const batch = this.batch!;
    const writes = [...this.pending.values()];
    this.batch = undefined;
    this.pending = new Map();
    try {
      await this.storage.transaction(async (tx) => {
        for (const w of writes) await tx.saveClientState(w.bot, w.clientKey, w.state, w.at);
      });
      batch.settle();
    } catch (error) {
      batch.settle(error ?? new Error('saving client states failed'));
    }
  }
}
