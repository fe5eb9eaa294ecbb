import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotChange, type ManagedBotRegistry, openBotRegistry } from '../../../../server/bots/registry.js';
import { ManualClock } from '../../../support/manual-clock.js';

const logger = pino({ level: 'silent' });
let dataDir: string;
let clock: ManualClock;
let registry: ManagedBotRegistry;

const aimlFile = (...categories: Array<[string, string]>) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n${categories
      .map(([pattern, template]) => `<category><pattern>${pattern}</pattern><template>${template}</template></category>`)
      .join('\n')}\n</aiml>\n`,
  );
const file = (name: string) => ({ kind: 'file', name }) as const;

async function open(seed = false): Promise<ManagedBotRegistry> {
  registry = await openBotRegistry({ dataDir, clock, logger, seedStarterBot: seed });
  return registry;
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'registry-'));
  clock = new ManualClock();
});
afterEach(async () => {
  await registry?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A bot with one answer, compiled. */
async function liveBot(name = 'testbot'): Promise<void> {
  registry.createBot(name);
  registry.writeFile(name, file('main'), aimlFile(['XTEST', 'Version one.'], ['XFRUIT *', 'Fruit is <set name="fruit"><star/></set>.'], ['GET XFRUIT', 'The fruit is <get name="fruit"/>.']));
  const result = await registry.verify(name);
  expect(result.errors).toEqual([]);
}

describe('bot registry', () => {
  it('seeds the starter bot on first run and it answers a greeting and admits what it does not know', async () => {
    await open(true);
    expect(registry.list()).toEqual(['starter']);
    expect(existsSync(join(dataDir, 'bots', 'starter', 'aiml', 'starter.aiml'))).toBe(true);
    const hello = registry.respond('starter', 'user1', 'Hello!');
    expect(hello.text).toMatch(/Starter/);
    expect(hello.match[0]).toMatchObject({ defaultCategory: false });
    const unknown = registry.respond('starter', 'user1', 'What is the capital of Peru?');
    expect(unknown.text).toMatch(/not (know|learned)/);
    expect(unknown.match[0]!.defaultCategory).toBe(true);
  });

  it('does not seed the starter bot again once the data folder exists (a deleted starter stays deleted)', async () => {
    await open(true);
    await registry.deleteBot('starter');
    await registry.close();
    await open(true);
    expect(registry.allBots()).toEqual([]);
  });

  it('a new bot cannot talk until it is verified', async () => {
    await open();
    registry.createBot('testbot');
    expect(registry.has('testbot')).toBe(false);
    expect(() => registry.respond('testbot', 'c', 'hi')).toThrow(expect.objectContaining({ code: 'unknown_bot' }));
    expect((await registry.verify('testbot')).ok).toBe(true);
    expect(registry.respond('testbot', 'c', 'anything').text).toMatch(/not learned/);
  });

  it('a broken upload never takes the running bot down, and verify reports the error with file and line', async () => {
    await open();
    await liveBot();
    registry.writeFile('testbot', file('broken'), Buffer.from('<aiml version="2.0">\n<category><pattern>X\n<template>t</template></category>\n</aiml>'));
    expect(registry.respond('testbot', 'c', 'xtest').text).toBe('Version one.');
    const result = await registry.verify('testbot');
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ file: expect.stringContaining('broken.aiml'), line: expect.any(Number) });
    expect(result.errors[0]!.line).toBeGreaterThan(0);
    expect(registry.respond('testbot', 'c', 'xtest').text).toBe('Version one.');
    expect(registry.status('testbot')).toMatchObject({ live: true, dirty: true });
  });

  it('the last good version also survives a restart after a broken upload', async () => {
    await open();
    await liveBot();
    registry.writeFile('testbot', file('main'), Buffer.from('<aiml><category><pattern>XTEST</pattern>'));
    await registry.close();
    await open();
    expect(registry.respond('testbot', 'c', 'xtest').text).toBe('Version one.');
    expect(registry.status('testbot').dirty).toBe(true);
  });

  it('a successful verify swaps the live version at once and keeps every client predicate', async () => {
    await open();
    await liveBot();
    const changes: Array<[string, BotChange]> = [];
    registry.onChange((bot, change) => changes.push([bot, change]));
    expect(registry.respond('testbot', 'alice', 'xfruit apple').text).toBe('Fruit is apple.');
    registry.writeFile('testbot', file('main'), aimlFile(['XTEST', 'Version two.'], ['GET XFRUIT', 'Your fruit: <get name="fruit"/>.']));
    expect(registry.respond('testbot', 'alice', 'xtest').text).toBe('Version one.');
    expect((await registry.verify('testbot')).ok).toBe(true);
    expect(registry.respond('testbot', 'alice', 'xtest').text).toBe('Version two.');
    expect(registry.respond('testbot', 'alice', 'get xfruit').text).toBe('Your fruit: apple.');
    expect(changes).toEqual([['testbot', 'reloaded']]);
  });

  it('talk refuses an uncompiled change unless recent is set, as Pandorabots answers 412', async () => {
    await open();
    await liveBot();
    registry.writeFile('testbot', file('extra'), aimlFile(['NEW', 'new']));
    expect(() => registry.talk('testbot', 'c', 'xtest')).toThrow(/not compiled yet/);
    expect(registry.talk('testbot', 'c', 'xtest', { recent: true }).answer.text).toBe('Version one.');
  });

  it('a file written while a verify runs leaves the bot marked uncompiled, and the next verify takes it in', async () => {
    await open();
    await liveBot();
    let settled = false;
    const verifying = registry.verify('testbot').finally(() => (settled = true));
    // Let the verify start copying and compiling, then change the source under it.
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    registry.writeFile('testbot', file('third'), aimlFile(['THIRD', 'three']));
    expect((await verifying).ok).toBe(true);
    // Whether or not the copy caught the new file, the bot cannot claim to run its latest files.
    expect(registry.status('testbot').dirty).toBe(true);
    expect(() => registry.talk('testbot', 'c', 'third')).toThrow(/not compiled yet/);
    expect((await registry.verify('testbot')).ok).toBe(true);
    expect(registry.status('testbot').dirty).toBe(false);
    expect(registry.respond('testbot', 'c', 'third').text).toBe('three');
  });

  it('reports created and deleted to listeners', async () => {
    await open();
    const changes: Array<[string, BotChange]> = [];
    registry.onChange((bot, change) => changes.push([bot, change]));
    await liveBot();
    await registry.deleteBot('testbot');
    expect(changes).toEqual([
      ['testbot', 'created'],
      ['testbot', 'deleted'],
    ]);
    expect(registry.list()).toEqual([]);
    expect(existsSync(join(dataDir, 'bots', 'testbot'))).toBe(false);
  });

  it('ordinary clients are forgotten after 30 idle minutes; persistent ones keep their predicates across restarts', async () => {
    await open();
    await liveBot();
    registry.respond('testbot', 'visitor', 'xfruit pear');
    registry.respond('testbot', 'member', 'xfruit plum', { persist: true });
    clock.advance(31 * 60_000);
    expect(registry.respond('testbot', 'visitor', 'get xfruit').text).toBe('The fruit is unknown.');
    await registry.close();
    await open();
    expect(registry.respond('testbot', 'member', 'get xfruit', { persist: true }).text).toBe('The fruit is plum.');
  });

  it('resetSession forgets a client', async () => {
    await open();
    await liveBot();
    registry.respond('testbot', 'c', 'xfruit fig', { persist: true });
    await registry.resetSession('testbot', 'c');
    expect(registry.respond('testbot', 'c', 'get xfruit', { persist: true }).text).toBe('The fruit is unknown.');
  });

  it('one bot asks another on the same Platform with sraix', async () => {
    await open();
    await liveBot('helper');
    registry.createBot('asker');
    registry.writeFile('asker', file('main'), aimlFile(['ASK *', 'Helper says: <sraix bot="helper"><star/></sraix>']));
    expect((await registry.verify('asker')).ok).toBe(true);
    expect(registry.respond('asker', 'c', 'ask xtest').text).toBe('Helper says: Version one.');
  });

  it('categories learned with learnf survive a new verify and a restart', async () => {
    await open();
    registry.createBot('learner');
    registry.writeFile(
      'learner',
      file('main'),
      aimlFile(['REMEMBER *', '<learnf><category><pattern>WHAT IS <eval><star/></eval></pattern><template>I was taught.</template></category></learnf>Noted.']),
    );
    expect((await registry.verify('learner')).ok).toBe(true);
    expect(registry.respond('learner', 'c', 'remember zorp').text).toBe('Noted.');
    expect(registry.respond('learner', 'other', 'what is zorp').text).toBe('I was taught.');
    registry.writeFile('learner', file('more'), aimlFile(['HI', 'Hi.']));
    expect((await registry.verify('learner')).ok).toBe(true);
    expect(registry.respond('learner', 'c', 'what is zorp').text).toBe('I was taught.');
    expect(registry.listFiles('learner')).toContainEqual({ kind: 'file', name: 'pand_learn' });
    await registry.close();
    await open();
    expect(registry.respond('learner', 'c', 'what is zorp').text).toBe('I was taught.');
  });

  it('what the live version learns with learnf while a new version compiles is kept for the next verify', async () => {
    await open();
    registry.createBot('learner');
    registry.writeFile(
      'learner',
      file('main'),
      aimlFile(['REMEMBER *', '<learnf><category><pattern>WHAT IS <eval><star/></eval></pattern><template>I was taught.</template></category></learnf>Noted.']),
    );
    expect((await registry.verify('learner')).ok).toBe(true);
    let settled = false;
    const verifying = registry.verify('learner').finally(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    // The old version still answers during the compile, and learns.
    expect(registry.respond('learner', 'c', 'remember blick').text).toBe('Noted.');
    expect((await verifying).ok).toBe(true);
    // The new version was copied before that: it is marked uncompiled, and the learned category is in its files.
    expect(registry.status('learner').dirty).toBe(true);
    expect(registry.readFile('learner', file('pand_learn')).toString()).toContain('BLICK');
    expect((await registry.verify('learner')).ok).toBe(true);
    expect(registry.respond('learner', 'other', 'what is blick').text).toBe('I was taught.');
  });

  it('compiles a bot folder copied in by hand on the next start', async () => {
    mkdirSync(join(dataDir, 'bots', 'handmade', 'aiml'), { recursive: true });
    writeFileSync(join(dataDir, 'bots', 'handmade', 'aiml', 'a.aiml'), aimlFile(['HELLO', 'Made by hand.']));
    await open();
    expect(registry.respond('handmade', 'c', 'hello').text).toBe('Made by hand.');
    expect(JSON.parse(readFileSync(join(dataDir, 'compiled', 'handmade', 'state.json'), 'utf8'))).toMatchObject({ version: 1, dirty: false });
  });

  it('runs a hand-copied bot with broken categories on what compiles, marked uncompiled so verify lists the errors', async () => {
    mkdirSync(join(dataDir, 'bots', 'rough', 'aiml'), { recursive: true });
    writeFileSync(join(dataDir, 'bots', 'rough', 'aiml', 'good.aiml'), aimlFile(['HELLO', 'Still here.']));
    writeFileSync(join(dataDir, 'bots', 'rough', 'aiml', 'bad.aiml'), '<aiml version="2.0"><category><pattern>X</pattern>');
    await open();
    expect(registry.respond('rough', 'c', 'hello').text).toBe('Still here.');
    expect(registry.status('rough')).toMatchObject({ live: true, dirty: true });
    const result = await registry.verify('rough');
    expect(result.ok).toBe(false);
    expect(result.errors[0]!.file).toContain('bad.aiml');
    // An upload-time verify is strict: the broken file never replaces what runs.
    expect(registry.respond('rough', 'c', 'hello').text).toBe('Still here.');
  });
});
