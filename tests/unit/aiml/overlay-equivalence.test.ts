/**
 * Property: bot.withOverlay(files) behaves exactly like one bot compiled with those files loaded last. Random small
 * bots (every wildcard kind, priority words, two sets whose names share their first letters, that, topic, srai,
 * duplicates of base categories in the overlay) are compared on random conversations: replies with all their
 * metadata, explain, categories(), category() and categoryCount must be identical.
 */
import { describe, expect, it } from 'vitest';
import { compileBot, type Bot, type BotFiles, type CompileOptions } from '../../../aiml/index.js';
import { aiml } from './support.js';
import { seededRandom } from '../../support/seeded-random.js';

const WORDS = ['A', 'B', 'C', 'D'];
/** "color" and "colour" agree on their first four letters: their order must still be the one graph's order. */
const SETS: BotFiles = { 'sets/color.set': '[["a"], ["a", "b"]]', 'sets/colour.set': '[["b"], ["a", "b", "c"]]' };

interface Spec {
  pattern: string;
  that?: string;
  topic?: string;
}

class Generator {
  private readonly random: () => number;
  private nextId = 0;
  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  words(min: number, max: number): string {
    const n = min + Math.floor(this.random() * (max - min + 1));
    return Array.from({ length: n }, () => this.pick(WORDS)).join(' ');
  }

  token(sets: boolean): string {
    const r = this.random() * (sets ? 1 : 0.88);
    if (r < 0.45) return this.pick(WORDS);
    if (r < 0.5) return '$' + this.pick(WORDS);
    if (r < 0.58) return '#';
    if (r < 0.66) return '_';
    if (r < 0.76) return '^';
    if (r < 0.88) return '*';
    return this.pick(['<set>color</set>', '<set>colour</set>']);
  }

  /** Sets only where the pattern is an element: a topic written as an attribute cannot hold one. */
  patternText(maxTokens: number, sets = true): string {
    const n = 1 + Math.floor(this.random() * maxTokens);
    return Array.from({ length: n }, () => this.token(sets)).join(' ');
  }

  spec(): Spec {
    const spec: Spec = { pattern: this.patternText(3) };
    if (this.chance(0.3)) spec.that = this.patternText(2);
    if (this.chance(0.2)) spec.topic = this.patternText(2, false);
    return spec;
  }

  /**
   * A category close to another one, where the order between two graphs is easy to get wrong: a zero-width
   * wildcard added at the end of its pattern, that or topic, the other set of the two, or another that or topic.
   */
  variant(spec: Spec): Spec {
    const v = { ...spec };
    const r = this.random();
    if (r < 0.45) {
      const field = this.pick(['pattern', 'that', 'topic'] as const);
      v[field] = `${v[field] ?? '*'} ${this.pick(['#', '^'])}`;
    } else if (r < 0.7 && /<set>/.test(v.pattern)) {
      v.pattern = v.pattern.replace(/<set>(colou?r)<\/set>/, (_m, name: string) => `<set>${name === 'color' ? 'colour' : 'color'}</set>`);
    } else if (r < 0.85) v.that = this.patternText(2);
    else v.topic = this.patternText(2, false);
    return v;
  }

  /** A template that shows which category answered and what it captured, sometimes with srai or a topic change. */
  template(): string {
    const id = `R${this.nextId++}`;
    let t = `${id} ${this.words(0, 2)}`;
    if (this.chance(0.5)) t += ' [<star/>]';
    if (this.chance(0.2)) t += ' [<thatstar/>] [<topicstar/>]';
    if (this.chance(0.2)) t += ` <srai>${this.words(1, 3)}</srai>`;
    if (this.chance(0.1)) t += ' <sr/>';
    if (this.chance(0.15)) t += `<think><set name="topic">${this.words(1, 2)}</set></think>`;
    if (this.chance(0.05)) t += ' size <size/> vocabulary <vocabulary/>';
    if (this.chance(0.3)) t += `. ${this.words(1, 3)}`;
    return t;
  }

  category(spec: Spec): string {
    const that = spec.that === undefined ? '' : `<that>${spec.that}</that>`;
    const body = `<category><pattern>${spec.pattern}</pattern>${that}<template>${this.template()}</template></category>`;
    return spec.topic === undefined ? body : `<topic name="${spec.topic}">${body}</topic>`;
  }

  input(): string {
    const sentences = this.chance(0.2) ? 2 : 1;
    return Array.from({ length: sentences }, () => this.words(1, 4)).join('. ');
  }
}

interface Case {
  base: BotFiles;
  overlay: BotFiles;
  inputs: string[];
}

