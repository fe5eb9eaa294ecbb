import { useEffect, useState } from 'react';
import { useStudio } from './studio-context.js';
import { throttle } from './throttle.js';

/** At most one report per this interval reaches main (which throttles again towards the Platform). */
export const ACTIVITY_REPORT_INTERVAL_MS = 5_000;

/**
 * One failed report can be a blip (the next one, seconds later, renews the lease just as well); this many in a row
 * means the lease is not being renewed, and the designer must hear that the hand-back timer may run out.
 */
export const FAILED_REPORTS_BEFORE_WARNING = 2;

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'input', 'wheel'] as const;

/**
 * The designer's input anywhere in the window renews the inactivity lease on what they hold. Window focus is
 * reported too: it decides whether main raises notifications for held conversations. Returns whether reports keep
 * failing (true after FAILED_REPORTS_BEFORE_WARNING failures in a row, false again after the next success).
 */
export function useActivityReports(): { reportsFailing: boolean } {
  const { client, clock } = useStudio();
  const [failuresInARow, setFailuresInARow] = useState(0);
  useEffect(() => {
    let live = true;
    const report = throttle(clock, ACTIVITY_REPORT_INTERVAL_MS, () => {
      client.invoke('activity.report', {}).then(
        // Main's own report to the Platform failing counts too: the lease is not renewed either way.
        (result) => live && setFailuresInARow((n) => (result.platformReportFailed ? n + 1 : 0)),
        () => live && setFailuresInARow((n) => n + 1),
      );
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
      live = false;
      report.cancel();
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onActivity, { capture: true });
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
    };
  }, [client, clock]);
  return { reportsFailing: failuresInARow >= FAILED_REPORTS_BEFORE_WARNING };
}
