import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLearnedStore } from '../../../../server/training/sqlite-learned-store.js';
import { describeLearnedStoreContract } from '../../../support/learned-store-contract.js';

/** The LearnedStore contract (tests/support/learned-store-contract.ts) on SQLite: a fresh `learned.db` for every test. */
describeLearnedStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lts-learned-'));
  const file = join(dir, 'learned.db');
  const store = new SqliteLearnedStore(file);
  const others: SqliteLearnedStore[] = [];
  return {
    store,
    another: async () => {
      const other = new SqliteLearnedStore(file);
      others.push(other);
      return other;
    },
    cleanup: async () => {
      for (const other of others) await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
