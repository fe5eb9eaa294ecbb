import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStorage } from '../../../server/storage/postgres-storage.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';
import { describeStorageContract } from './storage-contract.js';

/** The backend-neutral contract (storage-contract.ts) on PostgreSQL: a fresh database for every test. */
describe.skipIf(!postgresInstalled.met)(needing('PostgreSQL', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  describeStorageContract('PostgreSQL', async () => openPostgresStorage(await server.createDatabase(), { log: () => {} }));
});
