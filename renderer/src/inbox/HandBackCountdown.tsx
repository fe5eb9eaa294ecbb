import { useNow, useStudio } from '../app/studio-context.js';
import { useDeadline } from '../data/hooks.js';
import { countdown } from './relative-time.js';

/** What the countdown shows `ms` before the deadline: never more than the bot's timeout (clocks and ticks drift). */
export function timeLeft(deadline: number, now: number, timeoutMs: number | undefined): number {
  const left = deadline - now;
  return timeoutMs === undefined ? left : Math.min(left, timeoutMs);
}

/**
 * While this designer holds a conversation: how long until inactivity hands it back to the bot. Main moves the
 * deadline whenever activity is reported, so this only counts down. `timeoutMs` is the bot's inactivity timeout.
 */
export function HandBackCountdown({ timeoutMs }: { timeoutMs?: number }) {
  const { clock } = useStudio();
  const deadline = useDeadline();
  // Re-render every second; the time itself is read now, not at the last tick, so a deadline that just arrived
  // is never measured against a clock reading up to a second old (which showed "5:01" for a 5-minute timeout).
  useNow(1_000);
  if (deadline === null) return null;
  const left = timeLeft(deadline, clock.now(), timeoutMs);
  return (
    <p className={`hand-back${left < 60_000 ? ' is-soon' : ''}`} role="timer" aria-live="off" aria-label="Inactivity countdown">
      {left > 0 ? (
        <>
          The bot takes over again in <strong>{countdown(left)}</strong> unless you are active.
        </>
      ) : (
        'Handing back to the bot…'
      )}
    </p>
  );
}
