import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCategories } from '../../../aiml/index.js';
import { aiml, category, pretendPulled, workspaceFixture, type Fixture } from './support/workspace-fixture.js';

let f: Fixture;
beforeEach(() => {
  f = workspaceFixture();
});
afterEach(() => f.close());

async function learn(input: string, reply: string, fixture = f) {
  const c = fixture.conversation(`c-${input}`);
  c.add('user', input);
  await c.reply(reply);
}
const patterns = async () => (await f.ws.workspace('starter')).categories.map((c) => c.pattern).sort();

describe('export', () => {
  it('gives pand_livetraining.aiml with a header naming the bot and time, for a download in browser mode', async () => {
    await learn('opening hours', 'Nine to five.');
    await learn('do you ship to mars', 'Every Tuesday & Friday.');
    const out = await f.ws.exportFile('starter');
    expect(out.fileName).toBe('pand_livetraining.aiml');
    expect(out.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<aiml version="2.0">\n {2}<!-- Live Training categories for bot starter, written 20\d\d-/);
    expect(parseCategories(out.text!, 'x').categories.map((c) => [c.pattern, c.template])).toEqual([
      ['DO YOU SHIP TO MARS', 'Every Tuesday &amp; Friday.'],
      ['OPENING HOURS', 'Nine to five.'],
    ]);
  });

  it('is deterministic: the same categories captured in another order export the same bytes', async () => {
    await learn('one', 'First.');
    await learn('two', 'Second.');
    const other = workspaceFixture();
    try {
      await learn('two', 'Second.', other);
      await learn('one', 'First.', other);
      const withoutTime = (x: string | undefined) => x!.replace(/written [^ ]+ -->/, '');
      expect(withoutTime((await other.ws.exportFile('starter')).text)).toBe(withoutTime((await f.ws.exportFile('starter')).text));
    } finally {
      other.close();
    }
  });

  it("goes through the save dialog where Studio has one (Electron), and says where it went", async () => {
    await learn('hello', 'Hi!');
    const saved: string[] = [];
    f.host.saveFile = { save: async (r) => (saved.push(r.suggestedName), { saved: true, path: `/home/ada/${r.suggestedName}` }) };
    f.ws.attach(f.host);
    expect(await f.ws.exportFile('starter')).toEqual({ fileName: 'pand_livetraining.aiml', savedTo: '/home/ada/pand_livetraining.aiml' });
    f.host.saveFile = { save: async () => ({ saved: false }) };
    expect(await f.ws.exportFile('starter')).toEqual({ fileName: 'pand_livetraining.aiml', cancelled: true });
    expect(saved).toEqual(['pand_livetraining.aiml']);
  });
});

describe('import', () => {
  const file = aiml(
    [
      category('OPENING HOURS', 'Nine to five.'),
      category('GIFT CARDS', 'Yes, at the till.'),
      category('DO YOU SHIP TO MARS', 'Only in summer.'),
    ].join('\n'),
  );

  it('merges: adds new categories on the Platform, keeps identical ones once, lists conflicts with both answers', async () => {
    await learn('opening hours', 'Nine to five.');
    await learn('do you ship to mars', 'Every Tuesday.');
    const result = await f.ws.importFile('starter', 'old.aiml', file);
    expect(result).toMatchObject({ added: 1, unchanged: 1, errors: [] });
    expect(result.conflicts).toEqual([expect.objectContaining({ pattern: 'DO YOU SHIP TO MARS', current: 'Every Tuesday.', imported: 'Only in summer.' })]);
    // The workspace keeps its own answer; the imported one is there to pick (an ordinary edit).
    expect(await patterns()).toEqual(['DO YOU SHIP TO MARS', 'GIFT CARDS', 'OPENING HOURS']);
    expect(parseCategories(readFileSync(f.files().aimlFile, 'utf8'), 'x').categories.find((c) => c.pattern === 'DO YOU SHIP TO MARS')!.template).toBe('Every Tuesday.');
    expect(f.platform.all().map((c) => c.pattern).sort()).toEqual(['DO YOU SHIP TO MARS', 'GIFT CARDS', 'OPENING HOURS']);
  });

  it('reports a broken file with its line and changes nothing', async () => {
    await learn('hello', 'Hi!');
    const result = await f.ws.importFile('starter', 'bad.aiml', '<aiml version="2.0">\n<category><pattern>X</pattern><template>y</category>\n</aiml>');
    expect(result.added).toBe(0);
    expect(result.errors[0]).toMatchObject({ file: 'bad.aiml', line: 2, severity: 'error' });
    expect(await patterns()).toEqual(['HELLO']);
  });

  it('leaves out a category whose fields are not valid, naming its line, and imports the rest', async () => {
    const result = await f.ws.importFile('starter', 'mixed.aiml', aiml([category('GOOD ONE', 'Fine.'), category('BAD ONE', 'a \u0001 b')].join('\n')));
    expect(result.added).toBe(1);
    expect(result.errors).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/control character/) as unknown })]);
  });

  it('keeps a hostile file name out of paths and labels', async () => {
    await f.setOnline(false);
    const result = await f.ws.importFile('starter', '../../etc/passwd<script>', aiml(category('HI', 'Hello.')));
    expect(result.added).toBe(1);
    expect((await f.ws.workspace('starter')).sync?.queued[0]?.label).toBe('Import of .._.._etc_passwd_script_ (1 category)');
  });
});

describe('preview', () => {
  it("answers as the bot would now, with the bot's files and the workspace, and says which category answered", async () => {
    pretendPulled(f, { 'aiml/shop.aiml': aiml([category('HELLO', 'Hi there.'), category('*', 'I do not know.')].join('\n')) });
    await learn('do you ship to mars', 'Every Tuesday.');
    const id = (await f.ws.workspace('starter')).categories[0]!.id;
    await f.ws.update('starter', id, { pattern: '^ SHIP TO MARS ^', that: '*', topic: '*', template: 'Every Tuesday.' });

    const learned = await f.ws.preview('starter', 'Could you ship to Mars, please?');
    expect(learned).toMatchObject({ text: 'Every Tuesday.', withBotFiles: true });
    expect(learned.sentences[0]).toMatchObject({ learned: true, defaultCategory: false, answeredBy: { pattern: '^ SHIP TO MARS ^', file: 'pand_livetraining.aiml' } });

    const bot = await f.ws.preview('starter', 'hello');
    expect(bot.sentences[0]).toMatchObject({ text: 'Hi there.', learned: false, answeredBy: { file: 'shop.aiml', pattern: 'HELLO' } });
    expect((await f.ws.preview('starter', 'What is the weather?')).sentences[0]).toMatchObject({ defaultCategory: true });
  });

  it('answers a category learned in context only after the bot said that', async () => {
    const c = f.conversation('c1');
    c.add('bot', 'Would you like tea?');
    c.add('user', 'yes');
    await c.reply('Tea it is.', true);
    expect((await f.ws.preview('starter', 'yes', 'Would you like tea?')).text).toBe('Tea it is.');
    expect((await f.ws.preview('starter', 'yes')).sentences[0]!.learned).toBe(false);
  });
});
