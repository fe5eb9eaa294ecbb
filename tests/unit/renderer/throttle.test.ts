import { describe, expect, it } from 'vitest';
import { throttle } from '../../../renderer/src/app/throttle.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('activity throttle', () => {
  it('reports the first activity at once', () => {
    const clock = new ManualClock();
    let reports = 0;
    throttle(clock, 5_000, () => reports++).trigger();
    expect(reports).toBe(1);
  });

  it('reports a burst of input once now and once at the end of the interval', () => {
    const clock = new ManualClock();
    let reports = 0;
    const t = throttle(clock, 5_000, () => reports++);
    for (let i = 0; i < 50; i++) {
      t.trigger();
      clock.advance(50);
    }
    expect(reports).toBe(1);
    clock.advance(5_000);
    expect(reports).toBe(2);
  });

  it('sends at most one report per interval while typing goes on', () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const t = throttle(clock, 5_000, () => times.push(clock.now()));
    const start = clock.now();
    for (let i = 0; i < 200; i++) {
      t.trigger();
      clock.advance(100);
    }
    clock.advance(10_000);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    expect(times.length).toBe(5);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5_000);
    expect(times[0]).toBe(start);
  });

  it('reports again at once after a quiet interval', () => {
    const clock = new ManualClock();
    let reports = 0;
    const t = throttle(clock, 5_000, () => reports++);
    t.trigger();
    clock.advance(20_000);
    t.trigger();
    expect(reports).toBe(2);
  });

  it('drops a pending report when cancelled (the window closed)', () => {
    const clock = new ManualClock();
    let reports = 0;
    const t = throttle(clock, 5_000, () => reports++);
    t.trigger();
    t.trigger();
    t.cancel();
    clock.advance(10_000);
    expect(reports).toBe(1);
    expect(clock.pending).toBe(0);
  });
});
