import { describe, expect, it } from 'vitest';
import { compileBot, type Bot } from '../../../../aiml/index.js';
import { LearnedLayer } from '../../../../aiml/learned/index.js';
import { markFirstWord, prioritise } from '../../../../server/training/learned-priority.js';

const aiml = (categories: string) => `<?xml version="1.0" encoding="UTF-8"?><aiml version="2.0">${categories}</aiml>`;
const cat = (pattern: string, template: string) => `<category><pattern>${pattern}</pattern><template>${template}</template></category>`;

/** A bot with a `_` category that takes every "... HAS LIVED" input, as ALICE's does. */
const base: Bot = compileBot({
  'aiml/bot.aiml': aiml(cat('_ HAS LIVED', '<srai>LIVED</srai>') + cat('LIVED', 'Where?') + cat('HELLO *', 'Hi.') + cat('*', 'I do not understand.')),
}).bot;

/** What a new user asking `input` hears once the category is live on top of the bot. */
function answerWith(spec: { pattern: string; template: string }, input: string): string {
  const layer = LearnedLayer.on(base);
  expect(layer.put(spec).ok).toBe(true);
  return layer.bot.respond(layer.bot.createSession('new'), input, { now: 0, random: () => 0 }).text;
}

const learned = (pattern: string, input: string) => ({ pattern, that: '*', topic: '*', template: 'Trained.', input });

describe('a learned category answers the input it was learned from', () => {
  it('a bot category that takes the input first (_ HAS LIVED) is outranked by marking the first word $, and named', () => {
    expect(answerWith({ pattern: 'JOHN HAS LIVED', template: 'Trained.' }, 'John has lived')).toBe('Where?');
    const outcome = prioritise(base, learned('JOHN HAS LIVED', 'John has lived'));
    expect(outcome.fields.pattern).toBe('$JOHN HAS LIVED');
    expect(outcome.priorityOver).toMatchObject({ pattern: '_ HAS LIVED', file: 'aiml/bot.aiml' });
    expect(answerWith({ pattern: outcome.fields.pattern, template: 'Trained.' }, 'John has lived')).toBe('Trained.');
  });

  it('a category that already answers its input is left exactly as it is', () => {
    const outcome = prioritise(base, learned('HELLO THERE', 'Hello there'));
    expect(outcome).toEqual({ fields: { pattern: 'HELLO THERE', that: '*', topic: '*', template: 'Trained.' } });
  });

  it('a $ the Platform added is taken off when the new pattern no longer needs it', () => {
    const outcome = prioritise(base, { ...learned('$HELLO THERE', 'Hello there'), priorityOver: { pattern: '_ HAS LIVED', that: '*', topic: '*', file: 'aiml/bot.aiml' } });
    expect(outcome.fields.pattern).toBe('HELLO THERE');
    expect(outcome.priorityOver).toBeUndefined();
  });

  it('a designer’s own $ is kept; a pattern starting with a wildcard, and one with no input, are not marked', () => {
    expect(prioritise(base, learned('$JOHN HAS LIVED', 'John has lived')).fields.pattern).toBe('$JOHN HAS LIVED');
    expect(prioritise(base, learned('* HAS LIVED', 'John has lived'))).toEqual({ fields: { pattern: '* HAS LIVED', that: '*', topic: '*', template: 'Trained.' } });
    expect(prioritise(base, { ...learned('JOHN HAS LIVED', ''), input: undefined }).fields.pattern).toBe('JOHN HAS LIVED');
    expect(prioritise(undefined, learned('JOHN HAS LIVED', 'John has lived')).fields.pattern).toBe('JOHN HAS LIVED');
  });

  it('marks only a plain first word', () => {
    expect(markFirstWord('JOHN HAS LIVED')).toBe('$JOHN HAS LIVED');
    for (const pattern of ['_ HAS LIVED', '* X', '# X', '^ X', '$X', '<set>color</set> X', '']) expect(markFirstWord(pattern)).toBeUndefined();
  });
});
