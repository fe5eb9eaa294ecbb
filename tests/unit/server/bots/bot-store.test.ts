import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BOT_FILE_BYTES } from '../../../../server/bots/bot-file-formats.js';
import { BotStore } from '../../../../server/bots/bot-store.js';

let root: string;
let store: BotStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'store-'));
  store = new BotStore(join(root, 'bots'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const aiml = Buffer.from('<aiml version="2.0"><category><pattern>HI</pattern><template>Hello</template></category></aiml>');

describe('bot store', () => {
  it('creates a bot in the Pandorabots layout and lists its files', () => {
    store.create('mybot', { 'aiml/udc.aiml': aiml, 'system/mybot.properties': '[["name","My Bot"]]' });
    store.write('mybot', { kind: 'set', name: 'colors' }, Buffer.from('[["red"],["blue"]]'));
    expect(existsSync(join(root, 'bots', 'mybot', 'sets', 'colors.set'))).toBe(true);
    expect(store.list()).toEqual(['mybot']);
    expect(store.listFiles('mybot')).toEqual([
      { kind: 'file', name: 'udc' },
      { kind: 'set', name: 'colors' },
      { kind: 'properties', name: '' },
    ]);
    expect(store.read('mybot', { kind: 'file', name: 'udc' }).equals(aiml)).toBe(true);
  });

  it('refuses to create a bot twice', () => {
    store.create('mybot', {});
    expect(() => store.create('mybot', {})).toThrow(expect.objectContaining({ code: 'bot_exists' }));
  });

  it('deletes a bot at once, and completely once the removal settles', async () => {
    store.create('mybot', { 'aiml/udc.aiml': aiml });
    const removal = store.delete('mybot');
    expect(store.exists('mybot')).toBe(false);
    expect(store.list()).toEqual([]);
    await removal;
    expect(readdirSync(join(root, 'bots'))).toEqual([]);
    expect(() => store.delete('mybot')).toThrow(expect.objectContaining({ code: 'unknown_bot' }));
  });

  it('refuses a set that is not Pandorabots JSON and keeps the old file', () => {
    store.create('mybot', {});
    const ref = { kind: 'set', name: 'colors' } as const;
    store.write('mybot', ref, Buffer.from('[["red"]]'));
    expect(() => store.write('mybot', ref, Buffer.from('[["red"'))).toThrow(expect.objectContaining({ code: 'bad_file_content' }));
    expect(() => store.write('mybot', { kind: 'map', name: 'm' }, Buffer.from('[["k","v"],["fooz"]]'))).toThrow(/entry 2 of the map/);
    expect(store.read('mybot', ref).toString()).toBe('[["red"]]');
  });

  it('refuses a file over 2 MB', () => {
    store.create('mybot', {});
    expect(() => store.write('mybot', { kind: 'file', name: 'big' }, Buffer.alloc(MAX_BOT_FILE_BYTES + 1, 'a'))).toThrow(/2 MB/);
    expect(store.hasFile('mybot', { kind: 'file', name: 'big' })).toBe(false);
  });

  it('says which file is missing', () => {
    store.create('mybot', {});
    expect(() => store.read('mybot', { kind: 'file', name: 'nope' })).toThrow(expect.objectContaining({ code: 'file_not_found' }));
    expect(() => store.remove('mybot', { kind: 'map', name: 'nope' })).toThrow(/no file nope\.map/);
    expect(() => store.read('other', { kind: 'file', name: 'x' })).toThrow(expect.objectContaining({ code: 'unknown_bot' }));
  });

  it('ignores and clears away temp files and folders left by a crash, and ignores bot folders with invalid names', () => {
    store.create('mybot', { 'aiml/udc.aiml': aiml });
    writeFileSync(join(root, 'bots', 'mybot', 'aiml', '.tmp-udc.aiml.123'), 'half');
    mkdirSync(join(root, 'bots', '.trash-old-1234'));
    mkdirSync(join(root, 'bots', 'Not A Bot'));
    const reopened = new BotStore(join(root, 'bots'));
    expect(reopened.list()).toEqual(['mybot']);
    expect(reopened.listFiles('mybot')).toEqual([{ kind: 'file', name: 'udc' }]);
    expect(existsSync(join(root, 'bots', '.trash-old-1234'))).toBe(false);
    expect(readdirSync(join(root, 'bots', 'mybot', 'aiml'))).toEqual(['udc.aiml']);
  });

  it('never touches a path outside the bot folder, whatever the bot name', () => {
    expect(() => store.botDir('../etc')).toThrow(expect.objectContaining({ code: 'unknown_bot' }));
    expect(store.exists('..')).toBe(false);
  });
});
