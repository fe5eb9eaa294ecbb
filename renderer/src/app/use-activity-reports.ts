import { useEffect } from 'react';
import { useStudio } from './studio-context.js';
import { throttle } from './throttle.js';

/** At most one report per this interval reaches main (which throttles again towards the Platform). */
export const ACTIVITY_REPORT_INTERVAL_MS = 5_000;

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'input', 'wheel'] as const;

/**
 * The designer's input anywhere in the window renews the inactivity lease on what they hold. Window focus is
 * reported too: it decides whether main raises notifications for held conversations.
 */
export function useActivityReports() {
  const { client, clock } = useStudio();
  useEffect(() => {
    const report = throttle(clock, ACTIVITY_REPORT_INTERVAL_MS, () => {
      client.invoke('activity.report', {}).catch(() => undefined);
    });
    const onActivity = () => report.trigger();
    const onFocus = () => void client.invoke('app.focus', { focused: true }).catch(() => undefined);
    const onBlur = () => void client.invoke('app.focus', { focused: false }).catch(() => undefined);
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, onActivity, { capture: true, passive: true });
    window.addEventListener('focus', onFocus);
    window.addEventListener('blur', onBlur);
    if (document.hasFocus()) onFocus();
    else onBlur();
    return () => {
      report.cancel();
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onActivity, { capture: true });
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
    };
  }, [client, clock]);
}
