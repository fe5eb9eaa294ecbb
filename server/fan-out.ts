/**
 * Sends one piece of news to every subscriber, in subscription order. A subscriber that throws cannot keep the
 * news from the others: its error goes to `onError`, and the loop goes on. The one fan-out loop of the Platform
 * (the event hub's committed events, the bot registry's bot changes).
 */
export class FanOut<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  constructor(private readonly onError: (error: unknown, ...args: Args) => void) {}

  /** Adds a subscriber; the function returned removes it. */
  subscribe(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(...args: Args): void {
    for (const listener of this.listeners) {
      try {
        listener(...args);
      } catch (error) {
        this.onError(error, ...args);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
