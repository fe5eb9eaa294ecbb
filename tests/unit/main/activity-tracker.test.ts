import { describe, expect, it, vi } from 'vitest';
import { ActivityTracker } from '../../../main/activity-tracker.js';
import { ManualClock } from '../../support/manual-clock.js';

const MIN = 60_000;

function tracker(timeouts: Record<string, number> = { starter: 15 * MIN }) {
  const clock = new ManualClock();
  const reportActivity = vi.fn(async () => ({}));
  const reportIdle = vi.fn(async () => ({}));
  const deadlines: (number | null)[] = [];
  const t = new ActivityTracker({ clock, reportActivity, reportIdle, timeoutFor: (b) => timeouts[b]!, onDeadline: (d) => deadlines.push(d) });
  return { t, clock, reportActivity, reportIdle, deadlines, t0: clock.now() };
}

describe('activity tracker', () => {
  it('has no deadline while the designer holds nothing, and reports nothing', () => {
    const { t, clock, reportActivity, reportIdle, deadlines } = tracker();
    t.activity();
    clock.advance(60 * MIN);
    expect(deadlines).toEqual([]);
    expect(reportActivity).not.toHaveBeenCalled();
    expect(reportIdle).not.toHaveBeenCalled();
  });

  it('starts the countdown at the takeover, with the bot timeout', () => {
    const { t, deadlines, t0 } = tracker();
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    expect(deadlines).toEqual([t0 + 15 * MIN]);
  });

  it('hands the conversations back when the timeout passes with no activity', () => {
    const { t, clock, reportIdle } = tracker();
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    clock.advance(15 * MIN - 1);
    expect(reportIdle).not.toHaveBeenCalled();
    clock.advance(1);
    expect(reportIdle).toHaveBeenCalledTimes(1);
    clock.advance(60 * MIN);
    expect(reportIdle).toHaveBeenCalledTimes(1);
  });

  it('moves the deadline with activity and reports it to the Platform, throttled', () => {
    const { t, clock, reportActivity, reportIdle, deadlines, t0 } = tracker();
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    clock.advance(10 * MIN);
    t.activity(); // first input after a quiet spell: reported at once
    expect(reportActivity).toHaveBeenCalledTimes(1);
    expect(deadlines.at(-1)).toBe(t0 + 25 * MIN);
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      t.activity(); // a burst of typing
    }
    expect(reportActivity).toHaveBeenCalledTimes(1);
    clock.advance(5000); // the report gap (15 s) ends: the latest input is reported once
    expect(reportActivity).toHaveBeenCalledTimes(2);
    expect(deadlines.at(-1)).toBe(t0 + 10 * MIN + 15_000 + 15 * MIN);
    clock.advance(15 * MIN - 1);
    expect(reportIdle).not.toHaveBeenCalled();
    clock.advance(1);
    expect(reportIdle).toHaveBeenCalledTimes(1);
  });

  it('reports more often for a short timeout so the countdown stays honest', () => {
    const { t, clock, reportActivity } = tracker({ starter: 5000 });
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    clock.advance(600);
    t.activity();
    clock.advance(300);
    t.activity();
    expect(reportActivity).toHaveBeenCalledTimes(1);
    clock.advance(200); // gap is a tenth of 5 s
    expect(reportActivity).toHaveBeenCalledTimes(2);
  });

  it('uses the shortest timeout of the bots whose conversations are held, and follows setting changes', () => {
    const timeouts = { starter: 15 * MIN, support: 5 * MIN };
    const { t, deadlines, t0 } = tracker(timeouts);
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }, { conversationId: 'c2', bot: 'support' }]);
    expect(deadlines.at(-1)).toBe(t0 + 5 * MIN);
    timeouts.support = 30 * MIN;
    t.refresh();
    expect(deadlines.at(-1)).toBe(t0 + 15 * MIN);
  });

  it('clears the deadline when the designer no longer holds anything', () => {
    const { t, clock, reportIdle, deadlines } = tracker();
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    t.setHeld([]);
    expect(deadlines.at(-1)).toBeNull();
    clock.advance(60 * MIN);
    expect(reportIdle).not.toHaveBeenCalled();
  });

  it('after a restart counts the deadline from when the Platform paused the conversation, not from the restart', () => {
    const { t, deadlines, t0 } = tracker({ starter: 5 * MIN });
    // Taken over 3 minutes before this Studio started; nothing reported since.
    t.setHeld([{ conversationId: 'c1', bot: 'starter', since: t0 - 3 * MIN }]);
    expect(deadlines.at(-1)).toBe(t0 + 2 * MIN);
  });

  it('after a restart counts from the last activity report of the previous run when that came later', () => {
    const { t, deadlines, t0 } = tracker({ starter: 5 * MIN });
    t.restoreLastReport(t0 - 1 * MIN);
    t.setHeld([{ conversationId: 'c1', bot: 'starter', since: t0 - 3 * MIN }]);
    expect(deadlines.at(-1)).toBe(t0 + 4 * MIN);
  });

  it('never shows more than the timeout when the Platform clock runs ahead of Studio', () => {
    const { t, deadlines, t0 } = tracker({ starter: 5 * MIN });
    t.setHeld([{ conversationId: 'c1', bot: 'starter', since: t0 + 1500 }]);
    expect(deadlines.at(-1)).toBe(t0 + 5 * MIN);
  });

  it('hands back at once what ran out while Studio was closed', () => {
    const { t, clock, reportIdle } = tracker({ starter: 5 * MIN });
    t.setHeld([{ conversationId: 'c1', bot: 'starter', since: clock.now() - 6 * MIN }]);
    clock.advance(0);
    expect(reportIdle).toHaveBeenCalledTimes(1);
  });
});
