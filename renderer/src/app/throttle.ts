import type { Clock, TimerHandle } from '../../../protocol/clock.js';

/**
 * Calls `fn` at most once per `intervalMs`: at once for the first trigger (leading edge), and once more at the
 * end of the interval when triggers came in meanwhile (trailing edge), so the last bit of activity is never lost.
 */
export function throttle(clock: Clock, intervalMs: number, fn: () => void): { trigger(): void; cancel(): void } {
  let lastRun = -Infinity;
  let timer: TimerHandle | undefined;
  let pending = false;

  const run = () => {
    lastRun = clock.now();
    pending = false;
    fn();
  };

  const onTimer = () => {
    timer = undefined;
    if (pending) {
      run();
      timer = clock.setTimeout(onTimer, intervalMs);
    }
  };

  return {
    trigger() {
      if (timer === undefined && clock.now() - lastRun >= intervalMs) {
        run();
        timer = clock.setTimeout(onTimer, intervalMs);
        return;
      }
      pending = true;
      if (timer === undefined) timer = clock.setTimeout(onTimer, Math.max(0, lastRun + intervalMs - clock.now()));
    },
    cancel() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      pending = false;
    },
  };
}
