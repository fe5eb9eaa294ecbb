import { afterAll, beforeAll, describe } from 'vitest';
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
