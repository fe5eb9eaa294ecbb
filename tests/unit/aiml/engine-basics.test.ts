import { describe, expect, it } from 'vitest';
import { compileBot, type BotFiles } from '../../../aiml/index.js';

const aiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n${body}\n</aiml>\n`;

function botOf(files: BotFiles) {
  const { bot, diagnostics } = compileBot(files);
  return { bot, diagnostics, session: bot.createSession('client-1') };
}

describe('engine basics', () => {
  it('answers a literal pattern case-insensitively', () => {
    const { bot, session } = botOf({ 'aiml/a.aiml': aiml('<category><pattern>HELLO THERE</pattern><template>Hi!</template></category>') });
    expect(bot.respond(session, 'hello there').text).toBe('Hi!');
  });

  it('captures wildcards with the user spelling', () => {
    const { bot, session } = botOf({ 'aiml/a.aiml': aiml('<category><pattern>MY NAME IS *</pattern><template>Hello <star/>.</template></category>') });
    expect(bot.respond(session, 'my name is Ada Lovelace').text).toBe('Hello Ada Lovelace.');
  });

  it('follows srai and reports the srai trace and the final category', () => {
    const { bot, session } = botOf({
      'aiml/a.aiml': aiml(`
        <category><pattern>HI</pattern><template><srai>HELLO</srai></template></category>
        <category><pattern>HELLO</pattern><template>Hello you.</template></category>`),
    });
    const reply = bot.respond(session, 'Hi!');
    expect(reply.text).toBe('Hello you.');
    expect(reply.sentences[0]!.match.srai).toEqual(['HELLO']);
    expect(reply.sentences[0]!.match.pattern).toBe('HELLO');
    expect(reply.sentences[0]!.match.matched?.pattern).toBe('HI');
  });

  it('picks a <random> item with the injected random source', () => {
    const { bot, session } = botOf({ 'aiml/a.aiml': aiml('<category><pattern>PICK</pattern><template><random><li>one</li><li>two</li><li>three</li></random></template></category>') });
    expect(bot.respond(session, 'pick', { random: () => 0.99 }).text).toBe('three');
    expect(bot.respond(session, 'pick', { random: () => 0 }).text).toBe('one');
  });

  it('flags the ultimate default category in the metadata', () => {
    const { bot, session } = botOf({ 'aiml/udc.aiml': aiml('<category><pattern>*</pattern><template>I have no answer for that.</template></category>') });
    const reply = bot.respond(session, 'something odd');
    expect(reply.sentences[0]!.match).toMatchObject({ pattern: '*', that: '*', topic: '*', file: 'aiml/udc.aiml', defaultCategory: true });
  });

  it('normalises input into upper-case sentences without punctuation', () => {
    const { bot } = botOf({ 'aiml/a.aiml': aiml('<category><pattern>X</pattern><template>x</template></category>') });
    expect(bot.normalize("Hello, world! How's it going?")).toEqual(['HELLO WORLD', 'HOWS IT GOING']);
    expect(bot.normalizeThat('Fine. And you, friend?')).toBe('AND YOU FRIEND');
  });
});

describe('trace and robustness', () => {
  it('traces every match of a sentence with its srai level when asked', () => {
    const { bot, session } = botOf({
      'aiml/a.aiml': aiml(`
        <category><pattern>HI *</pattern><template><srai>HELLO</srai> <srai>BYE</srai></template></category>
        <category><pattern>HELLO</pattern><template>Hello.</template></category>`),
    });
    const reply = bot.respond(session, 'hi there', { trace: true });
    expect(reply.sentences[0]!.match.trace).toEqual([
      { level: 0, input: 'HI THERE', pattern: 'HI *', that: '*', topic: '*', file: 'aiml/a.aiml', line: 4 },
      { level: 1, input: 'HELLO', pattern: 'HELLO', that: '*', topic: '*', file: 'aiml/a.aiml', line: 5 },
      { level: 1, input: 'BYE' },
    ]);
    expect(bot.respond(session, 'hi there').sentences[0]!.match.trace).toBeUndefined();
  });

  it('never throws on hostile input', () => {
    const { bot, session } = botOf({
      'aiml/a.aiml': aiml(`
        <category><pattern>*</pattern><template><srai>X <star/></srai></template></category>
        <category><pattern>X *</pattern><template><star/> <person/> <map name="nope"><star/></map></template></category>
        <category><pattern>_ <set>number</set> #</pattern><template><star index="2"/></template></category>`),
    });
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['a', 'B', ' ', '.', '?', '!', "'", '<', '>', '&', '*', '_', '#', '^', '$', '0', '9', 'é', '你', '。', '\u0000', '\t', '\n', '\ud83d\ude00', '"'];
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(random() * 200);
      let input = '';
      for (let k = 0; k < length; k++) input += alphabet[Math.floor(random() * alphabet.length)];
      const reply = bot.respond(session, input);
      expect(typeof reply.text).toBe('string');
    }
  });
});
