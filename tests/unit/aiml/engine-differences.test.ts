/**
 * Conformance cases for the choices where AIML engines differ and the spec leaves room (issue 14; the choices are
 * listed in aiml/README.md, "Choices where engines differ").
 */
import { describe, expect, it } from 'vitest';
import { compileBot, DEFAULT_LIMIT_RESPONSE, DEFAULT_NO_MATCH_RESPONSE } from '../../../aiml/index.js';
import { aiml, cat, chat } from './support.js';

const props = (pairs: Array<[string, string]>) => JSON.stringify(pairs);

describe('nullstar: the value of a # or ^ that matched no words', () => {
  const categories = cat('HELLO ^', '[<star/>]') + cat('# BYE', '[<star/>]');

  it('is empty when the bot has no nullstar property', () => {
    const { say } = chat(categories);
    expect(say('hello')).toBe('[]');
    expect(say('bye')).toBe('[]');
    expect(say('hello there')).toBe('[there]');
  });

  it('is the nullstar property when the bot sets it', () => {
    const { say } = chat({ 'aiml/t.aiml': aiml(categories), 'system/b.properties': props([['nullstar', 'nothing']]) });
    expect(say('hello')).toBe('[nothing]');
    expect(say('bye')).toBe('[nothing]');
    expect(say('ok bye')).toBe('[ok]');
  });
});

describe('a sentence that matches nothing', () => {
  it("answers Program AB's text by default and says no category matched", () => {
    const { bot, session } = chat(cat('HELLO', 'hi'));
    const reply = bot.respond(session, 'something else');
    expect(reply.text).toBe(DEFAULT_NO_MATCH_RESPONSE);
    expect(DEFAULT_NO_MATCH_RESPONSE).toBe('I have no answer for that.');
    expect(reply.sentences[0]!.match.noMatch).toBe(true);
  });

  it('answers the no-match-response property, or nothing when the property is empty', () => {
    const own = chat({ 'aiml/t.aiml': aiml(cat('HELLO', 'hi')), 'system/b.properties': props([['no-match-response', 'Ask me about hats.']]) });
    expect(own.say('what')).toBe('Ask me about hats.');
    const silent = chat({ 'aiml/t.aiml': aiml(cat('HELLO', 'hi')), 'system/b.properties': props([['no-match-response', '']]) });
    expect(silent.say('what')).toBe('');
  });

  it('gives an empty srai result inside a template (only a whole sentence gets the text)', () => {
    const { say } = chat(cat('HELLO', 'hi [<srai>NOTHING HERE</srai>]'));
    expect(say('hello')).toBe('hi []');
  });
});

describe('srai recursion at the depth limit', () => {
  it('replaces only the failing srai with the limit text and keeps the rest of the template', () => {
    const { bot, session } = chat(cat('START', 'Before <srai>LOOP</srai> after.') + cat('LOOP', 'x <srai>LOOP</srai>'), { limits: { maxSraiDepth: 8 } });
    const reply = bot.respond(session, 'start');
    expect(reply.text).toBe(`Before ${DEFAULT_LIMIT_RESPONSE} after.`);
    expect(reply.limitHit).toBe('depth');
    expect(reply.sentences[0]!.match.limit).toMatch(/deeper than 8/);
  });

  it('uses the limit-response property there', () => {
    const { say } = chat(
      { 'aiml/t.aiml': aiml(cat('START', 'A <srai>LOOP</srai> B') + cat('LOOP', '<srai>LOOP</srai> y')), 'system/b.properties': props([['limit-response', '(lost)']]) },
      { limits: { maxSraiDepth: 5 } },
    );
    expect(say('start')).toBe('A (lost) B');
  });

  it('never sets a predicate or learns from a branch that hit the limit', () => {
    const { bot, session, say } = chat(
      cat('START', '<think><set name="mood"><srai>LOOP</srai></set></think>mood <get name="mood"/>') +
        cat('TEACH', '<learn><category><pattern>QUIZ</pattern><template><eval><srai>LOOP</srai></eval></template></category></learn>taught') +
        cat('DEEP', '<srai>SETTER</srai> done') +
        cat('SETTER', '<think><set name="inner"><srai>LOOP</srai></set></think>set') +
        cat('LOOP', 'x <srai>LOOP</srai>') +
        cat('*', 'default'),
      { limits: { maxSraiDepth: 6 } },
    );
    expect(say('start')).toBe('mood unknown');
    expect(session.predicates.has('mood')).toBe(false);
    expect(say('teach')).toBe('taught');
    expect(session.learned).toHaveLength(0);
    expect(say('quiz')).toBe('default');
    // The <set> inside SETTER never completes: the limit text comes back in place of <srai>SETTER</srai>.
    const reply = bot.respond(session, 'deep');
    expect(reply.text).toBe(`${DEFAULT_LIMIT_RESPONSE} done`);
    expect(session.predicates.has('inner')).toBe(false);
  });

  it('still answers the whole sentence with the limit text when the sentence only reduces (no other text to keep)', () => {
    const { bot, session } = chat(cat('LOOP', '<srai>LOOP</srai>'), { limits: { maxSraiDepth: 4 } });
    expect(bot.respond(session, 'loop').text).toBe(DEFAULT_LIMIT_RESPONSE);
  });
});

