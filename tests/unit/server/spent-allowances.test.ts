import { describe, expect, it } from 'vitest';
import { MemoryRateLimit } from '../../../server/limits/memory-rate-limit.js';
import { SpentAllowances } from '../../../server/limits/spent-allowances.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('spent allowances (refusing as an empty bucket would, without asking it)', () => {
  it('says an address is refused exactly while its bucket would refuse it', () => {
    const clock = new ManualClock();
    const bucket = new MemoryRateLimit(clock, { burst: 2, perSecond: 0.5 });
    const spent = new SpentAllowances(10);
    bucket.take('a');
    bucket.take('a');
    const refused = bucket.take('a');
    if (refused.ok) throw new Error('the third take should be refused');
    spent.note('a', clock.now() + refused.retryAfterMs);
    expect(spent.remainingMs('a', clock.now())).toBe(2_000);
    expect(spent.remainingMs('b', clock.now())).toBe(0);
    clock.advance(1_999);
    expect(spent.remainingMs('a', clock.now())).toBe(1);
    expect(bucket.take('a').ok).toBe(false);
    clock.advance(1);
    expect(spent.remainingMs('a', clock.now())).toBe(0);
    expect(bucket.take('a').ok).toBe(true);
  });

  it('keeps at most maxKeys addresses, forgetting the oldest first', () => {
    const spent = new SpentAllowances(2);
    spent.note('a', 1_000);
    spent.note('b', 1_000);
    spent.note('a', 2_000);
    spent.note('c', 1_000);
    expect(spent.remainingMs('b', 0)).toBe(0);
    expect(spent.remainingMs('a', 0)).toBe(2_000);
    expect(spent.remainingMs('c', 0)).toBe(1_000);
  });
});
