import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, needing, sharedBots } from '../../support/requirements.js';
import { loadBotDirectory, type Bot, type CompileResult } from '../../../aiml/index.js';

// Real bots from ../shared (third-party test data, never copied into the project).
const data = SHARED_DATA;

function ask(bot: Bot, inputs: string[]): string[] {
  const session = bot.createSession('integration');
  return inputs.map((i) => bot.respond(session, i, { random: () => 0 }).text);
}

describe.skipIf(!sharedBots.met)(needing('real bots', sharedBots), () => {
  let rosie: CompileResult;
  let alice: CompileResult;
  beforeAll(async () => {
    rosie = await loadBotDirectory(join(data, 'aiml', 'rosie'));
    alice = await loadBotDirectory(join(data, 'aiml', 'alice-foundation'));
  });

  it('loads Rosie without errors, with its JSON sets, maps, substitutions and properties', () => {
    expect(rosie.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(rosie.bot.categoryCount).toBeGreaterThan(11_000);
    expect(rosie.bot.property('name')).toBe('Rosie');
  });

  it('holds a conversation with Rosie that uses predicates and sets', () => {
    const [hello, name, recall, color, botName] = ask(rosie.bot, ['Hello!', 'My name is Bob.', 'What is my name?', 'My favorite color is air force blue.', 'What is your name?']);
    expect(hello).toMatch(/^Hi/);
    expect(name).toMatch(/Bob/);
    expect(recall).toMatch(/Bob/);
    expect(color).toMatch(/Air Force blue is a nice color/i);
    expect(botName).toMatch(/Rosie/);
  });

  it("flags Rosie's default category, reached through its UDC reduction", () => {
    const reply = rosie.bot.respond(rosie.bot.createSession('udc'), 'florp zanzibar quux', { random: () => 0 });
    expect(reply.sentences[0]!.match).toMatchObject({ defaultCategory: true, matched: { pattern: '*' } });
  });

  it('loads ALICE, Latin-1 files included, and reports its few broken categories with lines', () => {
    expect(alice.bot.categoryCount).toBeGreaterThan(95_000);
    const errors = alice.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeLessThan(20);
    for (const e of errors) expect(e.line).toBeGreaterThan(0);
  });

  it('answers ALICE questions from its knowledge', () => {
    const [sky, name] = ask(alice.bot, ['What color is the sky?', 'My name is Alan.']);
    expect(sky).toMatch(/blue/i);
    expect(name).toMatch(/Alan/);
  });

  it('answers the generated inputs with both bots without throwing, mostly from specific categories', () => {
    const inputs = readFileSync(join(data, 'inputs', 'inputs_gen1000.txt'), 'utf8').split('\n').filter((l) => l.trim());
    for (const bot of [rosie.bot, alice.bot]) {
      const session = bot.createSession('bulk');
      let udc = 0;
      let limits = 0;
      for (const input of inputs) {
        const reply = bot.respond(session, input, { random: () => 0.5 });
        if (reply.sentences.some((s) => s.match.defaultCategory)) udc++;
        if (reply.limitHit) limits++;
      }
      expect(udc).toBeLessThan(inputs.length / 2);
      expect(limits).toBeLessThan(inputs.length / 50);
    }
  });

  it("counts what a Rosie client learned in <size/>, and only for that client", () => {
    const bot = rosie.bot;
    const learner = bot.createSession('learner');
    const other = bot.createSession('other');
    const size = (s: typeof learner) => Number(/contains (\d+) categories/.exec(bot.respond(s, 'size', { random: () => 0 }).text)?.[1]);
    expect(size(learner)).toBe(bot.categoryCount);
    // Rosie's client_profile.aiml and utilities.aiml teach the client categories with <learn>.
    bot.respond(learner, "My hamster's name is Rex", { random: () => 0 });
    bot.respond(learner, 'My horse is Tom', { random: () => 0 });
    const distinct = new Set(learner.learned.map((l) => `${l.pattern} | ${l.that ?? '*'} | ${l.topic ?? '*'}`)).size;
    expect(distinct).toBeGreaterThanOrEqual(3);
    expect(size(learner)).toBe(bot.categoryCount + distinct);
    expect(size(other)).toBe(bot.categoryCount);
  });
});
