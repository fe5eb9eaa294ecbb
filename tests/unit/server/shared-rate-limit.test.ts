import { describe, expect, it } from 'vitest';
import { SharedRateLimit } from '../../../server/limits/shared-rate-limit.js';
import { ManualClock } from '../../support/manual-clock.js';

/**
 * A stand-in for the database's bucket rows that answers the reservation statement as PostgreSQL would (no refill: the
 * clock does not move), and counts the statements, so the tests see what reaches the database.
 */
function fakePool(burst: number) {
  const tokens = new Map<string, number>();
  const pool = {
    statements: 0,
    fail: false,
    query: (_sql: string, params: unknown[]) => {
      pool.statements++;
      if (pool.fail) return Promise.reject(new Error('connection refused'));
      const [keys, wants] = [params[3] as string[], params[4] as number[]];
      const rows = keys.map((key, i) => {
        const available = tokens.get(key) ?? burst;
        const granted = Math.min(wants[i]!, Math.floor(available));
        tokens.set(key, available - granted);
        return { key, granted, tokens: available - granted };
      });
      return Promise.resolve({ rows, rowCount: rows.length });
    },
  };
  return pool;
}

const shape = { burst: 10, perSecond: 2 };

describe('shared rate limit (reservations from a bucket shared by a cluster)', () => {
  it('hands out reserved tokens from memory: 10 messages cost 5 statements with a batch of 2, the refusals after them none', async () => {
    const clock = new ManualClock();
    const pool = fakePool(10);
    const limit = new SharedRateLimit({ pool, scope: 's', shape, clock, refillTime: clock, batch: 2 });
    const decisions = [];
    for (let i = 0; i < 10; i++) decisions.push(await limit.take('session'));
    expect(decisions.every((d) => d.ok)).toBe(true);
    expect(pool.statements).toBe(5);
    expect(await limit.take('session')).toEqual({ ok: false, retryAfterMs: 500 });
    const statements = pool.statements;
    for (let i = 0; i < 100; i++) expect((await limit.take('session')).ok).toBe(false);
    expect(pool.statements).toBe(statements);
  });

  it('two instances on one bucket share its allowance: together they get the burst, not twice it', async () => {
    const clock = new ManualClock();
    const pool = fakePool(10);
    const [a, b] = [0, 1].map(() => new SharedRateLimit({ pool, scope: 's', shape, clock, refillTime: clock, batch: 3 }));
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a! : b!).take('flooder')));
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
  });

  it('messages asked for together go in one statement, whatever their keys', async () => {
    const clock = new ManualClock();
    const pool = fakePool(10);
    const limit = new SharedRateLimit({ pool, scope: 's', shape, clock, refillTime: clock, batch: 2 });
    const decisions = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => limit.take(k)));
    expect(decisions.every((d) => d.ok)).toBe(true);
    expect(pool.statements).toBe(1);
  });

  it('reserved tokens not used within the hold time are dropped, never spent late', async () => {
    const clock = new ManualClock();
    const pool = fakePool(10);
    const limit = new SharedRateLimit({ pool, scope: 's', shape, clock, refillTime: clock, batch: 5, holdMs: 1000 });
    expect((await limit.take('k')).ok).toBe(true);
    expect(pool.statements).toBe(1);
    clock.advance(1000);
    expect((await limit.take('k')).ok).toBe(true);
    expect(pool.statements).toBe(2);
  });

  it('while the database fails, the limit is counted by this instance alone rather than not at all', async () => {
    const clock = new ManualClock();
    const pool = fakePool(10);
    pool.fail = true;
    const errors: unknown[] = [];
    const limit = new SharedRateLimit({ pool, scope: 's', shape, clock, refillTime: clock, onError: (e) => errors.push(e) });
    const decisions = [];
    for (let i = 0; i < 12; i++) decisions.push(await limit.take('k'));
    expect(decisions.map((d) => d.ok)).toEqual([...Array(10).fill(true), false, false]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
