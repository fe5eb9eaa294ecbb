import { describe, expect, it } from 'vitest';
import { compileBot, loadBotDirectory } from '../../../../aiml/index.js';
import { newBotFiles } from '../../../../server/bots/new-bot-files.js';
import { STARTER_BOT, readStarterBotFiles, starterBotSource } from '../../../../server/bots/starter-bot.js';

describe('the starter bot', () => {
  it('compiles without errors or warnings, in the Pandorabots layout', async () => {
    const { bot, diagnostics } = await loadBotDirectory(starterBotSource(), { botName: STARTER_BOT });
    expect(diagnostics).toEqual([]);
    expect(bot.property('name')).toBe('Starter');
    expect(Object.keys(readStarterBotFiles()).sort()).toEqual([
      'aiml/starter.aiml',
      'aiml/udc.aiml',
      'substitutions/denormal.substitution',
      'substitutions/gender.substitution',
      'substitutions/normal.substitution',
      'substitutions/person.substitution',
      'substitutions/person2.substitution',
      'system/starter.pdefaults',
      'system/starter.properties',
    ]);
  });

  it.each([
    ['Hello!', /I am Starter/],
    ['hi there', /Starter/],
    ["Who're you?", /starter bot of Live Training Studio/],
    ['Who are you?', /starter bot of Live Training Studio/],
    ["What's your name?", /My name is Starter/],
    ['What can you do?', /explain Live Training/],
    ['What is Live Training?', /step in where I am weak/],
    ['How does Live Training work?', /I pause/],
    ["What's AIML", /Markup Language/],
    ['Are you a robot?', /chatbot/],
    ['Can I talk to a human?', /team/],
    ['Thanks!', /welcome/],
    ['Bye', /Goodbye/],
  ])('answers %j itself', async (input, expected) => {
    const { bot } = await loadBotDirectory(starterBotSource(), { botName: STARTER_BOT });
    const reply = bot.respond(bot.createSession('t'), input, { random: () => 0 });
    expect(reply.text).toMatch(expected);
    expect(reply.sentences.map((s) => s.match.defaultCategory)).toEqual(reply.sentences.map(() => false));
  });

  it('says plainly that it does not know, from its default category', async () => {
    const { bot } = await loadBotDirectory(starterBotSource(), { botName: STARTER_BOT });
    const reply = bot.respond(bot.createSession('t'), 'What is the capital of Peru?', { random: () => 0 });
    expect(reply.text).toMatch(/do not know|not learned/);
    expect(reply.sentences[0]!.match.defaultCategory).toBe(true);
  });

  it('remembers the user\'s name, and says when it was not told', async () => {
    const { bot } = await loadBotDirectory(starterBotSource(), { botName: STARTER_BOT });
    const session = bot.createSession('t');
    expect(bot.respond(session, 'What is my name?').text).toBe('You have not told me your name yet.');
    expect(bot.respond(session, 'My name is Ada').text).toBe('Nice to meet you, Ada.');
    expect(bot.respond(session, 'What is my name?').text).toBe('Your name is Ada.');
  });

  it('gives a new API bot Pandorabots\' starting files, which compile and answer from udc.aiml', () => {
    const files = newBotFiles('mybot');
    expect(Object.keys(files).sort()).toEqual([
      'aiml/udc.aiml',
      'substitutions/denormal.substitution',
      'substitutions/gender.substitution',
      'substitutions/normal.substitution',
      'substitutions/person.substitution',
      'substitutions/person2.substitution',
      'system/mybot.pdefaults',
      'system/mybot.properties',
    ]);
    const { bot, diagnostics } = compileBot(files, { botName: 'mybot' });
    expect(diagnostics).toEqual([]);
    expect(bot.property('name')).toBe('mybot');
    const reply = bot.respond(bot.createSession('t'), 'anything at all');
    expect(reply.sentences[0]!.match.defaultCategory).toBe(true);
  });
});
