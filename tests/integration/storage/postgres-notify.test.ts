import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_NOTIFY_PAYLOAD_BYTES, PostgresNotifications } from '../../../server/storage/postgres-notify.js';
import { openPostgresStorage, type PostgresStorage } from '../../../server/storage/postgres-storage.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';

/** LISTEN/NOTIFY between instances: sent at commit only, and a listener that survives the server restarting. */

describe.skipIf(!postgresInstalled.met)(needing('PostgreSQL notifications', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  let url: string;
  let storage: PostgresStorage;
  let notifications: PostgresNotifications;
  const received: string[] = [];
  let reconnects = 0;

  const arrived = (payload: string) => vi.waitFor(() => expect(received).toContain(payload), { timeout: 20_000, interval: 20 });

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    url = await server.createDatabase();
    storage = await openPostgresStorage(url, { log: () => {} });
    // Retry quickly: the test waits for the reconnect.
    notifications = await PostgresNotifications.open(url, { backoff: { baseMs: 50, capMs: 200 }, log: () => {} });
    await notifications.listen('bot_events', (payload) => received.push(payload));
    notifications.onReconnect(() => reconnects++);
  });

  afterAll(async () => {
    await notifications?.close();
    await storage?.close();
    await server?.destroy();
  });

  it('delivers a notification when its transaction commits, not before', async () => {
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let queued!: () => void;
    const notified = new Promise<void>((resolve) => {
      queued = resolve;
    });
    const open = storage.transaction(async (tx) => {
      await notifications.notify(tx, 'bot_events', 'inside');
      queued();
      await committing;
    });
    await notified;
    // A notification committed later by another transaction arrives while the first is still open: the first's has not.
    await storage.transaction((tx) => notifications.notify(tx, 'bot_events', 'barrier-1'));
    await arrived('barrier-1');
    expect(received).not.toContain('inside');
    commit();
    await open;
    await arrived('inside');
  });

  it('never delivers the notification of a transaction that rolled back', async () => {
    await expect(
      storage.transaction(async (tx) => {
        await notifications.notify(tx, 'bot_events', 'rolled-back');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await storage.transaction((tx) => notifications.notify(tx, 'bot_events', 'barrier-2'));
    // Notifications of one channel arrive in commit order: had the first been sent, it would be here by now.
    await arrived('barrier-2');
    expect(received).not.toContain('rolled-back');
  });

  it('announces committed events itself when asked to: the newest id per bot, at the commit, never for a rollback', async () => {
    const announcing = await openPostgresStorage(url, { log: () => {}, announceEventsOn: { channel: 'bot_events', from: 'instance-1' } });
    try {
      const event = (n: number) => ({ type: 'bot.reloaded' as const, bot: 'b', at: n });
      // Appended at commit (one statement per bot) and appended now (announced by a statement before the COMMIT).
      await announcing.transaction(async (tx) => {
        await tx.appendEventAtCommit('alpha', 1, event(1));
        await tx.appendEventAtCommit('alpha', 2, event(2));
        await tx.appendEvent('beta', 3, event(3));
      });
      await expect(
        announcing.transaction(async (tx) => {
          await tx.appendEventAtCommit('alpha', 4, event(4));
          await tx.appendEvent('gamma', 5, event(5));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      // An event appended now and then at commit, for one bot: one announcement, with the newest id.
      await announcing.transaction(async (tx) => {
        await tx.appendEvent('beta', 6, event(6));
        await tx.appendEventAtCommit('beta', 7, event(7));
      });
      await storage.transaction((tx) => notifications.notify(tx, 'bot_events', 'barrier-events'));
      await arrived('barrier-events');
      const announced = received.filter((p) => p.startsWith('{')).map((p) => JSON.parse(p) as { bot: string; id: number; from: string });
      expect(announced).toEqual([
        { bot: 'alpha', id: 2, from: 'instance-1' },
        { bot: 'beta', id: 1, from: 'instance-1' },
        { bot: 'beta', id: 3, from: 'instance-1' },
      ]);
    } finally {
      await announcing.close();
    }
  });

  it('refuses a payload PostgreSQL would refuse, saying what to send instead', async () => {
    const tooBig = 'x'.repeat(MAX_NOTIFY_PAYLOAD_BYTES + 1);
    await expect(storage.transaction((tx) => notifications.notify(tx, 'bot_events', tooBig))).rejects.toThrow(/at most 7999 bytes .*send an id/);
  });

  it('reconnects by itself after the server restarts, says so, and listens again', async () => {
    expect(notifications.connected).toBe(true);
    const before = reconnects;
    await server.stopServer();
    await vi.waitFor(() => expect(notifications.connected).toBe(false), { timeout: 20_000, interval: 20 });
    // A channel added while the connection is down is listened on once it is back.
    const late: string[] = [];
    await notifications.listen('added_while_down', (payload) => late.push(payload));
    await server.startServer();
    await vi.waitFor(() => expect(reconnects).toBe(before + 1), { timeout: 20_000, interval: 50 });
    expect(notifications.connected).toBe(true);
    await vi.waitFor(() => expect(storage.healthy).toBe(true), { timeout: 20_000, interval: 50 });
    await storage.transaction((tx) => notifications.notify(tx, 'bot_events', 'after-restart'));
    await arrived('after-restart');
    await storage.transaction((tx) => notifications.notify(tx, 'added_while_down', 'late'));
    await vi.waitFor(() => expect(late).toEqual(['late']), { timeout: 20_000, interval: 20 });
  });

  it('rejects at start with one line naming host:port when the database cannot be reached', async () => {
    await expect(PostgresNotifications.open('postgres://postgres@127.0.0.1:1/nothing')).rejects.toThrow(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
