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
