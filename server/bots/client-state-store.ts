/**
 * Where the Platform keeps each client's AIML state (predicates, `<that>` history, per-client `<learn>`), so it
 * survives a restart and a user moving to another Platform instance. The session table (session-table.ts) is the
 * cache in front of it. Two implementations: the Platform's storage (storage-client-states.ts, SQLite or
 * PostgreSQL) and the files of a data directory (file-client-states.ts, for a registry opened without storage).
 */
export interface ClientStateStore {
  /** The saved state, or undefined when this client has none (never saved, or reset). */
  load(bot: string, clientKey: string): Promise<string | undefined>;
  /** Resolves once the state is durable: a bot reply may be acknowledged only after its state is saved. */
  save(bot: string, clientKey: string, state: string, at: number): Promise<void>;
  /**
   * Reads without waiting, for the synchronous answer path (the talk API, tests); only stores on this machine's
   * files have it.
   */
  loadNow?(bot: string, clientKey: string): string | undefined;
  /**
   * Other Platform instances write to it too: a state cached in memory may be stale, so the table compares its
   * revision with the stored one before answering.
   */
  readonly shared: boolean;
  /** A deleted bot's states go too, where the store can delete (files); otherwise a re-created bot starts over by revision. */
  forgetBot?(bot: string): void;
}

/** The saved form: a revision first, so a cached copy can be compared with the stored one cheaply. */
export interface SavedClientState {
  rev: number;
  savedAt: number;
  clientKey: string;
  /** The engine session's JSON; null after a reset (the store has no delete: a reset is a newer, empty state). */
  session: unknown;
}

export function encodeClientState(state: SavedClientState): string {
  // Key order matters: revisionOf reads the revision from the first characters.
  return JSON.stringify({ rev: state.rev, savedAt: state.savedAt, clientKey: state.clientKey, session: state.session });
}

/** The revision of a saved state without parsing it all (states with learned categories can be large). */
export function revisionOf(text: string): number {
  const m = /^\{"rev":(\d+),/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Throws an Error saying what is wrong when the text is not a saved state of this client. */
export function decodeClientState(text: string, clientKey: string): SavedClientState {
  const data = JSON.parse(text) as Partial<SavedClientState> | null;
  if (data === null || typeof data !== 'object') throw new Error('a saved client state must be a JSON object');
  if (data.clientKey !== clientKey) throw new Error(`the saved state belongs to another client (${String(data.clientKey)})`);
  // States saved before revisions existed (session files of earlier versions) count as revision 0.
  const rev = data.rev ?? 0;
  if (typeof rev !== 'number' || !Number.isInteger(rev) || rev < 0) throw new Error(`a saved client state's revision must be a whole number, not ${String(rev)}`);
  return { rev, savedAt: typeof data.savedAt === 'number' ? data.savedAt : 0, clientKey, session: data.session ?? null };
}