function generateCase(seed: number): Case {
  const g = new Generator(seed);
  const baseSpecs = Array.from({ length: 4 + Math.floor(g.pick([0, 4, 8, 12])) }, () => g.spec());
  const fileA = baseSpecs.filter((_, i) => i % 2 === 0);
  const fileB = baseSpecs.filter((_, i) => i % 2 === 1);
  if (g.chance(0.5)) fileA.push({ pattern: '*' });
  // The overlay: some categories exactly like the base's (they must replace them), some new, some repeated.
  const overlaySpecs: Spec[] = [];
  const overlaySize = 1 + Math.floor(g.pick([0, 2, 4, 6]));
  for (let i = 0; i < overlaySize; i++) {
    const r = g.pick([0, 1, 2, 3, 4]);
    overlaySpecs.push(r < 2 ? { ...g.pick(baseSpecs) } : r < 4 ? g.variant(g.pick(baseSpecs)) : g.spec());
  }
  if (g.chance(0.2)) overlaySpecs.push({ ...g.pick(overlaySpecs) });
  if (g.chance(0.2)) overlaySpecs.push({ pattern: '*' });
  const xml = (specs: Spec[]) => aiml(specs.map((s) => g.category(s)).join('\n'));
  const base: BotFiles = { ...SETS, 'aiml/a.aiml': xml(fileA), 'aiml/b.aiml': xml(fileB) };
  const overlayFiles = g.chance(0.5) ? ['aiml/pand_livetraining.aiml'] : ['aiml/y.aiml', 'aiml/z.aiml'];
  const overlay: BotFiles = {};
  overlayFiles.forEach((file, i) => {
    overlay[file] = xml(overlaySpecs.filter((_, j) => j % overlayFiles.length === i));
  });
  return { base, overlay, inputs: Array.from({ length: 10 }, () => g.input()) };
}

// A clock that never moves: no reply can run out of time differently in the two bots.
const OPTIONS: CompileOptions = { botName: 'prop', clock: { now: () => 0 }, limits: { maxSraiDepth: 6, maxSraiCount: 30 } };

function conversation(bot: Bot, inputs: readonly string[]) {
  const session = bot.createSession('user');
  return inputs.map((input) => bot.respond(session, input, { now: 0, random: () => 0 }));
}

function explained(bot: Bot, inputs: readonly string[]) {
  return inputs.flatMap((input) => [bot.explain(input), bot.explain(input, { that: 'a b', topic: 'c' }), bot.explain(input, { that: input })]);
}

function compare(seed: number): void {
  const { base, overlay, inputs } = generateCase(seed);
  const merged = compileBot({ ...base, ...overlay }, OPTIONS).bot;
  const layered = compileBot(base, OPTIONS).bot.withOverlay(overlay).bot;
  const where = `seed ${seed}:\n${Object.entries({ ...base, ...overlay })
    .filter(([p]) => p.endsWith('.aiml'))
    .map(([p, t]) => `${p}\n${String(t)}`)
    .join('\n')}\ninputs: ${JSON.stringify(inputs)}`;
  expect(conversation(layered, inputs), where).toEqual(conversation(merged, inputs));
  expect(explained(layered, inputs), where).toEqual(explained(merged, inputs));
  const categories = [...merged.categories()];
  expect([...layered.categories()], where).toEqual(categories);
  expect(layered.categoryCount, where).toBe(merged.categoryCount);
  for (const c of categories) expect(layered.category(c.pattern, c.that, c.topic), where).toEqual(c);
  // Two overlay files as two overlays, one on the other: still as if both were loaded last, in that order.
  const files = Object.keys(overlay);
  if (files.length === 2) {
    const twice = compileBot(base, OPTIONS).bot.withOverlay({ [files[0]!]: overlay[files[0]!]! }).bot.withOverlay({ [files[1]!]: overlay[files[1]!]! }).bot;
    expect(conversation(twice, inputs), `${where}\n(overlay on overlay)`).toEqual(conversation(merged, inputs));
    expect([...twice.categories()], `${where}\n(overlay on overlay)`).toEqual(categories);
    expect(twice.categoryCount, `${where}\n(overlay on overlay)`).toBe(merged.categoryCount);
  }
}

describe('a bot with an overlay answers as if the overlay files were loaded last', () => {
  it('gives the same replies, matches, categories and counts as one compiled bot on 400 random bots (also as an overlay on an overlay)', () => {
    for (let seed = 1; seed <= Number(process.env.SEEDS ?? 400); seed++) compare(seed);
  });

  it('stays the same after <learnf> taught both bots the same category', () => {
    const learnf = '<category><pattern>TEACH *</pattern><template><learnf><category><pattern><eval><star/></eval></pattern><template>taught</template></category></learnf>ok</template></category>';
    for (let seed = 401; seed <= 440; seed++) {
      const { base, overlay, inputs } = generateCase(seed);
      const withTeacher = { ...base, 'aiml/teacher.aiml': aiml(learnf) };
      const merged = compileBot({ ...withTeacher, ...overlay }, OPTIONS).bot;
      const layered = compileBot(withTeacher, OPTIONS).bot.withOverlay(overlay).bot;
      const lessons = inputs.slice(0, 3).map((i) => `teach ${i.split('.')[0]}`);
      expect(conversation(layered, [...lessons, ...inputs]), `seed ${seed}`).toEqual(conversation(merged, [...lessons, ...inputs]));
      expect([...layered.categories()], `seed ${seed}`).toEqual([...merged.categories()]);
      expect(layered.categoryCount, `seed ${seed}`).toBe(merged.categoryCount);
    }
  });
});
