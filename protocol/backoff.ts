/**
 * How long to wait between reconnect attempts: exponential growth up to a cap. Pure, so the main process's Platform
 * link and the renderer's WebSocket transport share it. (The Chat Widget, resources/channels/widget.js, is a browser
 * script without a build step: it keeps its own copy.)
 */
export interface BackoffPolicy {
  /** The ceiling of the first wait. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniformly random wait between 0 and
 * the exponential ceiling. When a Platform restarts, every Studio connected to it reconnects; spreading them over
 * the whole window keeps them from arriving in lock-step waves.
 * `attempt` counts failures since the last good connection, from 0.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  // 2 ** 30 already dwarfs any cap: clamp the exponent so the ceiling never becomes Infinity.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
