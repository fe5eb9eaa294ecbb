import { describe, expect, it } from 'vitest';
import { Disposables } from '../../../server/disposables.js';

describe('Disposables', () => {
  it('closes the parts in reverse order of starting, waiting for each', async () => {
    const closed: string[] = [];
    const parts = new Disposables();
    parts.add('storage', () => void closed.push('storage'));
    parts.add('registry', async () => {
      await Promise.resolve();
      closed.push('registry');
    });
    parts.add('server', () => void closed.push('server'));
    await parts.dispose();
    expect(closed).toEqual(['server', 'registry', 'storage']);
  });

  it('keeps going when a part fails, and reports every failure with its name', async () => {
    const closed: string[] = [];
    const reported: string[] = [];
    const parts = new Disposables((name, error) => reported.push(`${name}: ${(error as Error).message}`));
    parts.add('storage', () => void closed.push('storage'));
    parts.add('registry', () => Promise.reject(new Error('registry stuck')));
    parts.add('gateway', () => void closed.push('gateway'));
    parts.add('server', () => {
      throw new Error('port busy');
    });

    const failure = await parts.dispose().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(closed).toEqual(['gateway', 'storage']);
    expect(reported).toEqual(['server: port busy', 'registry: registry stuck']);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).message).toBe('2 parts failed to close: server, registry');
    expect((failure as AggregateError).errors.map((e: Error) => e.message)).toEqual(['port busy', 'registry stuck']);
  });

  it('closes once when disposed twice', async () => {
    let closes = 0;
    const parts = new Disposables();
    parts.add('storage', () => void closes++);
    await Promise.all([parts.dispose(), parts.dispose()]);
    expect(closes).toBe(1);
  });
});
