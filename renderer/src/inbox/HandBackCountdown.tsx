import { useNow } from '../app/studio-context.js';
import { useDeadline } from '../data/hooks.js';
import { countdown } from './relative-time.js';

/**
 * While this designer holds a conversation: how long until inactivity hands it back to the bot. Main moves the
 * deadline whenever activity is reported, so this only counts down.
 */
export function HandBackCountdown() {
  const deadline = useDeadline();
  const now = useNow(1_000);
  if (deadline === null) return null;
  const left = deadline - now;
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