describe('<size/>', () => {
  it("counts the client's learned categories and learnf categories, once each", () => {
    const learnFiles: string[] = [];
    const { bot } = compileBot(
      {
        'aiml/t.aiml': aiml(
          cat('SIZE', '<size/>') +
            cat('HELLO', 'hi') +
            cat('TEACH *', '<learn><category><pattern><eval><star/></eval></pattern><template>learned</template></category></learn>ok') +
            cat('TEACHALL *', '<learnf><category><pattern><eval><star/></eval></pattern><template>for all</template></category></learnf>ok'),
        ),
      },
      { onLearnf: (name, text) => void learnFiles.push(name + text) },
    );
    const a = bot.createSession('a');
    const b = bot.createSession('b');
    const size = (s: typeof a) => Number(bot.respond(s, 'size').text);
    expect(size(a)).toBe(4);
    bot.respond(a, 'teach apples');
    bot.respond(a, 'teach pears');
    // A learned category with the pattern of one of the bot's replaces it for this client: not one more.
    bot.respond(a, 'teach hello');
    expect(size(a)).toBe(6);
    expect(size(b)).toBe(4);
    bot.respond(b, 'teachall plums');
    expect(size(a)).toBe(7);
    expect(size(b)).toBe(5);
    expect(learnFiles).toHaveLength(1);
  });
});

describe('repeated map keys and phrases in two sets', () => {
  const files = {
    'aiml/t.aiml': aiml(cat('GENDER *', '<map name="gendername"><star/></map>') + cat('I LIKE <set>animal</set>', 'animal') + cat('I LIKE <set>colour</set>', 'colour')),
    'maps/gendername.map': 'Alex:M\nSam:F\nalex:F\n',
    'sets/animal.set': '["dog", "fox"]',
    'sets/colour.set': 'red\nfox\n',
  };

  it('loads, keeping the last value of a repeated map key, with a warning naming the file and line', () => {
    const { bot, diagnostics } = compileBot(files);
    expect(bot.respond(bot.createSession('c'), 'gender alex').text).toBe('F');
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ file: 'maps/gendername.map', line: 3, severity: 'warning', message: expect.stringMatching(/'ALEX' appears again \(line 1 gave 'M'\): the last value, 'F', wins/) }),
    );
  });

  it('warns about a phrase in two sets, and the set first by name wins where patterns differ only in the set', () => {
    const { bot, diagnostics } = compileBot(files);
    const warning = diagnostics.find((d) => d.message.includes("'FOX'"));
    expect(warning).toMatchObject({ file: 'sets/colour.set', line: 2, severity: 'warning' });
    expect(warning!.message).toMatch(/also in the set 'animal'.*<set>animal<\/set> \(first by name\) wins/);
    const s = bot.createSession('c');
    expect(bot.respond(s, 'i like fox').text).toBe('animal');
    expect(bot.respond(s, 'i like red').text).toBe('colour');
  });

  it('gives one warning per pair of sets, at the first shared phrase, with how many they share', () => {
    const { diagnostics } = compileBot({ 'aiml/t.aiml': aiml(cat('A', 'a')), 'sets/b.set': 'one\ntwo\nthree\n', 'sets/a.set': 'zero\nthree\ntwo\n' });
    expect(diagnostics.filter((d) => d.severity === 'warning')).toEqual([
      expect.objectContaining({ file: 'sets/b.set', line: 2, message: "2 phrases ('TWO', 'THREE') are also in the set 'a': where two patterns differ only in these sets, <set>a</set> (first by name) wins" }),
    ]);
  });

  it('says nothing about a key repeated with the same value or a phrase repeated in one set', () => {
    const { diagnostics } = compileBot({ 'aiml/t.aiml': aiml(cat('A', 'a')), 'maps/m.map': 'a:1\na:1\n', 'sets/s.set': 'x\nX\n' });
    expect(diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });
});

