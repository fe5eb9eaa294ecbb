import { describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock.js';

describe('ManualClock', () => {
  it('fires timers in time order only when advanced past them', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(101);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(200);
  });

  it('fires a timer scheduled by another timer within the same advance, and not a cancelled one', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const cancelled = clock.setTimeout(() => fired.push(-1), 50);
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 10), 20);
    clock.clearTimeout(cancelled);
    clock.advance(1000);
    expect(fired).toEqual([30]);
    expect(clock.pending).toBe(0);
  });
});
