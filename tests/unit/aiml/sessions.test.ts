import { describe, expect, it } from 'vitest';
import { compileBot, Session } from '../../../aiml/index.js';
import { aiml, cat } from './support.js';

const LEARN = cat('MY * IS *', '<learn><category><pattern>WHAT IS MY <eval><star/></eval></pattern><template>Your <eval><star/></eval> is <eval><star index="2"/></eval>.</template></category></learn>Noted.');

describe('sessions', () => {
  it('keeps <learn> categories per client', () => {
    const { bot } = compileBot({ 'aiml/t.aiml': aiml(LEARN + cat('WHAT IS MY *', 'No idea.')) });
    const ann = bot.createSession('ann');
    const ben = bot.createSession('ben');
    expect(bot.respond(ann, 'my dog is Rex').text).toBe('Noted.');
    expect(bot.respond(ann, 'what is my dog').text).toBe('Your dog is Rex.');
    expect(bot.respond(ben, 'what is my dog').text).toBe('No idea.');
  });

  it('round-trips through JSON with predicates, history and learned categories', () => {
    const { bot } = compileBot({ 'aiml/t.aiml': aiml(LEARN + cat('NAME *', '<set name="name"><star/></set>') + cat('WHO', '<get name="name"/> after <request/>')) });
    const s = bot.createSession('ann');
    bot.respond(s, 'name Ann');
    bot.respond(s, 'my cat is Tom');
    const restored = Session.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(restored.clientId).toBe('ann');
    expect(bot.respond(restored, 'who').text).toBe('Ann after my cat is Tom');
    expect(bot.respond(restored, 'what is my cat').text).toBe('Your cat is Tom.');
  });

  it('keeps sessions across a hot swap to a newly compiled bot', () => {
    const v1 = compileBot({ 'aiml/t.aiml': aiml(LEARN + cat('NAME *', '<set name="name"><star/></set>') + cat('HELLO', 'v1 hello <get name="name"/>')) }).bot;
    const s = v1.createSession('ann');
    v1.respond(s, 'name Ann');
    v1.respond(s, 'my car is red');
    const v2 = compileBot({ 'aiml/t.aiml': aiml(LEARN + cat('HELLO', 'v2 hello <get name="name"/>')) }).bot;
    expect(v2.respond(s, 'hello').text).toBe('v2 hello Ann');
    expect(v2.respond(s, 'what is my car').text).toBe('Your car is red.');
    expect(v1.respond(s, 'hello').text).toBe('v1 hello Ann');
  });

  it('rejects malformed session JSON with a message naming the field', () => {
    expect(() => Session.fromJSON({ version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => Session.fromJSON({ version: 1, clientId: 'x', predicates: { a: 1 } })).toThrow(/predicate 'a' must be a string/);
    expect(() => Session.fromJSON({ version: 1, clientId: 'x', learned: [{ pattern: 'A' }] })).toThrow(/pattern and template/);
    expect(() => Session.fromJSON('not json')).toThrow();
  });

  it('keeps history bounded', () => {
    const { bot } = compileBot({ 'aiml/t.aiml': aiml(cat('*', 'ok')) }, { limits: { historySize: 3 } });
    const s = bot.createSession('c');
    for (let i = 0; i < 10; i++) bot.respond(s, `message ${i}`);
    expect(s.requests).toEqual(['message 7', 'message 8', 'message 9']);
    expect(s.responses).toHaveLength(3);
  });

  it('lets a learned category beat a less specific bot category but not a more specific one', () => {
    const { bot } = compileBot({
      'aiml/t.aiml': aiml(
        cat('TEACH', '<learn><category><pattern>HELLO *</pattern><template>learned</template></category></learn>ok') + cat('HELLO *', 'bot star') + cat('HELLO THERE', 'bot exact') + cat('*', 'udc'),
      ),
    });
    const s = bot.createSession('c');
    bot.respond(s, 'teach');
    expect(bot.respond(s, 'hello you').text).toBe('learned');
    expect(bot.respond(s, 'hello there').text).toBe('bot exact');
    expect(bot.respond(s, 'bye').text).toBe('udc');
  });
});
