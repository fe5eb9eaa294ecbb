/**
 * How bench:platform shares its users among load generator processes. Apart from platform-generators.ts so the
 * limit check and the tests read it without starting anything (that module registers the bench's exit handlers).
 */

/**
 * Sockets one generator process holds at most (the brief's "~9,000 each"): well under this machine's 20,000 open
 * files per process, with room for the process's own files, and 20,000 conversations go over 3 processes.
 */
export const PER_GENERATOR = 9_000;

/** How many generator processes `conversations` users need by default: none while they fit `PER_GENERATOR`. */
export function defaultGenerators(conversations: number): number {
  return conversations <= PER_GENERATOR ? 0 : Math.ceil(conversations / PER_GENERATOR);
}

/** Users `0 .. conversations - 1` in `processes` nearly equal, consecutive shares (one share when 0: in process). */
export function shares(conversations: number, processes: number): { first: number; count: number }[] {
  const n = Math.max(1, processes);
  return Array.from({ length: n }, (_, i) => {
    const first = Math.floor((i * conversations) / n);
    return { first, count: Math.floor(((i + 1) * conversations) / n) - first };
  });
}
