/**
 * One run at a time per key; asked again while it runs, it runs once more when done, however often it was asked, so a
 * change announced during a run is never missed and a burst of announcements costs two runs, not one each. A run that
 * throws is reported to `onError` and ends the round (the next request starts afresh).
 */
export class RerunPerKey {
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly onError: (error: unknown, key: string) => void,
    /** Checked before each rerun: false stops the round (shutdown). */
    private readonly goOn: () => boolean = () => true,
  ) {}

  /** Runs `work(key)` now, or once more after the run in progress; resolves when the round is over. */
  request(key: string): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await this.work(key);
        } while (state.again && this.goOn());
      } catch (error) {
        this.onError(error, key);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, state);
    return state.done;
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every round running now is over. */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
