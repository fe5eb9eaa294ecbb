import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, needing, sharedBots } from '../../support/requirements.js';
import { DEFAULT_LIMITS, DEFAULT_LIMIT_RESPONSE, loadBotDirectory, type Bot } from '../../../aiml/index.js';

// Real bots from ../shared (third-party test data, never copied into the project).
const data = SHARED_DATA;

/** The longest input the Platform accepts (protocol limits, Pandorabots' 2,000 characters). */
const cap = (s: string) => s.slice(0, 2000);

/** Inputs built to make an engine recurse deeply, backtrack, or loop: each at most 2,000 characters. */
function hostileInputs(): Array<[string, string]> {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = readFileSync(join(data, 'inputs', 'inputs_gen1000.txt'), 'utf8').split('\n').filter((l) => l.trim());
  const words = [...new Set(lines.join(' ').split(/\s+/))];
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const inputs: Array<[string, string]> = [
    ['random words up to the size limit', cap(Array.from({ length: 500 }, () => pick(words)).join(' '))],
    ['one word a thousand times', cap('a '.repeat(1000))],
    ['a reduction repeated until the srai chain is too deep', cap('what is '.repeat(300))],
    ['i am, repeated', cap('i am '.repeat(400))],
    ['hundreds of sentences', cap('hello. '.repeat(300))],
    ['sentences of real inputs', cap(Array.from({ length: 60 }, () => pick(lines)).join('. '))],
    ['numbers (the number set)', cap(Array.from({ length: 400 }, (_, i) => String(i)).join(' '))],
    ['set members back to back', cap('one two three four five six seven eight nine ten eleven twelve '.repeat(30))],
    ['names back to back', cap('john mary james patricia robert jennifer michael linda '.repeat(40))],
    ['non-Latin scripts, combining marks and emoji', cap('你好 '.repeat(200) + '\u0301'.repeat(100) + '😀'.repeat(100))],
    ['punctuation only', cap('?!.,;:'.repeat(333))],
    ['markup', cap('<srai>x</srai> &amp; <![CDATA[ ]]> '.repeat(50))],
    ['a predicate set to a huge value', cap(`my name is ${'bob '.repeat(400)}`)],
  ];
  for (let k = 0; k < 100; k++) {
    const joined = Array.from({ length: 5 + Math.floor(random() * 60) }, () => pick(lines)).join(random() < 0.5 ? ' ' : ' and ');
    inputs.push([`real inputs run together #${k}`, cap(joined)]);
  }
  return inputs;
}

describe.skipIf(!sharedBots.met)(needing('hostile input against real bots', sharedBots), () => {
  const bots: Record<string, Bot> = {};
  beforeAll(async () => {
    bots.rosie = (await loadBotDirectory(join(data, 'aiml', 'rosie'))).bot;
    bots.alice = (await loadBotDirectory(join(data, 'aiml', 'alice-foundation'))).bot;
  });

  for (const name of ['rosie', 'alice']) {
    it(`${name}: every hostile input is answered within the time limit, a limit hit says so and gives the fallback`, () => {
      const bot = bots[name]!;
      const session = bot.createSession('hostile');
      const slow: string[] = [];
      let limitHits = 0;
      for (const [what, input] of hostileInputs()) {
        const started = performance.now();
        const reply = bot.respond(session, input, { random: () => 0.5 });
        const took = performance.now() - started;
        // The time limit is checked between srai steps, so a reply can overrun it by one step; twice is generous.
        if (took > DEFAULT_LIMITS.maxMillisPerReply * 2) slow.push(`${what}: ${took.toFixed(0)} ms`);
        // A limit hit answers with the fallback and says which limit, in the metadata of the sentence it cut short
        // (srai depth puts the fallback in place of the srai that hit it, the rest of the answer kept).
        if (reply.limitHit) {
          expect(reply.sentences.some((s) => s.text.includes(DEFAULT_LIMIT_RESPONSE) && s.match.limit !== undefined), what).toBe(true);
          limitHits++;
        }
      }
      expect(slow).toEqual([]);
      // Most hostile inputs are still answered; the limits catch the few built to run away.
      expect(limitHits).toBeLessThan(10);
      // The session still works normally afterwards.
      expect(bot.respond(session, 'hello', { random: () => 0 }).text.length).toBeGreaterThan(0);
    });
  }
});
