import { describe, expect, it } from 'vitest';
import { StorageClientStates } from '../../../../server/bots/storage-client-states.js';
import type { StorageTx } from '../../../../server/storage/storage.js';

/** Just enough of Storage: transactions that record their writes, and commit or fail. */
function fakeStorage(kind: 'sqlite' | 'postgres', fail = false) {
  const committed: Array<Array<[string, string, string]>> = [];
  const storage = {
    kind,
    loadClientState: (bot: string, clientKey: string) => Promise.resolve(committed.flat().findLast((w) => w[0] === bot && w[1] === clientKey)?.[2]),
    transaction: async <T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> => {
      const writes: Array<[string, string, string]> = [];
      const tx = { saveClientState: (bot: string, clientKey: string, state: string) => (writes.push([bot, clientKey, state]), Promise.resolve()) };
      const result = await fn(tx as unknown as StorageTx);
      if (fail) throw new Error('connection lost');
      committed.push(writes);
      return result;
    },
  };
  return { storage, committed };
}

describe('client states in the Platform storage', () => {
  it('saves of one turn share one transaction, and a client saved twice is written once with its latest state', async () => {
    const { storage, committed } = fakeStorage('sqlite');
    const states = new StorageClientStates(storage);
    await Promise.all([states.save('bot', 'c1', 'one', 1), states.save('bot', 'c2', 'x', 1), states.save('bot', 'c1', 'two', 2)]);
    expect(committed).toEqual([[['bot', 'c1', 'two'], ['bot', 'c2', 'x']]]);
    expect(await states.load('bot', 'c1')).toBe('two');
  });

  it('a failed commit rejects every save of that turn, and the next turn starts a new transaction', async () => {
    const failing = new StorageClientStates(fakeStorage('postgres', true).storage);
    await expect(failing.save('bot', 'c1', 'one', 1)).rejects.toThrow(/connection lost/);
    const { storage, committed } = fakeStorage('postgres');
    const states = new StorageClientStates(storage);
    await states.save('bot', 'c1', 'one', 1);
    await states.save('bot', 'c1', 'two', 2);
    expect(committed).toHaveLength(2);
  });

  it('only PostgreSQL is shared between instances', () => {
    expect(new StorageClientStates(fakeStorage('postgres').storage).shared).toBe(true);
    expect(new StorageClientStates(fakeStorage('sqlite').storage).shared).toBe(false);
  });
});
