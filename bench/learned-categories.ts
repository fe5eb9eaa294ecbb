// Learned categories as a busy Live Training bot collects them, generated from the real user-input lists in
// ../shared/data/inputs (read from there, never copied): shared by `npm run bench:learned` and the ALICE tests of
// aiml/learned. Deterministic (seeded), so runs and tests see the same categories.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bot } from '../aiml/index.js';
import { seededRandom } from '../tests/support/seeded-random.js';

export interface GeneratedCategory {
  pattern: string;
  that: string;
  topic: string;
  template: string;
  /** The user's message as typed, as a capture records it. */
  source: { input: string };
}

const THATS = ['DO YOU WANT A BROCHURE', 'SHALL I CALL YOU BACK', 'IS THAT ALL', 'DID THAT HELP'];
const SHORT_REPLIES = ['yes', 'no', 'why', 'ok', 'sure', 'maybe', 'thanks', 'yes please', 'no thanks', 'really'];

/** The input lines of ../shared/data/inputs (10k list first, then the 1,000 list). */
export function sharedInputs(dataDir: string): string[] {
  return ['inputs_gen10k.txt', 'inputs_gen1000.txt'].flatMap((f) => readFileSync(join(dataDir, 'inputs', f), 'utf8').split('\n').filter((l) => l.trim().length > 0));
}

/**
 * `count` distinct categories for `bot`: most are a user input normalised as the bot matches it (many of them equal
 * to one of the bot's own patterns, as captures often are), some broadened with a wildcard, some short replies
 * that need a <that>. Templates are plain text, some with a <srai> or a <star/>.
 */
export function generateLearnedCategories(bot: Bot, inputs: readonly string[], count: number, seed = 13): GeneratedCategory[] {
  const random = seededRandom(seed);
  const out: GeneratedCategory[] = [];
  const seen = new Set<string>();
  const add = (c: GeneratedCategory) => {
    const key = `${c.pattern}\u0000${c.that}`;
    if (seen.has(key) || out.length >= count) return;
    seen.add(key);
    out.push(c);
  };
  for (let round = 0; out.length < count && round < 50; round++) {
    for (const input of inputs) {
      if (out.length >= count) break;
      const sentence = bot.normalize(input).at(-1);
      if (sentence === undefined) continue;
      const words = sentence.split(' ');
      const n = out.length;
      const r = random();
      if (round > 0 || r < 0.08) {
        // A broadened pattern: the designer kept the first words and let the rest vary.
        if (words.length < 2) continue;
        const keep = Math.max(1, words.length - 1 - Math.floor(random() * Math.min(3, words.length - 1)));
        const wildcard = random() < 0.5 ? '*' : '^';
        add({ pattern: `${words.slice(0, keep).join(' ')} ${wildcard}`, that: '*', topic: '*', template: `Learned ${n}: about <star/>.`, source: { input } });
      } else if (r < 0.11) {
        const reply = SHORT_REPLIES[Math.floor(random() * SHORT_REPLIES.length)]!;
        add({ pattern: reply.toUpperCase(), that: THATS[Math.floor(random() * THATS.length)]!, topic: '*', template: `Learned ${n}: noted.`, source: { input: reply } });
      } else if (r < 0.15) {
        add({ pattern: sentence, that: '*', topic: '*', template: `Learned ${n}. <srai>HELLO</srai>`, source: { input } });
      } else {
        add({ pattern: sentence, that: '*', topic: '*', template: `Learned answer ${n} for ${sentence.toLowerCase()}.`, source: { input } });
      }
    }
  }
  return out;
}
