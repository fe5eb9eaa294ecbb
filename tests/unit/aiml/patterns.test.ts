import { describe, expect, it } from 'vitest';
import { compileBot } from '../../../aiml/index.js';
import { aiml, cat, chat } from './support.js';

describe('pattern matching', () => {
  it('follows the priority order $word > # > _ > word > <set> > ^ > *', () => {
    const order = ['$HELLO', '#', '_', 'HELLO', '<set>greeting</set>', '^', '*'];
    // Remove the winner each round: the next one in the order must win.
    for (let i = 0; i < order.length; i++) {
      const cats = order
        .slice(i)
        .map((p, j) => cat(`${p} THERE`, `matched ${i + j}`))
        .join('');
      const { say } = chat({ 'aiml/t.aiml': aiml(cats), 'sets/greeting.set': '[["hello"]]' });
      expect(say('hello there'), `without ${order.slice(0, i).join(' ')}`).toBe(`matched ${i}`);
    }
  });

  it('lets # and ^ match zero words but requires one for _ and *', () => {
    const { say } = chat(cat('A # B', 'sharp') + cat('C ^ D', 'caret') + cat('E _ F', 'under') + cat('G * H', 'star') + cat('*', 'none'));
    expect(say('a b')).toBe('sharp');
    expect(say('c d')).toBe('caret');
    expect(say('e f')).toBe('none');
    expect(say('g h')).toBe('none');
    expect(say('e x y f')).toBe('under');
    expect(say('g x h')).toBe('star');
  });

  it('backtracks out of a wildcard to find a later literal', () => {
    const { say } = chat(cat('* IS * OF *', '<star/>|<star index="2"/>|<star index="3"/>') + cat('*', 'none'));
    expect(say('the capital of france is paris of course')).toBe('the capital of france|paris|course');
  });

  it('matches wildcards non-greedily', () => {
    const { say } = chat(cat('* AND *', '[<star/>] [<star index="2"/>]'));
    expect(say('a and b and c')).toBe('[a] [b and c]');
  });

  it('tries every phrase length of a set, longest first, and backtracks into shorter ones', () => {
    const sets = { 'sets/color.set': '[["red"], ["red", "orange"], ["air", "force", "blue"]]' };
    const { say } = chat({ 'aiml/t.aiml': aiml(cat('I LIKE <set>color</set> *', '<star/>/<star index="2"/>') + cat('I LIKE <set>color</set>', 'just <star/>')), ...sets });
    expect(say('I like red orange')).toBe('just red orange');
    expect(say('I like red orange cars')).toBe('red orange/cars');
    // "red orange" then nothing left for *: backtrack to "red" so that * gets "orange".
    expect(say('I like air force blue jets')).toBe('air force blue/jets');
  });

  it('gives the phrase as written in the set for a set capture', () => {
    const { say } = chat({ 'aiml/t.aiml': aiml(cat('MY COLOR IS <set>color</set>', '<star/>!')), 'sets/color.set': '[["Air","Force","blue"]]' });
    expect(say('MY COLOR IS AIR FORCE BLUE')).toBe('Air Force blue!');
  });

  it('knows the built-in number set', () => {
    const { say } = chat(cat('I AM <set>number</set> YEARS OLD', 'age <star/>') + cat('I AM * YEARS OLD', 'not a number'));
    expect(say('I am 42 years old')).toBe('age 42');
    expect(say('I am forty years old')).toBe('not a number');
  });

  it('makes a pattern word with punctuation match the same input', () => {
    const { say } = chat(cat("WHAT'S UP", 'nothing much'));
    expect(say("what's up?")).toBe('nothing much');
  });

  it('matches <that> against the last sentence of the previous reply, and gives thatstar', () => {
    const { say } = chat(
      cat('KNOCK KNOCK', "Who's there? Go on.") + cat('*', 'Do you know <thatstar/>?', '<that>WHO IS *</that>') + cat('*', 'default') + cat('YES', 'yes to <thatstar/>', '<that>DO YOU KNOW *</that>'),
    );
    expect(say('knock knock')).toBe("Who's there? Go on.");
    expect(say('boo')).toBe('default');
    const c2 = chat(cat('START', 'Who is there') + cat('*', 'You said <star/>, I asked <thatstar/>', '<that>WHO IS *</that>') + cat('*', 'default'));
    c2.say('start');
    expect(c2.say('boo')).toBe('You said boo, I asked THERE');
  });

  it('matches <topic> from the topic predicate, from a <topic name> wrapper too', () => {
    const { say } = chat(
      cat('SET TOPIC', '<think><set name="topic">cars and trucks</set></think>ok') +
        '<topic name="CARS *"><category><pattern>WHAT</pattern><template>about <topicstar/></template></category></topic>' +
        cat('WHAT', 'what what'),
    );
    expect(say('what')).toBe('what what');
    say('set topic');
    expect(say('what')).toBe('about AND TRUCKS');
  });

  it('gives the current topic as <topicstar/> in a category without a topic, also right after the template set it', () => {
    const { say } = chat(cat('I WOULD LIKE MILK', 'Ok.<think><set name="topic">milk</set></think> You want <topicstar/>') + cat('TOPIC', '<topicstar/>'));
    expect(say('topic')).toBe('UNKNOWN');
    expect(say('I would like milk.')).toBe('Ok. You want MILK');
    expect(say('topic')).toBe('MILK');
  });

  it('lets the later of two identical categories win, with pand_livetraining.aiml loaded last (after the learn file too)', () => {
    const { bot } = compileBot({
      'aiml/zzz.aiml': aiml(cat('HOURS', 'from zzz')),
      'aiml/pand_livetraining.aiml': aiml(cat('HOURS', 'from live training')),
      'aiml/pand_learn.aiml': aiml(cat('HOURS', 'taught by a user') + cat('DAYS', 'taught by a user')),
      'aiml/aaa.aiml': aiml(cat('HOURS', 'from aaa') + cat('DAYS', 'from aaa')),
    });
    const s = bot.createSession('c');
    expect(bot.respond(s, 'hours').text).toBe('from live training');
    expect(bot.respond(s, 'days').text).toBe('taught by a user');
    expect(bot.categoryCount).toBe(2);
    expect([...bot.categories()].map((c) => c.file)).toEqual(['aiml/pand_learn.aiml', 'aiml/pand_livetraining.aiml']);
  });

  it('resolves <bot name> in a pattern at load time', () => {
    const { say } = chat({ 'aiml/t.aiml': aiml(cat('ARE YOU <bot name="name"/>', 'I am')), 'system/x.properties': '[["name","Rosie"]]' });
    expect(say('are you rosie')).toBe('I am');
  });

  it('finds the category a reply matched from the pattern, that and topic in its metadata', () => {
    const { bot, session } = chat({
      'aiml/t.aiml': aiml(
        cat('$WHO IS <set>color</set> ^', 'colour <star/>') +
          cat('YES', 'yes to tea', '<that>DO YOU LIKE TEA</that><topic>DRINKS *</topic>') +
          cat('YES', 'plain yes') +
          cat('ASK', 'Do you like tea?<think><set name="topic">drinks hot</set></think>'),
      ),
      'sets/color.set': '[["air", "force", "blue"]]',
    });
    const first = bot.respond(session, 'who is air force blue').sentences[0]!.match;
    expect(bot.category(first.pattern, first.that, first.topic)).toMatchObject({ pattern: '$WHO IS <set>color</set> ^', template: 'colour <star/>', line: 3 });
    bot.respond(session, 'ask');
    const second = bot.respond(session, 'yes').sentences[0]!.match;
    expect(second).toMatchObject({ that: 'DO YOU LIKE TEA', topic: 'DRINKS *' });
    expect(bot.category(second.pattern, second.that, second.topic)?.template).toBe('yes to tea');
    expect(bot.category('YES')?.template).toBe('plain yes');
    expect(bot.category('YES', 'SOMETHING ELSE')).toBeUndefined();
    expect(bot.category('')).toBeUndefined();
  });

  it('explains a match without running the template', () => {
    const { bot, session } = chat(cat('HELLO *', '<think><set name="seen">yes</set></think>hi') + cat('*', 'udc'));
    expect(bot.explain('hello you')).toMatchObject({ pattern: 'HELLO *', that: '*', topic: '*', file: 'aiml/test.aiml', line: 3, defaultCategory: false, srai: [] });
    expect(bot.explain('zzz')).toMatchObject({ pattern: '*', defaultCategory: true });
    expect(session.predicates.size).toBe(0);
  });

  it('settles patterns that would backtrack exponentially well within the step budget', () => {
    // Without remembering failed (node, position) pairs this takes ~60^10 steps; the budget is 200,000.
    const { bot, session } = chat(cat('* * * * * * * * * * X', 'x') + cat('* * * * * * * * * * Y', 'y'));
    const input = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ') + ' z';
    const reply = bot.respond(session, input);
    expect(reply.limitHit).toBeUndefined();
    expect(reply.sentences[0]!.match.noMatch).toBe(true);
    expect(bot.respond(session, input.replace(/ z$/, ' y')).text).toBe('y');
  });

  it('settles several sets in a row over a long input without running out of steps (pathological set)', () => {
    // Every length of "a a ... a" is a member: without remembering failed (set node, position) pairs, three sets
    // in a row try 200^3 splits and give up at the step budget instead of answering.
    const set = JSON.stringify(Array.from({ length: 200 }, (_, i) => Array.from({ length: i + 1 }, () => 'a')));
    const { bot, session } = chat({ 'aiml/t.aiml': aiml(cat('<set>s</set> <set>s</set> <set>s</set> X', 'three sets') + cat('*', 'udc')), 'sets/s.set': set });
    const reply = bot.respond(session, 'a '.repeat(400));
    expect(reply.limitHit).toBeUndefined();
    expect(reply.text).toBe('udc');
    expect(bot.respond(session, `${'a '.repeat(399)}x`).text).toBe('three sets');
  });

  it('reports a match that exceeds the step budget as a steps limit', () => {
    const { bot, session } = chat(cat('* * * * * * * * * * X', 'x'), { limits: { maxMatchSteps: 500 } });
    const reply = bot.respond(session, Array.from({ length: 60 }, (_, i) => `w${i}`).join(' '));
    expect(reply.limitHit).toBe('steps');
    expect(reply.sentences[0]!.match.limit).toMatch(/more than 500 steps/);
  });
});
