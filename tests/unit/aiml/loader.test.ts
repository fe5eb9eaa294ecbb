import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileBot, loadBotDirectory } from '../../../aiml/index.js';
import { aiml, cat, chat } from './support.js';

const LEARNF = cat('LEARN * IS *', '<learnf><category><pattern><eval><uppercase><star/></uppercase></eval></pattern><template><eval><star index="2"/></eval></template></category></learnf>ok');

describe('store file formats', () => {
  it('reads Pandorabots JSON sets, maps, substitutions, properties and pdefaults', () => {
    const { say } = chat({
      'aiml/t.aiml': aiml(cat('<set>color</set>', '<map name="colormap"><star/></map> <bot name="name"/> <get name="env"/>') + cat('WANNA', 'normalised')),
      'sets/color.set': '[["Air", "Force", "blue"], ["red"]]',
      'maps/colormap.map': '[["air force blue", "sky"], ["red", "fire"]]',
      'substitutions/normal.substitution': '[[" want to ", " wanna "]]',
      'system/bot.properties': '[["name", "Rosie"]]',
      'system/bot.pdefaults': '[["env", "browser"]]',
    });
    expect(say('air force blue')).toBe('sky Rosie browser');
    expect(say('want to')).toBe('normalised');
  });

  it('reads the classic text formats: a phrase a line, key:value, "from","to"', () => {
    const { say } = chat({
      'aiml/t.aiml': aiml(cat('<set>color</set>', '<map name="colormap"><star/></map> <bot name="name"/> <get name="env"/>') + cat('WANNA', 'normalised')),
      'sets/color.set': 'Air Force blue\nred\n',
      'maps/colormap.map': 'air force blue:sky\nred:fire\n',
      'substitutions/normal.substitution': '" want to "," wanna "\n',
      'system/bot.properties': 'name:Rosie\n',
      'system/bot.pdefaults': 'env:browser\n',
    });
    expect(say('red')).toBe('fire Rosie browser');
    expect(say('want to')).toBe('normalised');
  });

  it('reports a bad store row with its line and still loads the other rows', () => {
    const { bot, diagnostics } = compileBot({ 'aiml/t.aiml': aiml(cat('<set>color</set>', 'yes')), 'sets/color.set': '[\n["red"],\n[42],\n["blue"]\n]' });
    expect(diagnostics).toEqual([{ file: 'sets/color.set', line: 3, column: 1, message: 'a set row must be a string or an array of words', severity: 'error' }]);
    expect(bot.respond(bot.createSession('c'), 'blue').text).toBe('yes');
  });

  it('honours the encoding of an AIML file given as bytes (ISO-8859-1 and UTF-8)', () => {
    const latin1 = Uint8Array.from(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><aiml><category><pattern>CAFE</pattern><template>caf\u00e9</template></category></aiml>', 'latin1'));
    const utf8 = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><aiml><category><pattern>TEA</pattern><template>th\u00e9</template></category></aiml>');
    const { bot, diagnostics } = compileBot({ 'aiml/a.aiml': latin1, 'aiml/b.aiml': utf8 });
    expect(diagnostics).toEqual([]);
    const s = bot.createSession('c');
    expect(bot.respond(s, 'cafe').text).toBe('café');
    expect(bot.respond(s, 'tea').text).toBe('thé');
  });

  it('reads bytes that are not valid UTF-8 as Windows-1252 and warns', () => {
    const bytes = Uint8Array.from([...Buffer.from('<aiml><category><pattern>X</pattern><template>na'), 0xef, 0x76, ...Buffer.from('e</template></category></aiml>')]);
    const { bot, diagnostics } = compileBot({ 'aiml/a.aiml': bytes });
    expect(diagnostics[0]).toMatchObject({ file: 'aiml/a.aiml', severity: 'warning', message: expect.stringMatching(/not valid UTF-8/) });
    expect(bot.respond(bot.createSession('c'), 'x').text).toBe('naïve');
  });
});

describe('loadBotDirectory and learnf', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aiml-loader-'));
    for (const sub of ['aiml', 'sets', 'system']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'aiml', 'main.aiml'), aiml(LEARNF + cat('*', 'no idea')));
    writeFileSync(join(dir, 'sets', 'animal.set'), '[["cat"]]');
    writeFileSync(join(dir, 'system', 'mybot.properties'), '[["name", "Mybot"]]');
    writeFileSync(join(dir, 'notes.txt'), 'not a bot file');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a bot directory in the Pandorabots layout, named after the directory', async () => {
    const { bot, diagnostics } = await loadBotDirectory(dir);
    expect(diagnostics).toEqual([]);
    expect(bot.name).toBe(dir.split('/').pop());
    expect(bot.categoryCount).toBe(2);
    expect(bot.property('NAME')).toBe('Mybot');
  });

  it('makes learnf global at once and writes the learn file atomically so it survives a reload', async () => {
    const { bot } = await loadBotDirectory(dir);
    const alice = bot.createSession('alice');
    const bob = bot.createSession('bob');
    expect(bot.respond(alice, 'learn sky is blue').text).toBe('ok');
    expect(bot.respond(bob, 'sky').text).toBe('blue');
    expect(readdirSync(join(dir, 'aiml')).sort()).toEqual(['main.aiml', 'pand_learn.aiml']);
    const reloaded = (await loadBotDirectory(dir)).bot;
    expect(reloaded.respond(reloaded.createSession('carol'), 'sky').text).toBe('blue');
    // Learning more appends to what the file already had.
    reloaded.respond(reloaded.createSession('carol'), 'learn grass is green');
    const text = readFileSync(join(dir, 'aiml', 'pand_learn.aiml'), 'utf8');
    expect(text.match(/<category>/g)).toHaveLength(2);
    const third = (await loadBotDirectory(dir)).bot;
    expect([...third.categories()].filter((c) => c.origin === 'learnf').map((c) => c.pattern)).toEqual(['SKY', 'GRASS']);
  });

  it('uses the learn-filename property and stops at max-learn-file-size', async () => {
    writeFileSync(join(dir, 'system', 'mybot.properties'), '[["learn-filename", "taught.aiml"], ["max-learn-file-size", "200"]]');
    const { bot } = await loadBotDirectory(dir);
    const s = bot.createSession('a');
    const first = bot.respond(s, 'learn sky is blue');
    expect(first.sentences[0]!.match.limit).toBeUndefined();
    const second = bot.respond(s, 'learn grass is a very long green answer that does not fit any more');
    expect(second.sentences[0]!.match.limit).toMatch(/max-learn-file-size/);
    expect(bot.respond(s, 'grass').text).toBe('no idea');
    expect(readdirSync(join(dir, 'aiml')).sort()).toEqual(['main.aiml', 'taught.aiml']);
  });

  it('never writes outside aiml/ whatever learn-filename says', async () => {
    writeFileSync(join(dir, 'system', 'mybot.properties'), '[["learn-filename", "../escape.aiml"]]');
    const { bot, diagnostics } = await loadBotDirectory(dir);
    expect(diagnostics.some((d) => /not a plain \.aiml file name/.test(d.message))).toBe(true);
    const s = bot.createSession('a');
    const reply = bot.respond(s, 'learn sky is blue');
    expect(reply.sentences[0]!.match.limit).toMatch(/could not be written/);
    expect(bot.respond(s, 'sky').text).toBe('blue');
    expect(readdirSync(dir).sort()).toEqual(['aiml', 'notes.txt', 'sets', 'system']);
  });

  it('keeps learnf in memory only for a bot compiled from memory', () => {
    const { bot } = compileBot({ 'aiml/t.aiml': aiml(LEARNF) });
    bot.respond(bot.createSession('a'), 'learn sky is blue');
    expect(bot.respond(bot.createSession('b'), 'sky').text).toBe('blue');
    expect([...bot.categories()].find((c) => c.pattern === 'SKY')).toMatchObject({ origin: 'learnf', file: 'aiml/pand_learn.aiml', template: 'blue' });
  });
});
