import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientStateStore } from '../../../../server/bots/client-state-store.js';
import { type ManagedBotRegistry, openBotRegistry } from '../../../../server/bots/registry.js';
import { ManualClock } from '../../../support/manual-clock.js';

/**
 * One store shared by two registries in separate data directories: two Platform instances on one database. Saves can
 * be held (a slow commit) or made to fail (the database lost).
 */
class SharedStore implements ClientStateStore {
  readonly shared = true;
  readonly rows = new Map<string, string>();
  saves = 0;
  hold: Promise<void> | undefined;
  failing = false;

  load(bot: string, clientKey: string): Promise<string | undefined> {
    if (this.failing) return Promise.reject(new Error('database unreachable'));
    return Promise.resolve(this.rows.get(`${bot}/${clientKey}`));
  }

  async save(bot: string, clientKey: string, state: string): Promise<void> {
    if (this.failing) throw new Error('database unreachable');
    await this.hold;
    this.saves++;
    this.rows.set(`${bot}/${clientKey}`, state);
  }
}

const logger = pino({ level: 'silent' });
const aiml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<aiml version="2.0">
<category><pattern>XFRUIT *</pattern><template>Fruit is <set name="fruit"><star/></set>.</template></category>
<category><pattern>GET XFRUIT</pattern><template>The fruit is <get name="fruit"/>.</template></category>
<category><pattern>XLEARN *</pattern><template><learn><category><pattern>XSECRET</pattern><template><eval><star/></eval></template></category></learn>Learned.</template></category>
</aiml>
`);

let dirs: string[];
let store: SharedStore;
let clock: ManualClock;
let a: ManagedBotRegistry;
let b: ManagedBotRegistry;

async function instance(): Promise<ManagedBotRegistry> {
  const dataDir = mkdtempSync(join(tmpdir(), 'instance-'));
  dirs.push(dataDir);
  const registry = await openBotRegistry({ dataDir, clock, logger, clientStates: store });
  registry.createBot('testbot');
  registry.writeFile('testbot', { kind: 'file', name: 'main' }, aiml);
  expect((await registry.verify('testbot')).errors).toEqual([]);
  return registry;
}

beforeEach(async () => {
  dirs = [];
  store = new SharedStore();
  clock = new ManualClock();
  a = await instance();
  b = await instance();
});
afterEach(async () => {
  await a.close();
  await b.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('AIML client state across Platform instances', () => {
  it('a user who moves to another instance keeps their predicates and what they taught the bot', async () => {
    await a.answer('testbot', 'conversation-1', 'xfruit plum');
    await a.answer('testbot', 'conversation-1', 'xlearn open sesame');
    expect((await b.answer('testbot', 'conversation-1', 'get xfruit')).text).toBe('The fruit is plum.');
    expect((await b.answer('testbot', 'conversation-1', 'xsecret')).text).toBe('open sesame');
  });

  it('coming back to the first instance, the user gets what they said on the second, not the stale cached state', async () => {
    await a.answer('testbot', 'c', 'xfruit plum');
    await b.answer('testbot', 'c', 'xfruit fig');
    expect((await a.answer('testbot', 'c', 'get xfruit')).text).toBe('The fruit is fig.');
  });

  it('the answer resolves only once its state is saved, so a reply is never stored ahead of its state', async () => {
    let release!: () => void;
    store.hold = new Promise<void>((r) => (release = r));
    let resolved = false;
    const answered = a.answer('testbot', 'c', 'xfruit plum').then((r) => ((resolved = true), r));
    // The state save is waiting on the held store, so the answer must still be pending after the store's other work ran.
    await Promise.resolve();
    await new Promise<void>((r) => setImmediate(r));
    expect(resolved).toBe(false);
    release();
    expect((await answered).text).toBe('Fruit is plum.');
    expect(store.saves).toBe(1);
  });

  it('when the store cannot be read or written the answer fails instead of replying from a blank state', async () => {
    store.failing = true;
    await expect(a.answer('testbot', 'c', 'xfruit plum')).rejects.toThrow(/database unreachable/);
  });

  it('a reset on one instance clears the client on the other, even with its predicates cached there', async () => {
    await a.answer('testbot', 'c', 'xfruit plum');
    await b.answer('testbot', 'c', 'get xfruit');
    await a.resetSession('testbot', 'c');
    expect((await b.answer('testbot', 'c', 'get xfruit')).text).toBe('The fruit is unknown.');
  });

  it('a saved state that cannot be read starts the client afresh instead of failing every reply', async () => {
    store.rows.set('testbot/c', '{"rev":3,"savedAt":1,"clientKey":"c","session":{"version":99}}');
    expect((await a.answer('testbot', 'c', 'get xfruit')).text).toBe('The fruit is unknown.');
    await a.answer('testbot', 'c', 'xfruit kiwi');
    expect((await b.answer('testbot', 'c', 'get xfruit')).text).toBe('The fruit is kiwi.');
  });
});
