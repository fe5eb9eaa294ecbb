import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DomainEvent, EventEnvelope } from '../../../protocol/designer-wire.js';
import { EVENTS_CHANNEL, EventBridge } from '../../../server/cluster/event-bridge.js';
import { PostgresNotifications } from '../../../server/storage/postgres-notify.js';
import { openPostgresStorage, type PostgresStorage } from '../../../server/storage/postgres-storage.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';

/** Two instances on one PostgreSQL: each one's designers get every event of both, in id order, each once. */

const reloaded = (bot: string): DomainEvent => ({ type: 'bot.reloaded', bot, at: 1 });

describe.skipIf(!postgresInstalled.met)(needing('cluster event bridge', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  const instances: Array<{ storage: PostgresStorage; notifications: PostgresNotifications; bridge: EventBridge; hub: number[] }> = [];

  async function instance(url: string) {
    const storage = await openPostgresStorage(url, { log: () => {} });
    const notifications = await PostgresNotifications.open(url, { backoff: { baseMs: 50, capMs: 200 }, log: () => {} });
    const hub: number[] = [];
    const bridge = new EventBridge({
      storage,
      announcements: notifications,
      publish: (e) => hub.push(e.id),
      announce: (payload) => storage.transaction((tx) => notifications.notify(tx, EVENTS_CHANNEL, payload)),
      onError: () => undefined,
    });
    await bridge.start();
    const it = { storage, notifications, bridge, hub };
    instances.push(it);
    return it;
  }

  /** What the conversation service does: append in a transaction, hand the envelope to the bridge after the commit. */
  async function commit(on: { storage: PostgresStorage; bridge: EventBridge }, bot: string): Promise<EventEnvelope> {
    return on.storage.transaction(async (tx) => {
      const envelope = await tx.appendEvent(bot, 1, reloaded(bot));
      tx.afterCommit(() => on.bridge.local(envelope));
      return envelope;
    });
  }

  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });
  afterAll(async () => {
    for (const i of instances) {
      i.bridge.close();
      await i.notifications.close();
      await i.storage.close();
    }
    await server?.destroy();
  });

  it('events committed on both instances reach both hubs, in id order, each once', async () => {
    const url = await server.createDatabase();
    const [a, b] = [await instance(url), await instance(url)];
    const writes = [];
    for (let i = 0; i < 40; i++) writes.push(commit(i % 3 === 0 ? b : a, 'starter'));
    await Promise.all(writes);
    const all = Array.from({ length: 40 }, (_, i) => i + 1);
    await vi.waitFor(() => expect(a.hub).toEqual(all), { timeout: 20_000, interval: 20 });
    await vi.waitFor(() => expect(b.hub).toEqual(all), { timeout: 20_000, interval: 20 });
  });

  it('an instance whose LISTEN connection was lost catches up on what was committed meanwhile', async () => {
    const url = await server.createDatabase();
    const [a, b] = [await instance(url), await instance(url)];
    await commit(a, 'starter');
    await vi.waitFor(() => expect(b.hub).toEqual([1]), { timeout: 20_000, interval: 20 });
    // Cut every LISTEN connection (both instances'), as a network blip would; the storage pools stay up.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rowCount: cut } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`);
    await admin.end();
    expect(cut).toBe(2);
    // Committed while b's listener is down or reconnecting: its announcement is lost, the catch-up is not.
    await commit(a, 'starter');
    await commit(a, 'starter');
    await vi.waitFor(() => expect(b.hub).toEqual([1, 2, 3]), { timeout: 20_000, interval: 20 });
  });
});
