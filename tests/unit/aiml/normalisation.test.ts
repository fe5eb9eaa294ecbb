import { describe, expect, it } from 'vitest';
import { Normalizer } from '../../../aiml/normalizer.js';
import { SequentialSubstituter, Substituter } from '../../../aiml/substitutions.js';
import { aiml, cat, chat } from './support.js';

describe('substitutions', () => {
  it('replaces the longest match at each position, case-insensitively, in one pass', () => {
    const s = new Substituter([
      [" i'm ", ' I am '],
      [' i ', ' me '],
      [' me ', ' you '],
      ['%20', ' '],
    ]);
    expect(s.apply("I'm here")).toBe('I am here');
    // " i " becomes " me " and that " me " is not substituted again.
    expect(s.apply('i do')).toBe('me do');
    expect(s.apply('a%20b')).toBe('a b');
  });

  it('lets two padded words that touch share their space', () => {
    const s = new Substituter([
      [' you ', ' me '],
      [' are ', ' am '],
    ]);
    expect(s.apply('you are you')).toBe('me am me');
  });

  it('applies template-side lists pair after pair, as Program AB does', () => {
    const s = new SequentialSubstituter([
      [' my ', ' your2 '],
      [' your ', ' my2 '],
      [' your2 ', ' your '],
      [' my2 ', ' my '],
    ]);
    expect(s.apply('my cat and your dog')).toBe('your cat and my dog');
  });
});

describe('input normalisation', () => {
  it('splits sentences on the default splitters and removes punctuation', () => {
    const n = new Normalizer(new Substituter([]));
    expect(n.sentences('Hi!  How are you?? Fine, thanks. 你好。').map((s) => s.upper.join(' '))).toEqual(['HI', 'HOW ARE YOU', 'FINE THANKS', '你好']);
  });

  it('honours the sentence-splitters property', () => {
    const { bot } = chat({ 'aiml/t.aiml': aiml(cat('X', 'x')), 'system/b.properties': '[["sentence-splitters", ";"]]' });
    expect(bot.normalize('one. two; three')).toEqual(['ONE TWO', 'THREE']);
  });

  it('applies normal substitutions before splitting, so abbreviations survive', () => {
    const { bot } = chat({ 'aiml/t.aiml': aiml(cat('X', 'x')), 'substitutions/normal.substitution': '[[" dr. ", " Doctor "], [" wanna ", " want to "]]' });
    expect(bot.normalize('I wanna see Dr. Who.')).toEqual(['I WANT TO SEE DOCTOR WHO']);
  });

  it('keeps the user spelling for stars while matching in upper case', () => {
    const { say } = chat(cat('CALL ME *', 'OK, <star/>.'));
    expect(say('call me McEnroe')).toBe('OK, McEnroe.');
  });

  it('normalises that without markup, using the last sentence', () => {
    const { bot } = chat(cat('X', 'x'));
    expect(bot.normalizeThat('Sure! <button>Yes</button> Do you like <b>tea</b>?')).toBe('YES DO YOU LIKE TEA');
    expect(bot.normalizeThat('')).toBe('');
  });

  it('gives an empty reply without sentences for an input with no words', () => {
    const { bot, session } = chat(cat('*', 'udc'));
    expect(bot.respond(session, '?!  ...')).toEqual({ text: '', sentences: [] });
  });
});

describe('normalised input as a pattern', () => {
  it('removes the characters that mean something in a pattern or in XML', () => {
    const { bot } = chat(cat('X', 'x'));
    expect(bot.normalize('I <3 you & $5 ^_^ a*b #1 x=y')).toEqual(['I 3 YOU 5 A B 1 X Y']);
  });
});
