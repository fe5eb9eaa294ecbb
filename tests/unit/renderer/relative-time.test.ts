import { describe, expect, it } from 'vitest';
import { countdown, relativeTime } from '../../../renderer/src/inbox/relative-time.js';

const now = new Date(2026, 10, 25, 15, 30, 0).getTime();
const ago = (ms: number) => now - ms;

describe('relative time of the last activity', () => {
  it('says "now" for the last 45 seconds', () => {
    expect(relativeTime(ago(0), now)).toBe('now');
    expect(relativeTime(ago(44_000), now)).toBe('now');
    expect(relativeTime(now + 3_000, now)).toBe('now');
  });

  it('counts minutes, then hours', () => {
    expect(relativeTime(ago(50_000), now)).toBe('1 min');
    expect(relativeTime(ago(5 * 60_000), now)).toBe('5 min');
    expect(relativeTime(ago(59 * 60_000), now)).toBe('59 min');
    expect(relativeTime(ago(2 * 3600_000), now)).toBe('2 h');
    expect(relativeTime(ago(23 * 3600_000), now)).toBe('23 h');
  });

  it('says "yesterday", then the weekday, then the date', () => {
    expect(relativeTime(new Date(2026, 10, 24, 9, 0).getTime(), now)).toBe('yesterday');
    expect(relativeTime(new Date(2026, 10, 21, 9, 0).getTime(), now)).toBe('Sat');
    expect(relativeTime(new Date(2026, 9, 2, 9, 0).getTime(), now)).toBe('2 Oct');
    expect(relativeTime(new Date(2025, 9, 2, 9, 0).getTime(), now)).toBe('2 Oct 2025');
  });

  it('changes as the clock moves (the list ticks)', () => {
    const at = ago(0);
    expect(relativeTime(at, now)).toBe('now');
    expect(relativeTime(at, now + 3 * 60_000)).toBe('3 min');
  });
});

describe('hand-back countdown', () => {
  it('shows minutes and seconds, rounding up so it never shows 0:00 early', () => {
    expect(countdown(15 * 60_000)).toBe('15:00');
    expect(countdown(59_001)).toBe('1:00');
    expect(countdown(1_000)).toBe('0:01');
    expect(countdown(0)).toBe('0:00');
    expect(countdown(-5)).toBe('0:00');
    expect(countdown(3_723_000)).toBe('1:02:03');
  });
});
