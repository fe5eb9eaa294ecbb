import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceHeartbeat } from '../../../server/cluster/instance-heartbeat.js';
import { openPostgresStorage, type PostgresStorage } from '../../../server/storage/postgres-storage.js';
import { newConversationRow, type ConversationRow } from '../../../server/storage/rows.js';
import { ManualClock } from '../../support/manual-clock.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';

/** Presence per instance with a heartbeat: a dead instance's users go offline, reported by exactly one live instance. */

const conversation = (id: string): ConversationRow =>
  newConversationRow({ id, bot: 'demo', clientName: `Rusty ${id}`, channel: 'widget', sessionKey: `session-${id}`, startedAt: 1_000 });

describe.skipIf(!postgresInstalled.met)(needing('cluster heartbeat', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  let storage: PostgresStorage;
  let pool: pg.Pool;
  const reports: Array<{ dead: string; offline: string[] }> = [];
  const errors: unknown[] = [];

  const instance = (instanceId: string) =>
    new InstanceHeartbeat({
      instanceId,
      pool,
      storage,
      clock: new ManualClock(),
      onOffline: (offline, dead) => (reports.push({ dead, offline }), Promise.resolve()),
      onError: (error) => errors.push(error),
    });
  /** The instance's last beat was this long ago, by the database's clock: it missed its beats. */
  const silence = (instanceId: string, ms: number) => pool.query('UPDATE instances SET heartbeat_at = heartbeat_at - $2 WHERE id = $1', [instanceId, ms]);
  const online = async (id: string) => (await storage.getConversation(id))!.online;

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    const url = await server.createDatabase();
    storage = await openPostgresStorage(url, { log: () => {} });
    pool = new pg.Pool({ connectionString: url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await storage?.close();
    await server?.destroy();
  });

  it('an instance that missed three beats is swept once, by one of the live instances, and only its users go offline', async () => {
    const [a, b, dying] = [instance('a'), instance('b'), instance('dying')];
    await Promise.all([a.start(), b.start(), dying.start()]);
    await storage.transaction(async (tx) => {
      for (const id of ['on-dying', 'on-a', 'on-both']) await tx.insertConversation(conversation(id));
      await tx.changePresence('on-dying', 'dying', 1);
      await tx.changePresence('on-a', 'a', 1);
      await tx.changePresence('on-both', 'a', 1);
      await tx.changePresence('on-both', 'dying', 1);
    });

    // A beat and a half missed: not dead yet (the margin is for a slow, loaded machine).
    await silence('dying', 3_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(reports).toEqual([]);

    await silence('dying', 3_500);
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect(reports).toEqual([{ dead: 'dying', offline: ['on-dying'] }]);
    expect([await online('on-dying'), await online('on-a'), await online('on-both')]).toEqual([0, 1, 1]);
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM instances ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(errors).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a live instance keeps its users online however long it runs, and a graceful stop takes them offline at once', async () => {
    const c = instance('c');
    await c.start();
    await storage.transaction(async (tx) => {
      await tx.insertConversation(conversation('on-c'));
      await tx.changePresence('on-c', 'c', 1);
    });
    for (let i = 0; i < 3; i++) {
      await silence('c', 2_000);
      await c.tick();
    }
    expect(await instance('sweeper').sweep()).toEqual([]);
    expect(await online('on-c')).toBe(1);
    expect(await c.stop()).toEqual(['on-c']);
    expect(await online('on-c')).toBe(0);
  });
});
