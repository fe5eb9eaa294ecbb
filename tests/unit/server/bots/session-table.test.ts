import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileClientStates } from '../../../../server/bots/file-client-states.js';
import { SessionTable } from '../../../../server/bots/session-table.js';
import { ManualClock } from '../../../support/manual-clock.js';

/** A stand-in for the engine's Session: just predicates, enough to see what is kept and what is lost. */
interface FakeSession {
  clientKey: string;
  predicates: Record<string, string>;
}
const codec = {
  toJSON: (s: FakeSession) => s,
  fromJSON: (json: unknown) => json as FakeSession,
};
const make = (clientKey: string) => () => ({ clientKey, predicates: {} });

let dir: string;
let clock: ManualClock;
let table: SessionTable<FakeSession>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sessions-'));
  clock = new ManualClock();
  table = new SessionTable({ store: new FileClientStates(dir), clock, codec, idleMs: 30 * 60_000 });
});
afterEach(() => {
  table.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('session table', () => {
  it('keeps one session per bot and client', () => {
    const a = table.get('bot1', 'alice', false, make('alice'));
    a.predicates.name = 'Alice';
    expect(table.get('bot1', 'alice', false, make('alice')).predicates.name).toBe('Alice');
    expect(table.get('bot2', 'alice', false, make('alice')).predicates.name).toBeUndefined();
    expect(table.get('bot1', 'bob', false, make('bob')).predicates.name).toBeUndefined();
  });

  it('forgets an ordinary client after 30 idle minutes, but not before', () => {
    table.get('bot1', 'alice', false, make('alice')).predicates.name = 'Alice';
    clock.advance(29 * 60_000);
    expect(table.get('bot1', 'alice', false, make('alice')).predicates.name).toBe('Alice');
    clock.advance(30 * 60_000);
    expect(table.get('bot1', 'alice', false, make('alice')).predicates.name).toBeUndefined();
  });

  it('sweeps idle sessions out of memory on the clock', () => {
    table.get('bot1', 'alice', false, make('alice'));
    table.get('bot1', 'bob', false, make('bob'));
    expect(table.size).toBe(2);
    clock.advance(61 * 60_000);
    expect(table.size).toBe(0);
  });

  it('keeps a persistent client across idle time and a restart', async () => {
    table.get('bot1', 'aiaas-x-user-0000', true, make('a')).predicates.fruit = 'apple';
    await table.saved('bot1', 'aiaas-x-user-0000');
    clock.advance(24 * 3600_000);
    table.close();
    table = new SessionTable({ store: new FileClientStates(dir), clock, codec, idleMs: 30 * 60_000 });
    expect(table.get('bot1', 'aiaas-x-user-0000', true, make('a')).predicates.fruit).toBe('apple');
  });

  it('reset discards the predicates, also on disk', async () => {
    table.get('bot1', 'c', true, make('c')).predicates.fruit = 'apple';
    await table.saved('bot1', 'c');
    await table.reset('bot1', 'c');
    expect(table.get('bot1', 'c', true, make('c')).predicates.fruit).toBeUndefined();
  });

  it('a client key that looks like a path stays inside the sessions folder', async () => {
    table.get('bot1', '../../../etc/passwd', true, make('x')).predicates.a = 'b';
    await table.saved('bot1', '../../../etc/passwd');
    table.close();
    table = new SessionTable({ store: new FileClientStates(dir), clock, codec, idleMs: 30 * 60_000 });
    expect(table.get('bot1', '../../../etc/passwd', true, make('x')).predicates.a).toBe('b');
  });

  it('close stops the sweep timer', () => {
    table.close();
    expect(clock.pending).toBe(0);
  });
});
