import { describe, expect, it } from 'vitest';
import { compileBot, DEFAULT_NO_MATCH_RESPONSE, type Bot, type BotFiles } from '../../../aiml/index.js';
import { aiml, cat } from './support.js';

const LIVE = 'aiml/pand_livetraining.aiml';

function baseBot(files: BotFiles | string): Bot {
  const result = compileBot(typeof files === 'string' ? { 'aiml/base.aiml': aiml(files) } : files, { botName: 'base' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.bot;
}

function overlay(base: Bot, categories: string): Bot {
  const result = base.withOverlay({ [LIVE]: aiml(categories) });
  expect(result.diagnostics).toEqual([]);
  return result.bot;
}

function say(bot: Bot, input: string, that?: string): string {
  return bot.respond(bot.createSession('u'), input, that === undefined ? {} : { that }).text;
}

describe('Bot.withOverlay', () => {
  it('lets an overlay category with the same pattern, that and topic replace the base one, and leaves the base bot as it was', () => {
    const base = baseBot(cat('HELLO', 'base hello') + cat('BYE', 'base bye'));
    const bot = overlay(base, cat('HELLO', 'learned hello'));
    expect(say(bot, 'hello')).toBe('learned hello');
    expect(say(bot, 'bye')).toBe('base bye');
    expect(bot.categoryCount).toBe(2);
    expect([...bot.categories()].map((c) => `${c.pattern} ${c.file}`)).toEqual(['BYE aiml/base.aiml', `HELLO ${LIVE}`]);
    expect(bot.category('HELLO')).toMatchObject({ file: LIVE, template: 'learned hello' });
    expect(bot.explain('hello')).toMatchObject({ pattern: 'HELLO', file: LIVE });
    expect(say(base, 'hello')).toBe('base hello');
    expect(base.categoryCount).toBe(2);
    expect(base.category('HELLO')).toMatchObject({ file: 'aiml/base.aiml' });
  });

  it('keeps the usual match order across both: the more specific category wins wherever it is', () => {
    const base = baseBot(cat('HELLO THERE', 'base exact') + cat('HOW *', 'base how') + cat('*', 'base default'));
    const bot = overlay(base, cat('HELLO *', 'learned hello star') + cat('HOW ARE YOU', 'learned exact') + cat('_ THERE', 'learned underscore'));
    expect(say(bot, 'hello you')).toBe('learned hello star');
    expect(say(bot, 'how are you')).toBe('learned exact');
    expect(say(bot, 'how old are you')).toBe('base how');
    // `_` comes before a word in AIML's order, even when the word is the base's.
    expect(say(bot, 'hello there')).toBe('learned underscore');
    expect(say(bot, 'something else')).toBe('base default');
  });

  it('lets srai from either side reach categories of both', () => {
    const base = baseBot(cat('HI', '<srai>GREETING</srai>') + cat('FAREWELL', 'base farewell'));
    const bot = overlay(base, cat('GREETING', 'learned greeting') + cat('CIAO', '<srai>FAREWELL</srai>'));
    const reply = bot.respond(bot.createSession('u'), 'hi');
    expect(reply.text).toBe('learned greeting');
    expect(reply.sentences[0]!.match).toMatchObject({ pattern: 'GREETING', file: LIVE, srai: ['GREETING'], matched: { pattern: 'HI', file: 'aiml/base.aiml' } });
    expect(say(bot, 'ciao')).toBe('base farewell');
    expect(say(base, 'hi')).toBe('');
  });

  it('matches that and topic across both graphs', () => {
    const base = baseBot(
      cat('YES', 'base yes') + cat('NO', 'base no about coffee', '<that>DO YOU LIKE COFFEE</that>') + cat('TOPIC', '<think><set name="topic">tea</set></think>topic set'),
    );
    const bot = overlay(base, cat('YES', 'learned yes to coffee', '<that>DO YOU LIKE COFFEE</that>') + cat('NO', 'learned plain no') + `<topic name="TEA">${cat('MORE', 'more tea')}</topic>` + cat('MORE', 'more what'));
    expect(say(bot, 'yes', 'Do you like coffee?')).toBe('learned yes to coffee');
    expect(say(bot, 'yes', 'Do you like tea?')).toBe('base yes');
    expect(say(bot, 'no', 'Do you like coffee?')).toBe('base no about coffee');
    expect(say(bot, 'no', 'Do you like tea?')).toBe('learned plain no');
    const session = bot.createSession('u');
    expect(bot.respond(session, 'more').text).toBe('more what');
    expect(bot.respond(session, 'topic').text).toBe('topic set');
    expect(bot.respond(session, 'more').text).toBe('more tea');
  });

  it('tries an overlay path through <that> before a base category without that, as one graph does', () => {
    const base = baseBot(cat('A', 'base plain'));
    const bot = overlay(base, cat('A', 'learned with that', '<that>* ^</that>'));
    expect(say(bot, 'a', 'anything at all')).toBe('learned with that');
    expect(say(compileBot({ 'aiml/base.aiml': aiml(cat('A', 'base plain')), [LIVE]: aiml(cat('A', 'learned with that', '<that>* ^</that>')) }).bot, 'a', 'anything at all')).toBe(
      'learned with that',
    );
  });

  it('tries a # of zero words at the end of a topic before the end itself, as one graph does', () => {
    const setTopic = cat('TEA TIME', '<think><set name="topic">tea</set></think>ok');
    const base = baseBot(setTopic + `<topic name="TEA">${cat('MORE', 'base tea')}</topic>`);
    const bot = overlay(base, `<topic name="TEA #">${cat('MORE', 'learned tea or more')}</topic>`);
    const session = bot.createSession('u');
    bot.respond(session, 'tea time');
    expect(bot.respond(session, 'more').text).toBe('learned tea or more');
  });

  it('orders sets by their whole name across both graphs, longest phrase first', () => {
    const sets = { 'sets/color.set': '[["red"], ["red", "wine"]]', 'sets/colour.set': '[["red", "wine"]]' };
    const base = baseBot({ 'aiml/base.aiml': aiml(cat('I LIKE <set>color</set>', 'base color <star/>')), ...sets });
    const bot = overlay(base, cat('I LIKE <set>colour</set>', 'learned colour <star/>'));
    // One graph tries "color" before "colour": the base's category answers although the overlay loaded later.
    expect(say(bot, 'I like red wine')).toBe('base color red wine');
    const reversed = overlay(baseBot({ 'aiml/base.aiml': aiml(cat('I LIKE <set>colour</set>', 'base colour')), ...sets }), cat('I LIKE <set>color</set>', 'learned color'));
    expect(say(reversed, 'I like red wine')).toBe('learned color');
  });

  it("uses the base's sets, maps, substitutions and properties, and ignores other files in the overlay with a warning", () => {
    const base = baseBot({
      'aiml/base.aiml': aiml(cat('X', 'x')),
      'sets/animal.set': '[["cat"], ["dog"]]',
      'maps/sound.map': '[["cat", "meow"]]',
      'system/base.properties': '[["name", "Robo"]]',
    });
    const result = base.withOverlay({ [LIVE]: aiml(cat('A <set>animal</set> SAYS', '<map name="sound"><star/></map>, says <bot name="name"/>')), 'sets/animal.set': '[["cow"]]' });
    expect(say(result.bot, 'a cat says')).toBe('meow, says Robo');
    expect(say(result.bot, 'a cow says')).toBe(DEFAULT_NO_MATCH_RESPONSE);
    expect(result.diagnostics).toEqual([expect.objectContaining({ file: 'sets/animal.set', severity: 'warning', message: expect.stringMatching(/adds AIML files only/) })]);
  });

  it("reports the overlay files' problems only, and skips a broken overlay file without losing the base", () => {
    const base = compileBot({ 'aiml/base.aiml': aiml(cat('HELLO', 'hi') + cat('HELLO', 'again')) }).bot;
    const broken = base.withOverlay({ [LIVE]: aiml(cat('HELLO', 'learned')) + '<oops', 'aiml/z.aiml': aiml(cat('X', '<unclosed>')) });
    expect(broken.diagnostics.map((d) => d.file)).not.toContain('aiml/base.aiml');
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ file: LIVE, severity: 'error', message: 'the file is not well-formed XML and was not loaded' }));
    expect(say(broken.bot, 'hello')).toBe('again');
    expect(broken.bot.categoryCount).toBe(1);
  });

  it('keeps <learnf> in the derived bot out of the shared base', () => {
    const teach = cat('TEACH *', '<learnf><category><pattern><eval><star/></eval></pattern><template>taught</template></category></learnf>ok');
    const base = baseBot(teach + cat('SKY', 'base sky'));
    const bot = overlay(base, cat('GRASS', 'learned grass'));
    expect(say(bot, 'teach sky')).toBe('ok');
    expect(say(bot, 'teach grass')).toBe('ok');
    expect(say(bot, 'sky')).toBe('taught');
    expect(say(bot, 'grass')).toBe('taught');
    expect(bot.categoryCount).toBe(3);
    expect(say(base, 'sky')).toBe('base sky');
    expect(base.categoryCount).toBe(2);
    expect(base.data.learnf.categoriesXml).toEqual([]);
  });

  it("lets a client's own <learn> categories win a tie against the overlay", () => {
    const base = baseBot(cat('LEARN IT', '<learn><category><pattern>HELLO</pattern><template>my own hello</template></category></learn>learned'));
    const bot = overlay(base, cat('HELLO', 'overlay hello'));
    const session = bot.createSession('u');
    expect(bot.respond(session, 'hello').text).toBe('overlay hello');
    bot.respond(session, 'learn it');
    expect(bot.respond(session, 'hello').text).toBe('my own hello');
  });

  it('builds on a bot that already has an overlay, sharing it', () => {
    const base = baseBot(cat('A', 'base a') + cat('B', 'base b') + cat('C', 'base c'));
    const once = overlay(base, cat('A', 'first a') + cat('B', 'first b'));
    const twice = once.withOverlay({ 'aiml/zz.aiml': aiml(cat('B', 'second b')) }).bot;
    expect(['a', 'b', 'c'].map((i) => say(twice, i))).toEqual(['first a', 'second b', 'base c']);
    expect(twice.categoryCount).toBe(3);
    expect(['a', 'b', 'c'].map((i) => say(once, i))).toEqual(['first a', 'first b', 'base c']);
  });
});
