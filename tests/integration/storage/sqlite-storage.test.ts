import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStorage } from '../../../server/storage/sqlite-storage.js';
import { describeStorageContract } from './storage-contract.js';

const dirs = new Map<SqliteStorage, string>();

describeStorageContract(
  'SQLite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lts-storage-'));
    const storage = new SqliteStorage({ file: join(dir, 'platform.sqlite') });
    dirs.set(storage, dir);
    return storage;
  },
  async (storage) => {
    await storage.close();
    const dir = dirs.get(storage as SqliteStorage);
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
);

describe('SQLite storage: group commit and the WAL', () => {
  const made: string[] = [];
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lts-storage-'));
    made.push(dir);
    return join(dir, 'platform.sqlite');
  };
  /** Another process's view: a plain connection of its own. */
  const otherConnection = (path: string) => new Database(path, { readonly: true });
  const botsSeenBy = (db: Database.Database) => (db.prepare('SELECT name FROM bots ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('commits the transactions of one turn together: another connection sees none of them before the turn ends', async () => {
    const path = file();
    const storage = new SqliteStorage({ file: path });
    const other = otherConnection(path);
    const seenInCallbacks: string[][] = [];
    const first = storage.transaction(async (tx) => {
      await tx.ensureBot('alpha');
      tx.afterCommit(() => seenInCallbacks.push(botsSeenBy(other)));
    });
    const second = storage.transaction(async (tx) => {
      await tx.ensureBot('beta');
      tx.afterCommit(() => seenInCallbacks.push(botsSeenBy(other)));
    });
    // Both transactions ran (their statements settle at once), but the batch waits for the end of the turn.
    await Promise.resolve();
    expect(botsSeenBy(other)).toEqual([]);
    await Promise.all([first, second]);
    expect(seenInCallbacks).toEqual([
      ['alpha', 'beta'],
      ['alpha', 'beta'],
    ]);
    other.close();
    await storage.close();
  });

  it('commits at once when a transaction asks to be durable, with the batch before it', async () => {
    const path = file();
    const storage = new SqliteStorage({ file: path });
    const other = otherConnection(path);
    void storage.transaction((tx) => tx.ensureBot('early'));
    let seenAtDurable: string[] = [];
    await storage.transaction(
      async (tx) => {
        await tx.ensureBot('durable');
        tx.afterCommit(() => (seenAtDurable = botsSeenBy(other)));
      },
      { durable: true },
    );
    expect(seenAtDurable).toEqual(['durable', 'early']);
    other.close();
    await storage.close();
  });

  it('keeps what was stored across a close and a reopen (migrations run once)', async () => {
    const path = file();
    const first = new SqliteStorage({ file: path });
    await first.transaction((tx) => tx.insertDesigner({ id: 'd1', name: 'Ada', tokenHash: 'h', createdAt: 1, lastActivityAt: null }));
    await first.close();
    const again = new SqliteStorage({ file: path });
    expect((await again.designers()).map((d) => d.name)).toEqual(['Ada']);
    await again.close();
  });

  it('refuses transactions after close with a clear error', async () => {
    const storage = new SqliteStorage({ file: file() });
    await storage.close();
    await expect(storage.transaction((tx) => tx.ensureBot('late'))).rejects.toThrow('the storage is closed');
    expect(storage.healthy).toBe(false);
  });

  it('clears every instance’s presence at once (the single-instance start)', async () => {
    const storage = new SqliteStorage({ file: file() });
    await storage.transaction(async (tx) => {
      await tx.insertConversation({ id: 'c1', bot: 'alpha', clientName: 'A', channel: 'widget', sessionKey: 's', startedAt: 1, lastActivityAt: 1, state: 'active', heldBy: null, pausedAt: null, pauseReason: null, pauseEpoch: 0, lastSeq: 0, lastMessage: null, fellBack: false, waitingSince: null, online: 0, readOnly: false });
      await tx.changePresence('c1', 'old-1', 1);
      await tx.changePresence('c1', 'old-2', 1);
    });
    expect(await storage.clearAllPresence()).toEqual(['c1']);
    expect((await storage.getConversation('c1'))?.online).toBe(0);
    await storage.close();
  });

  // What the checkpoint worker promises: (1) no commit ever checkpoints (the writer's own auto-checkpoint is off), and
  // (2) the worker does checkpoint, so the WAL is reused from its start instead of growing. Both are asserted on what
  // SQLite records, never on how much the worker managed to do in some fixed time (that depends on the machine's load).
  // The WAL index (the `-shm` file, https://sqlite.org/walformat.html section 2.5): the header's mxFrame (frames in
  // the WAL) at byte 16 and the checkpoint info's nBackfill (frames already copied into the database) at byte 96.
  const walFrames = (path: string) => readFileSync(`${path}-shm`).readUInt32LE(16);
  const walCheckpointedFrames = (path: string) => readFileSync(`${path}-shm`).readUInt32LE(96);
  const big = 'x'.repeat(4000);
  const writeRound = (storage: SqliteStorage, round: number) =>
    storage.transaction(async (tx) => {
      for (let i = 0; i < 50; i++) await tx.setSettingsOverrides(`bot${round}x${i}`, { note: big });
    });

  it("with the checkpoint worker, no commit checkpoints the WAL, even past SQLite's own 4 MB auto-checkpoint", async () => {
    const path = file();
    // The worker's first checkpoint is due in an hour: every page it could move is still in the WAL at the end.
    const storage = new SqliteStorage({ file: path, backgroundCheckpointMs: 3_600_000 });
    const before = statSync(path).size;
    for (let round = 0; round < 30; round++) await writeRound(storage, round);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(5_000_000);
    expect(walCheckpointedFrames(path)).toBe(0);
    expect(statSync(path).size).toBe(before);
    await storage.close();
  });

  it('the checkpoint worker copies the WAL into the database, so the next commit reuses the WAL from its start', async () => {
    const walAfterRounds = async (backgroundCheckpointMs: number | undefined) => {
      const path = file();
      const storage = new SqliteStorage({ file: path, backgroundCheckpointMs });
      for (let round = 0; round < 15; round++) {
        await writeRound(storage, round);
        // Barrier: the worker has checkpointed every frame of this round (PASSIVE does it all when no read is open).
        if (backgroundCheckpointMs) await vi.waitFor(() => expect(walCheckpointedFrames(path)).toBe(walFrames(path)), { timeout: 20_000, interval: 5 });
      }
      const size = statSync(`${path}-wal`).size;
      await storage.close();
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
