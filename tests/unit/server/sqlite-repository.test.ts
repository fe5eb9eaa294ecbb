import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRepository } from '../../../server/storage/sqlite-repository.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('SQLite repository: transactions and group commit', () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lts-repo-'));
    dirs.push(dir);
    return join(dir, 'platform.sqlite');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('without group commit, a transaction is committed and its afterCommit work done when it returns', () => {
    const path = file();
    const repo = new SqliteRepository({ file: path });
    const done: string[] = [];
    repo.transaction(() => {
      repo.ensureBot('alpha');
      repo.afterCommit(() => done.push('published'));
      expect(done).toEqual([]);
    });
    expect(done).toEqual(['published']);
    const other = new SqliteRepository({ file: path });
    expect(other.botNames()).toEqual(['alpha']);
    other.close();
    repo.close();
  });

  it('with group commit, work waiting for the commit runs only once the turn’s batch is committed, visible to another connection', async () => {
    const path = file();
    const repo = new SqliteRepository({ file: path, groupCommit: true });
    const reader = new SqliteRepository({ file: path });
    const done: string[] = [];
    repo.transaction(() => {
      repo.appendEvent('alpha', 1, { type: 'bot.reloaded', bot: 'alpha', at: 1 });
      repo.afterCommit(() => done.push(`first, others see ${reader.lastEventId('alpha')}`));
    });
    repo.transaction(() => {
      repo.appendEvent('alpha', 2, { type: 'bot.reloaded', bot: 'alpha', at: 2 });
      repo.afterCommit(() => done.push(`second, others see ${reader.lastEventId('alpha')}`));
    });
    expect(done).toEqual([]);
    expect(reader.lastEventId('alpha')).toBe(0);
    await nextTurn();
    expect(done).toEqual(['first, others see 2', 'second, others see 2']);
    reader.close();
    repo.close();
  });

  it('a failing transaction inside a batch rolls back alone and its afterCommit work is dropped', async () => {
    const repo = new SqliteRepository({ file: file(), groupCommit: true });
    const done: string[] = [];
    repo.transaction(() => {
      repo.ensureBot('kept');
      repo.afterCommit(() => done.push('kept'));
    });
    expect(() =>
      repo.transaction(() => {
        repo.ensureBot('lost');
        repo.afterCommit(() => done.push('lost'));
        throw new Error('refused');
      }),
    ).toThrow('refused');
    await nextTurn();
    expect(repo.botNames()).toEqual(['kept']);
    expect(done).toEqual(['kept']);
    repo.close();
  });

  it('a durable transaction commits the open batch before it returns', () => {
    const path = file();
    const repo = new SqliteRepository({ file: path, groupCommit: true });
    const reader = new SqliteRepository({ file: path });
    repo.transaction(() => repo.ensureBot('early'));
    repo.transaction(() => repo.ensureBot('durable'), { durable: true });
    expect(reader.botNames()).toEqual(['durable', 'early']);
    reader.close();
    repo.close();
  });

  it('event ids per bot are gap-free, and pruning keeps the newest', () => {
    const repo = new SqliteRepository({ file: ':memory:' });
    for (let i = 1; i <= 10; i++) repo.appendEvent('alpha', i, { type: 'bot.reloaded', bot: 'alpha', at: i });
    repo.appendEvent('beta', 1, { type: 'bot.reloaded', bot: 'beta', at: 1 });
    expect(repo.eventsAfter('alpha', 7, 100).map((e) => e.id)).toEqual([8, 9, 10]);
    repo.pruneEvents('alpha', 4);
    expect(repo.oldestEventId('alpha')).toBe(7);
    expect(repo.lastEventId('alpha')).toBe(10);
    expect(repo.eventsAfter('beta', 0, 10).map((e) => e.id)).toEqual([1]);
    repo.close();
  });

  it('migrates a new file and reopens an existing one without losing data', () => {
    const path = file();
    const first = new SqliteRepository({ file: path });
    first.insertDesigner({ id: 'd1', name: 'Ada', tokenHash: 'h', createdAt: 1, lastActivityAt: null });
    first.close();
    const again = new SqliteRepository({ file: path });
    expect(again.designers().map((d) => d.name)).toEqual(['Ada']);
    again.close();
  });

  it('checkpoints the WAL on a worker thread, keeping it small with no checkpoint inside any commit', async () => {
    const walAfterWrites = async (backgroundCheckpointMs: number | undefined) => {
      const path = file();
      const repo = new SqliteRepository({ file: path, backgroundCheckpointMs });
      const big = 'x'.repeat(4000);
      for (let round = 0; round < 15; round++) {
        repo.transaction(() => {
          for (let i = 0; i < 50; i++) repo.setSettingsOverrides(`bot${round}x${i}`, { note: big });
        });
        await new Promise((r) => setTimeout(r, 60));
      }
      const size = statSync(`${path}-wal`).size;
      await repo.stopBackgroundWork();
      repo.close();
      return size;
    };
    // About 3 MB of pages are written: below SQLite's own 4 MB auto-checkpoint, so without the worker they all stay.
    expect(await walAfterWrites(undefined)).toBeGreaterThan(2_000_000);
    expect(await walAfterWrites(20)).toBeLessThan(1_500_000);
  });
});
