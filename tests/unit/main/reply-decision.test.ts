import { describe, expect, it } from 'vitest';
import { compileBot } from '../../../aiml/index.js';
import { decideCategory } from '../../../main/workspace/reply-decision.js';
import { message } from './support/fixtures.js';

// A bot with the usual contraction substitutions, as the starter bot has.
const { bot } = compileBot({ 'substitutions/normal.substitution': JSON.stringify([[" what's ", ' what is '], [" i'm ", ' i am ']]) });

describe('which category a designer reply teaches', () => {
  it("uses the user's input, normalised with the bot's substitutions", () => {
    const before = [message('c', 1, 'user', "What's a flux capacitor?"), message('c', 2, 'bot', 'I have no answer for that.')];
    expect(decideCategory(before, bot, false)).toEqual({ capture: true, pattern: 'WHAT IS A FLUX CAPACITOR', that: '*', topic: '*', inputSeq: 1 });
  });

  it('uses the last of several user messages', () => {
    const before = [message('c', 1, 'user', 'hello'), message('c', 2, 'user', 'anyone there?')];
    expect(decideCategory(before, bot, false)).toMatchObject({ pattern: 'ANYONE THERE', inputSeq: 2 });
  });

  it('uses the last sentence of an input of several', () => {
    const before = [message('c', 1, 'user', "Hi. I'm new here. What can you do?")];
    expect(decideCategory(before, bot, false)).toMatchObject({ pattern: 'WHAT CAN YOU DO' });
  });

  it("takes <that> from the reply the user was answering, the bot's or a designer's, ignoring notices", () => {
    const afterBot = [message('c', 1, 'bot', 'Do you like robots? I do.'), message('c', 2, 'user', 'yes')];
    expect(decideCategory(afterBot, bot, true)).toMatchObject({ pattern: 'YES', that: 'I DO' });
    const afterHuman = [
      message('c', 1, 'user', 'hi'),
      message('c', 2, 'system', 'A human is taking over.', { notice: 'paused' }),
      message('c', 3, 'human', 'Shall I book it?'),
      message('c', 4, 'system', 'The bot is back.', { notice: 'reactivated' }),
      message('c', 5, 'user', 'yes please'),
    ];
    expect(decideCategory(afterHuman, bot, true)).toMatchObject({ pattern: 'YES PLEASE', that: 'SHALL I BOOK IT' });
    expect(decideCategory(afterHuman, bot, false)).toMatchObject({ that: '*' });
  });

  it('leaves <that> as * when nothing was said before the input', () => {
    expect(decideCategory([message('c', 1, 'user', 'hello')], bot, true)).toMatchObject({ that: '*' });
  });

  it('captures nothing when the reply answers no user input, or an input without words', () => {
    expect(decideCategory([], bot, true)).toEqual({ capture: false, reason: 'the reply does not answer any user input' });
    expect(decideCategory([message('c', 1, 'system', 'paused', { notice: 'paused' })], bot, true).capture).toBe(false);
    expect(decideCategory([message('c', 1, 'user', '?!')], bot, true)).toEqual({ capture: false, reason: 'the user input has no words to match' });
  });
});
