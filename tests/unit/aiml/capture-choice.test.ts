import { describe, expect, it } from 'vitest';
import { compileBot, type Bot } from '../../../aiml/index.js';
import { captureNormaliser, chooseCapture, type CaptureMessage } from '../../../aiml/learned/capture-choice.js';
import { aiml, cat } from './support.js';

const bot: Bot = compileBot({
  'aiml/shop.aiml': aiml([cat('*', 'Sorry, I do not know.'), cat('I LIVE IN *', 'Nice place!'), cat('HELLO', 'Hi there!'), cat('BROCHURE', 'Do you want a brochure?')].join('\n')),
  'substitutions/normal.substitution': '[[" what\'s ", " what is "]]',
}).bot;
const normaliser = captureNormaliser(bot);

/** A conversation where the bot really answered each user message (with its match metadata), as the Platform stores it. */
class Conversation {
  readonly messages: CaptureMessage[] = [];
  private readonly session = bot.createSession('u');
  user(text: string, botAnswers = true): this {
    this.messages.push({ seq: this.messages.length + 1, author: 'user', text });
    if (botAnswers) {
      const reply = bot.respond(this.session, text);
      this.messages.push({ seq: this.messages.length + 1, author: 'bot', text: reply.text, match: reply.sentences.map((s) => s.match) });
    }
    return this;
  }
  human(text: string): this {
    this.messages.push({ seq: this.messages.length + 1, author: 'human', text });
    return this;
  }
  system(text: string): this {
    this.messages.push({ seq: this.messages.length + 1, author: 'system', text });
    return this;
  }
  choice() {
    return chooseCapture(this.messages, normaliser);
  }
}

describe('chooseCapture: which input a designer reply answers', () => {
  it('captures the sentence the bot fell back on, not the one it answered: "Do you deliver? I live in Lyon."', () => {
    const choice = new Conversation().user('Do you deliver? I live in Lyon.').choice();
    expect(choice.chosen).toEqual([{ pattern: 'DO YOU DELIVER', seq: 1, sentence: 0, status: 'fellBack', question: true, that: '*' }]);
    expect(choice.that).toBe('*');
    expect(choice.candidates.map((c) => [c.pattern, c.status])).toEqual([
      ['DO YOU DELIVER', 'fellBack'],
      ['I LIVE IN LYON', 'answered'],
    ]);
  });

  it('captures the question of two messages sent while paused, not the later "Hello"', () => {
    const choice = new Conversation().user('hi').human('Hello, how can I help?').system('paused').user('What are your opening hours?', false).user('Hello', false).choice();
    expect(choice.chosen.map((c) => [c.pattern, c.seq, c.status])).toEqual([['WHAT ARE YOUR OPENING HOURS', 5, 'unanswered']]);
    expect(choice.that).toBe('*');
  });

  it('captures "yes" with the question the bot asked as its that', () => {
    const choice = new Conversation().user('brochure').user('yes').choice();
    expect(choice.chosen.map((c) => c.pattern)).toEqual(['YES']);
    expect(choice.that).toBe('DO YOU WANT A BROCHURE');
  });

  it("captures a short reply to the designer's own question with that question as its that", () => {
    const choice = new Conversation().user('help').human('Sure. Shall I call you back?').user('ok', false).choice();
    expect(choice.chosen.map((c) => c.pattern)).toEqual(['OK']);
    expect(choice.that).toBe('SHALL I CALL YOU BACK');
  });

  it('uses no that for a longer input, even one starting with a short word', () => {
    expect(new Conversation().user('brochure').user('yes I would like one').choice().that).toBe('*');
  });

  it('prefers a question by its first word when there is no question mark', () => {
    const choice = new Conversation().user('my parcel is late. where is it').choice();
    expect(choice.chosen.map((c) => c.pattern)).toEqual(['WHERE IS IT']);
  });

  it('takes the last sentence when none of them is a question', () => {
    const choice = new Conversation().user('My parcel is late', false).user('I am annoyed', false).choice();
    expect(choice.chosen.map((c) => c.pattern)).toEqual(['I AM ANNOYED']);
  });

  it('never chooses a sentence the bot answered with one of its categories', () => {
    const choice = new Conversation().user('Hello').choice();
    expect(choice.chosen).toEqual([]);
    expect(choice.that).toBe('*');
    expect(choice.candidates.map((c) => c.pattern)).toEqual(['HELLO']);
  });

  it('ignores what came before the last human answer', () => {
    const choice = new Conversation().user('What is the price?').human('10 euros.').user('Do you ship abroad?').choice();
    expect(choice.candidates.map((c) => c.pattern)).toEqual(['DO YOU SHIP ABROAD']);
  });

  it("normalises as the bot matches, with its substitutions: what's becomes WHAT IS", () => {
    const choice = new Conversation().user("What's the price?").choice();
    expect(choice.chosen.map((c) => c.pattern)).toEqual(['WHAT IS THE PRICE']);
  });
});
