import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteRepository } from '../../../server/storage/sqlite-repository.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

// The WAL index (the `-shm` file, https://sqlite.org/walformat.html section 2.5): the header's mxFrame (frames in
// the WAL) at byte 16 and the checkpoint info's nBackfill (frames already copied into the database) at byte 96.
// Read without a connection, so reading it cannot itself checkpoint. Native byte order: little-endian here.
const walFrames = (path: string) => readFileSync(`${path}-shm`).readUInt32LE(16);
const walCheckpointedFrames = (path: string) => readFileSync(`${path}-shm`).readUInt32LE(96);

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

  // What the worker promises: (1) no commit ever checkpoints (the writer's own auto-checkpoint is off), and (2) the
  // worker does checkpoint, so the WAL is reused from its start instead of growing. Both are asserted on what SQLite
  // records, never on how much the worker managed to do in some fixed time (that depends on the machine's load).
  const big = 'x'.repeat(4000);
  const writeRound = (repo: SqliteRepository, round: number) =>
    repo.transaction(() => {
      for (let i = 0; i < 50; i++) repo.setSettingsOverrides(`bot${round}x${i}`, { note: big });
    });

  it('with the checkpoint worker, no commit checkpoints the WAL, even past SQLite\'s own 4 MB auto-checkpoint', async () => {
    const path = file();
    // The worker's first checkpoint is due in an hour: every page it could move is still in the WAL at the end.
    const repo = new SqliteRepository({ file: path, backgroundCheckpointMs: 3_600_000 });
    const before = statSync(path).size;
    for (let round = 0; round < 30; round++) writeRound(repo, round);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(5_000_000);
    expect(walCheckpointedFrames(path)).toBe(0);
    expect(statSync(path).size).toBe(before);
    await repo.stopBackgroundWork();
    repo.close();
  });

  it('the checkpoint worker copies the WAL into the database, so the next commit reuses the WAL from its start', async () => {
    const walAfterRounds = async (backgroundCheckpointMs: number | undefined) => {
      const path = file();
      const repo = new SqliteRepository({ file: path, backgroundCheckpointMs });
      for (let round = 0; round < 15; round++) {
        writeRound(repo, round);
        // Barrier: the worker has checkpointed every frame of this round (no readers here, so PASSIVE does it all).
        if (backgroundCheckpointMs) await vi.waitFor(() => expect(walCheckpointedFrames(path)).toBe(walFrames(path)), { timeout: 20_000, interval: 5 });
      }
      const size = statSync(`${path}-wal`).size;
      await repo.stopBackgroundWork();
      repo.close();
      return size;
    };
    // 15 rounds of ~200 KB: below SQLite's own 4 MB auto-checkpoint, so without the worker every round stays.
    const without = await walAfterRounds(undefined);
    const withWorker = await walAfterRounds(20);
    expect(without).toBeGreaterThan(2_000_000);
    // With it, each round starts the WAL over: it never holds much more than one round.
    expect(withWorker).toBeLessThan(without / 5);
  });
});
