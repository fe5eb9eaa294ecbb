import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLearnedStore } from '../../../server/training/postgres-learned-store.js';
import { needing } from '../../support/requirements.js';
import { describeLearnedStoreContract } from '../../support/learned-store-contract.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';

/** The LearnedStore contract (tests/support/learned-store-contract.ts) on PostgreSQL: a fresh database for every test. */
describe.skipIf(!postgresInstalled.met)(needing('PostgreSQL', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('the database lost and back: a commit meanwhile is refused (nothing half-written), and the store works again by itself', async () => {
    const store = await PostgresLearnedStore.open(await server.createDatabase(), { max: 2 });
    try {
      await store.commit('starter', { watermark: 1, watermarkFrom: null });
      await server.stopServer();
      await expect(store.commit('starter', { watermark: 2, watermarkFrom: 1 })).rejects.toThrow();
      await server.startServer();
      let watermark: number | undefined;
      for (let attempt = 0; attempt < 50 && watermark === undefined; attempt++) {
        watermark = await store.watermark('starter').catch(() => undefined);
        if (watermark === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(watermark).toBe(1);
      await store.commit('starter', { watermark: 2, watermarkFrom: 1 });
      expect(await store.watermark('starter')).toBe(2);
    } finally {
      await store.close();
    }
  }, 60_000);

  describeLearnedStoreContract('PostgreSQL', async () => {
    const url = await server.createDatabase();
    const store = await PostgresLearnedStore.open(url);
    const others: PostgresLearnedStore[] = [];
    return {
      store,
      another: async () => {
        const other = await PostgresLearnedStore.open(url);
        others.push(other);
        return other;
      },
      cleanup: async () => {
        for (const other of others) await other.close().catch(() => undefined);
        await store.close();
      },
    };
  });
});
