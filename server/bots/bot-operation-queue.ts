/**
 * One management operation per bot at a time (verify, reload, delete), in call order: a delete never runs in the
 * middle of a compile of the same bot. Operations on different bots run side by side.
 */
export class BotOperationQueue {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(bot: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(bot) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(bot, settled);
    void settled.then(() => {
      if (this.queues.get(bot) === settled) this.queues.delete(bot);
    });
    return next;
  }

  /** Resolves when every queued operation has finished (successfully or not). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }
}
