/**
 * Property: a LearnedLayer on a compiled bot answers exactly like the bot compiled with the same categories in
 * `pand_livetraining.aiml` (loaded last by the normal loader), after every add, replace and remove. Random small bots
 * (every wildcard kind, priority words, two sets, that, topic, srai, <size/> and <vocabulary/>, learned categories
 * equal to base ones) are compared on random conversations: replies with their metadata, explain, categories and counts.
 */
import { describe, expect, it } from 'vitest';
import { compileBot, serializeCategories, type Bot, type BotFiles, type CategorySpec, type CompileOptions, type Reply } from '../../../aiml/index.js';
import { LearnedLayer } from '../../../aiml/learned/index.js';
import { aiml } from './support.js';
import { seededRandom } from '../../support/seeded-random.js';

const WORDS = ['A', 'B', 'C', 'D'];
const SETS: BotFiles = { 'sets/color.set': '[["a"], ["a", "b"]]', 'sets/colour.set': '[["b"], ["a", "b", "c"]]' };

type Shape = Omit<CategorySpec, 'template'>;

class Generator {
  readonly random: () => number;
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
  token(): string {
    const r = this.random();
    if (r < 0.45) return this.pick(WORDS);
    if (r < 0.5) return '$' + this.pick(WORDS);
    if (r < 0.58) return '#';
    if (r < 0.66) return '_';
    if (r < 0.76) return '^';
    if (r < 0.88) return '*';
    return this.pick(['<set>color</set>', '<set>colour</set>']);
  }
  patternText(maxTokens: number): string {
    const n = 1 + Math.floor(this.random() * maxTokens);
    return Array.from({ length: n }, () => this.token()).join(' ');
  }
  shape(): Shape {
    const s: Shape = { pattern: this.patternText(3) };
    if (this.chance(0.3)) s.that = this.patternText(2);
    if (this.chance(0.2)) s.topic = this.patternText(2);
    return s;
  }
  variant(s: Shape): Shape {
    const v = { ...s };
    const field = this.pick(['pattern', 'that', 'topic'] as const);
    v[field] = `${v[field] ?? '*'} ${this.pick(['#', '^'])}`;
    return v;
  }
  template(): string {
    let t = `R${this.nextId++} ${this.words(0, 2)}`;
    if (this.chance(0.5)) t += ' [<star/>]';
    if (this.chance(0.2)) t += ' [<thatstar/>] [<topicstar/>]';
    if (this.chance(0.2)) t += ` <srai>${this.words(1, 3)}</srai>`;
    if (this.chance(0.1)) t += ' <sr/>';
    if (this.chance(0.15)) t += `<think><set name="topic">${this.words(1, 2)}</set></think>`;
    if (this.chance(0.05)) t += ' size <size/> vocabulary <vocabulary/>';
    if (this.chance(0.3)) t += `. ${this.words(1, 3)}`;
    return t;
  }
  spec(shape: Shape): CategorySpec {
    return { ...shape, template: this.template() };
  }
  input(): string {
    return Array.from({ length: this.chance(0.2) ? 2 : 1 }, () => this.words(1, 4)).join('. ');
  }
}

const OPTIONS: CompileOptions = { botName: 'prop', clock: { now: () => 0 }, limits: { maxSraiDepth: 6, maxSraiCount: 30 } };

/** The loader numbers lines in the file; a live category has none. Everything else must be identical. */
function withoutLines(reply: Reply): unknown {
  return JSON.parse(JSON.stringify(reply, (k, v: unknown) => (k === 'line' ? undefined : v)));
}

function conversation(bot: Bot, inputs: readonly string[]) {
  const session = bot.createSession('user');
  return inputs.map((input) => withoutLines(bot.respond(session, input, { now: 0, random: () => 0 })));
}

function explained(bot: Bot, inputs: readonly string[]) {
  return inputs.flatMap((input) => [bot.explain(input), bot.explain(input, { that: 'a b', topic: 'c' }), bot.explain(input, { that: input })].map((m) => m && { ...m, line: undefined }));
}

function categoryList(bot: Bot) {
  return [...bot.categories()].map((c) => `${c.pattern}|${c.that}|${c.topic}|${c.file}|${c.template}`).sort();
}

