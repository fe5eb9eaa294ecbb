import { describe, expect, it } from 'vitest';
import { AppError } from '../../../protocol/errors.js';
import { DatabaseHealth, databaseUnreachable, explainRefusal, isConnectionError } from '../../../server/storage/postgres-health.js';
import { ManualClock } from '../../support/manual-clock.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionError', () => {
  it('counts the network, connection exceptions and a server going away as unreachable', () => {
    for (const e of [withCode('ECONNREFUSED'), withCode('08006'), withCode('08001'), withCode('57P01'), withCode('57P03'), new Error('Connection terminated unexpectedly')]) {
      expect(isConnectionError(e), String(e)).toBe(true);
    }
    expect(isConnectionError(new AggregateError([withCode('ECONNREFUSED')], ''))).toBe(true);
  });

  it('does not count a wrong query or a constraint as unreachable', () => {
    for (const e of [withCode('23505'), withCode('42P01'), withCode('40001'), new Error('syntax'), 'text']) expect(isConnectionError(e)).toBe(false);
  });
});

describe('databaseUnreachable', () => {
  it('names the database and the cause, and says nothing was stored', () => {
    const error = databaseUnreachable('db.example:5432', withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'));
    expect(error.code).toBe('database_unreachable');
    expect(error.message).toBe('The database (PostgreSQL at db.example:5432) cannot be reached: connect ECONNREFUSED 10.0.0.1:5432. Nothing was stored; try again shortly.');
  });
});

describe('explainRefusal', () => {
  it('turns PostgreSQL refusing a NUL character into a clear invalid-input error', () => {
    const error = explainRefusal(withCode('22021', 'invalid byte sequence for encoding "UTF8": 0x00'));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid');
  });

  it('leaves other errors as they are', () => {
    const other = withCode('23505');
    expect(explainRefusal(other)).toBe(other);
  });
});

describe('DatabaseHealth', () => {
  it('probes every second while the database is lost, and is healthy again once a probe succeeds', async () => {
    const clock = new ManualClock();
    let reachable = false;
    let probes = 0;
    const changes: boolean[] = [];
    const health = new DatabaseHealth(
      async () => {
        probes++;
        if (!reachable) throw withCode('ECONNREFUSED');
      },
      { clock, onChange: (healthy) => changes.push(healthy) },
    );
    health.lost(withCode('ECONNREFUSED'));
    expect(health.healthy).toBe(false);
    clock.advance(999);
    expect(probes).toBe(0);
    clock.advance(1);
    expect(probes).toBe(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(health.healthy).toBe(false);
    reachable = true;
    clock.advance(1000);
    expect(probes).toBe(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(health.healthy).toBe(true);
    expect(changes).toEqual([false, true]);
    // Healthy: no more probes.
    clock.advance(10_000);
    expect(probes).toBe(2);
    health.close();
  });

  it('is healthy again at once when any query succeeds, and stops probing', () => {
    const clock = new ManualClock();
    let probes = 0;
    const health = new DatabaseHealth(async () => void probes++, { clock });
    health.lost(new Error('Connection terminated'));
    health.reached();
    expect(health.healthy).toBe(true);
    clock.advance(5_000);
    expect(probes).toBe(0);
  });
});
