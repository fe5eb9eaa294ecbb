import { describe, expect, it, vi } from 'vitest';
import { ActivityTracker } from '../../../main/activity-tracker.js';
import { AppError } from '../../../protocol/errors.js';
import { ManualClock } from '../../support/manual-clock.js';
import { memoryLog } from '../../support/memory-log.js';

const MIN = 60_000;

/** Failures are logged as pino `{ err }` objects, so the stack and the cause reach the log file (never `String(err)`). */
describe('logged failures keep the error', () => {
  it('an activity report the Platform refused is logged with its stack and code', async () => {
    const { logger, lines } = memoryLog();
    const clock = new ManualClock();
    const refusal = new AppError('timeout', 'The Platform did not answer in time. (designer.activity)');
    const t = new ActivityTracker({
      clock,
      reportActivity: () => Promise.reject(refusal),
      reportIdle: async () => ({}),
      timeoutFor: () => 15 * MIN,
      onDeadline: () => undefined,
      logger,
    });
    t.setHeld([{ conversationId: 'c1', bot: 'starter' }]);
    t.activity();
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({ msg: 'activity report failed', err: { type: 'AppError', code: 'timeout', message: refusal.message } });
    expect(lines[0]!.err!.stack).toBe(refusal.stack);
    t.close();
  });
});