function compareWithLoader(base: BotFiles, layer: LearnedLayer, inputs: string[], where: string): void {
  const files = { ...base, 'aiml/pand_livetraining.aiml': serializeCategories(layer.specs()) };
  const loaded = compileBot(files, OPTIONS).bot;
  const context = `${where}\n${String(files['aiml/pand_livetraining.aiml'])}\ninputs: ${JSON.stringify(inputs)}`;
  expect(conversation(layer.bot, inputs), context).toEqual(conversation(loaded, inputs));
  expect(explained(layer.bot, inputs), context).toEqual(explained(loaded, inputs));
  expect(categoryList(layer.bot), context).toEqual(categoryList(loaded));
  expect(layer.bot.categoryCount, context).toBe(loaded.categoryCount);
}

function run(seed: number): void {
  const g = new Generator(seed);
  const baseShapes = Array.from({ length: 4 + g.pick([0, 4, 8, 12]) }, () => g.shape());
  if (g.chance(0.5)) baseShapes.push({ pattern: '*' });
  const base: BotFiles = { ...SETS, 'aiml/a.aiml': aiml(baseShapes.map((s) => { const c = g.spec(s); return `<category><pattern>${c.pattern}</pattern>${c.that ? `<that>${c.that}</that>` : ''}${c.topic ? `<topic>${c.topic}</topic>` : ''}<template>${c.template}</template></category>`; }).join('\n')) };
  const layer = LearnedLayer.on(compileBot(base, OPTIONS).bot);
  const inputs = Array.from({ length: 10 }, () => g.input());
  const log: string[] = [];
  for (let step = 0; step < 12; step++) {
    const live = layer.specs();
    const r = g.random();
    if (r < 0.55 || live.length === 0) {
      const shape = g.chance(0.3) ? { ...g.pick(baseShapes) } : g.chance(0.3) ? g.variant(g.pick(baseShapes)) : g.chance(0.2) && live.length > 0 ? { ...g.pick(live) } : g.shape();
      const spec = g.spec(shape);
      expect(layer.put(spec).ok).toBe(true);
      log.push(`put ${JSON.stringify(spec)}`);
    } else if (r < 0.8) {
      const victim = g.pick(live);
      expect(layer.remove(victim)).toMatchObject({ ok: true, removed: victim });
      log.push(`remove ${JSON.stringify(victim)}`);
    } else {
      const old = g.pick(live);
      const spec = g.spec(g.chance(0.5) ? g.shape() : old);
      expect(layer.replace(old, spec).ok).toBe(true);
      log.push(`replace ${JSON.stringify(old)} by ${JSON.stringify(spec)}`);
    }
    if (step % 3 === 2) compareWithLoader(base, layer, inputs, `seed ${seed}\n${log.join('\n')}`);
  }
}

describe('a learned layer answers as the bot compiled with pand_livetraining.aiml loaded last', () => {
  it('gives the same replies, matches, categories and counts after random adds, replaces and removes on 300 random bots', () => {
    for (let seed = 1; seed <= Number(process.env.SEEDS ?? 300); seed++) run(seed);
    // About 5 s alone; a parallel test run on two cores can take several times that.
  }, 60_000);

  it('gives the same answers after setAll as after loading the same categories from the file', async () => {
    for (let seed = 1001; seed <= 1060; seed++) {
      const g = new Generator(seed);
      const base: BotFiles = { ...SETS, 'aiml/a.aiml': aiml(Array.from({ length: 8 }, () => `<category><pattern>${g.patternText(3)}</pattern><template>${g.template()}</template></category>`).join('\n')) };
      const layer = LearnedLayer.on(compileBot(base, OPTIONS).bot);
      const specs = Array.from({ length: 10 }, () => g.spec(g.shape()));
      const outcome = await layer.setAll(specs, { sliceMs: 0 });
      expect(outcome).toMatchObject({ applied: true, rejected: [] });
      compareWithLoader(base, layer, Array.from({ length: 10 }, () => g.input()), `seed ${seed}`);
    }
  }, 60_000);
});
