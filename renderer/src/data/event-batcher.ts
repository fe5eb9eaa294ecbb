import type { Clock, TimerHandle } from '../../../protocol/clock.js';
import type { StudioEvent } from '../../../protocol/studio-api.js';

/** About one frame: a busy bot's events are applied together, at most this late. */
export const BATCH_WINDOW_MS = 16;

/** The events that come in floods (every message of every conversation); everything else is applied at once. */
const HOT = new Set<StudioEvent['type']>(['conversations.upsert', 'messages.appended']);

/**
 * Collects the hot events for up to one frame and hands them over together; any other event first flushes what
 * is waiting, so the order of events is kept.
 */
export function eventBatcher(clock: Clock, apply: (events: StudioEvent[]) => void) {
  let waiting: StudioEvent[] = [];
  let timer: TimerHandle | undefined;

  const flush = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    apply(batch);
  };

  return {
    push(event: StudioEvent) {
      if (!HOT.has(event.type)) {
        waiting.push(event);
        flush();
        return;
      }
      waiting.push(event);
      if (timer === undefined) timer = clock.setTimeout(flush, BATCH_WINDOW_MS);
    },
    flush,
    dispose() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      waiting = [];
    },
  };
}
