import type { Clock, TimerHandle } from '../../protocol/clock.js';

/**
 * A clock that moves only when the test says so. `advance(ms)` fires every timer due in that span in time
 * order (timers scheduled by a firing timer fire too if they fall inside the span).
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  /** Pending timers, for assertions such as "nothing is scheduled any more". */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let dueId: number | undefined;
      let due: { at: number; fn: () => void } | undefined;
      for (const [id, t] of this.timers) if (t.at <= end && (!due || t.at < due.at)) [dueId, due] = [id, t];
      if (!due || dueId === undefined) break;
      this.timers.delete(dueId);
      this.current = due.at;
      due.fn();
    }
    this.current = end;
  }
}