describe('several sentences that fall back', () => {
  it('gives the same fallback text once per reply, and keeps every sentence in the metadata', () => {
    const { bot, session } = chat(cat('*', 'I have not learned how to answer that yet.') + cat('HELLO', 'Hi!'));
    const reply = bot.respond(session, 'blah. blah blah. hello. more blah');
    expect(reply.text).toBe('I have not learned how to answer that yet. Hi!');
    expect(reply.sentences).toHaveLength(4);
    expect(reply.sentences.map((s) => s.text)).toEqual(['I have not learned how to answer that yet.', 'I have not learned how to answer that yet.', 'Hi!', 'I have not learned how to answer that yet.']);
  });

  it('says the no-match text once too, but repeats answers that are not fallbacks', () => {
    const { say } = chat(cat('HELLO', 'Hi!'));
    expect(say('what. why')).toBe(DEFAULT_NO_MATCH_RESPONSE);
    expect(say('hello. hello')).toBe('Hi! Hi!');
  });
});

describe('the step budget', () => {
  const fan = cat('GO', '<srai>F</srai><srai>F</srai><srai>F</srai>') + cat('F', '<srai>G</srai><srai>G</srai><srai>G</srai>') + cat('G', 'a <get name="x"/> b');

  it('stops a reply at the same point whatever the clock says, as a steps limit', () => {
    let now = 0;
    const stoppedClock = { now: () => now };
    const racingClock = { now: () => (now += 1) };
    const answers = [stoppedClock, racingClock].map((clock) => {
      const { bot, session } = chat(fan, { clock, limits: { maxStepsPerReply: 40, maxMillisPerReply: 1_000_000 } });
      return bot.respond(session, 'go');
    });
    expect(answers[0]!.limitHit).toBe('steps');
    expect(answers[0]!.sentences[0]!.match.limit).toMatch(/more than 40 steps/);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('leaves the wall-clock limit as the last resort', () => {
    let now = 0;
    const clock = { now: () => (now += 10) };
    const { bot, session } = chat(fan, { clock, limits: { maxStepsPerReply: 1_000_000, maxMillisPerReply: 50 } });
    expect(bot.respond(session, 'go').limitHit).toBe('time');
  });

  it('takes per-reply limits over the compiled ones (a Platform changing them without recompiling)', () => {
    const { bot, session } = chat(fan + cat('TEACH *', '<learn><category><pattern><eval><star/></eval></pattern><template>x</template></category></learn>ok'));
    expect(bot.respond(session, 'go').limitHit).toBeUndefined();
    expect(bot.respond(session, 'go', { limits: { maxStepsPerReply: 20 } }).limitHit).toBe('steps');
    expect(bot.respond(session, 'go', { limits: { maxSraiDepth: 1 } }).limitHit).toBe('depth');
    bot.respond(session, 'teach one', { limits: { maxLearnedPerClient: 1 } });
    const refused = bot.respond(session, 'teach two', { limits: { maxLearnedPerClient: 1 } });
    expect(refused.sentences[0]!.match.limit).toMatch(/already learned 1 categories/);
    expect(session.learned).toHaveLength(1);
  });
});
