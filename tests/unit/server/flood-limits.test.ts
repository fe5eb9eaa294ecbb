import { describe, expect, it } from 'vitest';
import { ChatFloodGuard, type ChatFloodLimits } from '../../../server/limits/chat-flood-guard.js';
import { MemoryRateLimit } from '../../../server/limits/memory-rate-limit.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('memory rate limit (token buckets that outlive sockets)', () => {
  it('allows the burst per key, then refuses with how long to wait', () => {
    const clock = new ManualClock();
    const limit = new MemoryRateLimit(clock, { burst: 3, perSecond: 2 });
    expect([limit.take('a'), limit.take('a'), limit.take('a')].every((d) => d.ok)).toBe(true);
    expect(limit.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
    expect(limit.take('b').ok).toBe(true);
    clock.advance(500);
    expect(limit.take('a').ok).toBe(true);
    expect(limit.take('a').ok).toBe(false);
  });

  it('forgets a bucket only once it has been idle long enough to be full again', () => {
    const clock = new ManualClock();
    const limit = new MemoryRateLimit(clock, { burst: 4, perSecond: 2 });
    for (let i = 0; i < 4; i++) limit.take('spent');
    clock.advance(1999);
    limit.take('other');
    expect(limit.size).toBe(2);
    // 'spent' holds 3.998 tokens now: had it been forgotten, a fifth message would pass.
    expect([limit.take('spent'), limit.take('spent'), limit.take('spent'), limit.take('spent')].map((d) => d.ok)).toEqual([true, true, true, false]);
    clock.advance(2000);
    limit.take('third');
    expect(limit.size).toBe(1);
  });

  it('keeps at most maxKeys buckets however many keys an attacker makes up', () => {
    const clock = new ManualClock();
    const limit = new MemoryRateLimit(clock, { burst: 10, perSecond: 1 }, 1000);
    for (let i = 0; i < 100_000; i++) limit.take(`session-${i}`);
    expect(limit.size).toBe(1000);
  });
});

const limits: ChatFloodLimits = {
  session: { burst: 10, perSecond: 2 },
  address: { burst: 25, perSecond: 5 },
  socketsPerSession: 3,
  sessionHellos: { burst: 1000, perSecond: 1000 },
  maxTrackedSessions: 1000,
};

describe('chat flood guard', async () => {
  it('a session keeps its allowance across sockets: closing and reopening does not refill it', async () => {
    const clock = new ManualClock();
    const guard = new ChatFloodGuard(clock, limits);
    let stored = 0;
    for (let reconnect = 0; reconnect < 100; reconnect++) {
      const channel = await guard.openChannel('starter\u0000s1');
      if (!channel.ok) throw new Error('refused');
      for (let i = 0; i < 10; i++) if ((await guard.admitMessage('starter\u0000s1', '10.0.0.1')).ok) stored++;
      channel.release();
    }
    expect(stored).toBe(10);
    const refused = await guard.admitMessage('starter\u0000s1', '10.0.0.1');
    expect(refused).toMatchObject({ ok: false, scope: 'session', retryAfterMs: 500, message: expect.stringContaining('too fast') });
  });

  it('caps open sockets per session and frees a place when one closes', async () => {
    const guard = new ChatFloodGuard(new ManualClock(), limits);
    const open = [await guard.openChannel('s'), await guard.openChannel('s'), await guard.openChannel('s')];
    expect(open.every((c) => c.ok)).toBe(true);
    const fourth = await guard.openChannel('s');
    expect(fourth).toMatchObject({ ok: false, scope: 'sockets', message: expect.stringContaining('3 windows') });
    expect((await guard.openChannel('another session')).ok).toBe(true);
    const first = open[0]!;
    if (first.ok) {
      first.release();
      first.release(); // twice is once
    }
    expect((await guard.openChannel('s')).ok).toBe(true);
    expect((await guard.openChannel('s')).ok).toBe(false);
  });

  it('one address making up many sessions is held by the address limit (what it can make the bot compute)', async () => {
    const clock = new ManualClock();
    const guard = new ChatFloodGuard(clock, limits);
    let accepted = 0;
    for (let s = 0; s < 100; s++) if ((await guard.admitMessage(`session-${s}`, '10.0.0.9')).ok) accepted++;
    expect(accepted).toBe(25);
    expect(await guard.admitMessage('fresh', '10.0.0.9')).toMatchObject({ ok: false, scope: 'address' });
    // Another address is not slowed by it.
    expect((await guard.admitMessage('neighbour', '10.0.0.10')).ok).toBe(true);
    clock.advance(1000);
    expect(await Promise.all([1, 2, 3, 4, 5, 6].map(async (s) => (await guard.admitMessage(`later-${s}`, '10.0.0.9')).ok))).toEqual([true, true, true, true, true, false]);
  });

  it('a session that reconnects in a loop is turned away after its hello allowance, however its sockets close', async () => {
    const clock = new ManualClock();
    const guard = new ChatFloodGuard(clock, { ...limits, sessionHellos: { burst: 4, perSecond: 0.5 } });
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      const c = await guard.openChannel('s');
      if (c.ok) c.release();
      outcomes.push(c.ok ? 'welcome' : c.scope);
    }
    expect(outcomes).toEqual(['welcome', 'welcome', 'welcome', 'welcome', 'reconnects', 'reconnects']);
    expect(await guard.openChannel('s')).toMatchObject({ ok: false, retryAfterMs: 2000, message: expect.stringContaining('reconnected too often') });
    expect((await guard.openChannel('another')).ok).toBe(true);
    clock.advance(2000);
    expect((await guard.openChannel('s')).ok).toBe(true);
  });

  it('forgets the socket count of a session once its last socket closes (memory bounded by open sockets)', async () => {
    const guard = new ChatFloodGuard(new ManualClock(), limits);
    const channels = await Promise.all(Array.from({ length: 50 }, (_, i) => guard.openChannel(`s${i}`)));
    expect(guard.openSessions).toBe(50);
    for (const c of channels) if (c.ok) c.release();
    expect(guard.openSessions).toBe(0);
  });
});
