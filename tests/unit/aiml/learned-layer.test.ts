import { describe, expect, it } from 'vitest';
import { compileBot, type Bot } from '../../../aiml/index.js';
import { LearnedLayer, splitLearnedFile } from '../../../aiml/learned/index.js';
import { aiml, cat } from './support.js';

const BASE = {
  'aiml/base.aiml': aiml(
    [
      cat('*', 'I have no answer.'),
      cat('HELLO', 'Hi from the base.'),
      cat('WHAT IS YOUR NAME', 'I am Base.'),
      cat('GREETING', 'Greetings!'),
      cat('DO YOU WANT A BROCHURE', 'Do you want a brochure?'),
    ].join('\n'),
  ),
  'sets/city.set': '[["lyon"], ["paris"], ["new", "york"]]',
};

function layerOnBase(): LearnedLayer {
  return LearnedLayer.on(compileBot(BASE, { botName: 'shop' }).bot);
}

const say = (bot: Bot, ...inputs: string[]) => {
  const session = bot.createSession('u');
  return inputs.map((i) => bot.respond(session, i).text);
};

describe('LearnedLayer: learned categories live on a compiled bot', () => {
  it('answers with a category as soon as it is put, in a new conversation, and without it once removed', () => {
    const layer = layerOnBase();
    expect(say(layer.bot, 'What are your opening hours?')).toEqual(['I have no answer.']);
    expect(layer.put({ pattern: 'WHAT ARE YOUR OPENING HOURS', template: 'From 9 to 5.' })).toMatchObject({ ok: true, replaced: undefined });
    expect(say(layer.bot, 'What are your opening hours?')).toEqual(['From 9 to 5.']);
    expect(layer.remove({ pattern: 'what are your opening hours' })).toMatchObject({ ok: true, removed: { template: 'From 9 to 5.' } });
    expect(say(layer.bot, 'What are your opening hours?')).toEqual(['I have no answer.']);
    expect(layer.size).toBe(0);
  });

  it("wins over the bot's own category with the same pattern, and gives it back when removed", () => {
    const layer = layerOnBase();
    const count = layer.bot.categoryCount;
    layer.put({ pattern: 'HELLO', template: 'Hi, trained.' });
    expect(say(layer.bot, 'hello')).toEqual(['Hi, trained.']);
    expect(layer.bot.categoryCount).toBe(count);
    layer.remove({ pattern: 'HELLO' });
    expect(say(layer.bot, 'hello')).toEqual(['Hi from the base.']);
    expect(layer.bot.categoryCount).toBe(count);
  });

  it('replaces a category with the same pattern, and moves one whose pattern was edited', () => {
    const layer = layerOnBase();
    layer.put({ pattern: 'DO YOU DELIVER', template: 'Yes.' });
    expect(layer.put({ pattern: 'do you deliver', template: 'Yes, everywhere.' })).toMatchObject({ ok: true, replaced: { template: 'Yes.' } });
    expect(say(layer.bot, 'Do you deliver?')).toEqual(['Yes, everywhere.']);
    expect(layer.replace({ pattern: 'DO YOU DELIVER' }, { pattern: 'DO YOU DELIVER *', template: 'Yes, there too.' }).ok).toBe(true);
    expect(say(layer.bot, 'Do you deliver?', 'Do you deliver to Lyon?')).toEqual(['I have no answer.', 'Yes, there too.']);
    expect(layer.size).toBe(1);
  });

  it('respects that and topic, and uses the bot sets and srai in learned categories', () => {
    const layer = layerOnBase();
    layer.put({ pattern: 'YES', that: 'DO YOU WANT A BROCHURE', template: 'Here is the brochure.' });
    layer.put({ pattern: 'I LIVE IN <set>city</set>', template: '<star/> is lovely. <srai>GREETING</srai>' });
    layer.put({ pattern: 'PRICES', topic: 'SHOES', template: 'Shoes cost 50.' });
    expect(say(layer.bot, 'yes')).toEqual(['I have no answer.']);
    expect(say(layer.bot, 'do you want a brochure', 'yes')).toEqual(['Do you want a brochure?', 'Here is the brochure.']);
    expect(say(layer.bot, 'I live in New York')).toEqual(['new york is lovely. Greetings!']);
    const session = layer.bot.createSession('s');
    session.predicates.set('topic', 'shoes');
    expect(layer.bot.respond(session, 'prices').text).toBe('Shoes cost 50.');
    expect(say(layer.bot, 'prices')).toEqual(['I have no answer.']);
  });

  it('lets the bot srai into a learned category', () => {
    const layer = LearnedLayer.on(compileBot({ 'aiml/a.aiml': aiml(cat('HOURS', '<srai>OPENING HOURS</srai>')) }).bot);
    layer.put({ pattern: 'OPENING HOURS', template: '9 to 5.' });
    expect(say(layer.bot, 'hours')).toEqual(['9 to 5.']);
  });

  it('refuses a template that does not compile, saying where, and keeps the version that was live', () => {
    const layer = layerOnBase();
    layer.put({ pattern: 'DO YOU DELIVER', template: 'Yes.' });
    const outcome = layer.put({ pattern: 'DO YOU DELIVER', template: 'Yes\n<b>to Lyon' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0]).toMatchObject({ field: 'template' });
    expect(outcome.problems[0]!.diagnostics[0]).toMatchObject({ file: 'template', line: 2, severity: 'error' });
    expect(outcome.problems[0]!.diagnostics[0]!.message).toMatch(/b/);
    expect(say(layer.bot, 'do you deliver')).toEqual(['Yes.']);
    expect(layer.replace({ pattern: 'DO YOU DELIVER' }, { pattern: 'DELIVERY', template: '<srai>' }).ok).toBe(false);
    expect(say(layer.bot, 'do you deliver', 'delivery')).toEqual(['Yes.', 'I have no answer.']);
  });

  it('refuses a pattern with markup the engine does not allow in patterns', () => {
    const layer = layerOnBase();
    const outcome = layer.put({ pattern: 'HELLO <star/>', template: 'x' });
    expect(outcome.ok).toBe(false);
    expect(layer.size).toBe(0);
  });

  it('warns about a set the bot does not have', () => {
    const outcome = layerOnBase().put({ pattern: 'I LIKE <set>colour</set>', template: 'Nice.' });
    expect(outcome).toMatchObject({ ok: true, warnings: [{ severity: 'warning' }] });
  });
});

describe('LearnedLayer.setAll', () => {
  it('swaps the whole set in at once: the old set answers until the new one is complete', async () => {
    const layer = layerOnBase();
    layer.put({ pattern: 'OLD', template: 'old answer' });
    let yields = 0;
    let answersDuringBuild: string[] = [];
    let clock = 0;
    const specs = Array.from({ length: 50 }, (_, i) => ({ pattern: `NEW ${i}`, template: `new ${i}` }));
    const outcome = await layer.setAll(specs, {
      sliceMs: 1,
      // Each category "takes" a millisecond: a slice holds one, then the event loop gets a turn.
      now: () => clock++,
      yieldToEventLoop: async () => {
        yields++;
        answersDuringBuild = say(layer.bot, 'old', 'new 49');
      },
    });
    expect(yields).toBeGreaterThan(10);
    expect(answersDuringBuild).toEqual(['old answer', 'I have no answer.']);
    expect(outcome).toMatchObject({ applied: true, size: 50, rejected: [] });
    expect(say(layer.bot, 'old', 'new 49')).toEqual(['I have no answer.', 'new 49']);
  });

  it('keeps changes made while it was building, on top of the new set', async () => {
    const layer = layerOnBase();
    let clock = 0;
    let changed = false;
    const outcome = await layer.setAll(
      [
        { pattern: 'A', template: 'a from the set' },
        { pattern: 'B', template: 'b from the set' },
        { pattern: 'C', template: 'c from the set' },
      ],
      {
        sliceMs: 1,
        now: () => clock++,
        yieldToEventLoop: async () => {
          if (changed) return;
          changed = true;
          layer.put({ pattern: 'A', template: 'a put meanwhile' });
          layer.remove({ pattern: 'B' });
          layer.put({ pattern: 'D', template: 'd put meanwhile' });
        },
      },
    );
    expect(outcome.applied).toBe(true);
    expect(say(layer.bot, 'a', 'b', 'c', 'd')).toEqual(['a put meanwhile', 'I have no answer.', 'c from the set', 'd put meanwhile']);
  });

  it('reports a category that does not compile and keeps the live version of it', async () => {
    const layer = layerOnBase();
    layer.put({ pattern: 'A', template: 'a, good version' });
    const outcome = await layer.setAll([
      { pattern: 'A', template: '<think>broken' },
      { pattern: 'B', template: '<oops' },
      { pattern: 'C', template: 'c' },
    ]);
    expect(outcome).toMatchObject({ applied: true, size: 2, rejected: [{ index: 0, keptPrevious: true }, { index: 1, keptPrevious: false }] });
    expect(say(layer.bot, 'a', 'b', 'c')).toEqual(['a, good version', 'I have no answer.', 'c']);
  });

  it('lets the latest of two overlapping calls decide', async () => {
    const layer = layerOnBase();
    let clock = 0;
    const options = { sliceMs: 1, now: () => clock++ };
    const first = layer.setAll(Array.from({ length: 20 }, (_, i) => ({ pattern: `FIRST ${i}`, template: 'first' })), options);
    const second = layer.setAll([{ pattern: 'SECOND', template: 'second' }], options);
    expect(await first).toMatchObject({ applied: false });
    expect(await second).toMatchObject({ applied: true, size: 1 });
    expect(say(layer.bot, 'first 1', 'second')).toEqual(['I have no answer.', 'second']);
  });
});

describe('LearnedLayer with <learnf> and the files a bot directory holds', () => {
  it('keeps a learned category winning over a <learnf> one with the same pattern, as after a reload', () => {
    const base = compileBot({ 'aiml/a.aiml': aiml(cat('TEACH *', '<learnf><category><pattern><eval><star/></eval></pattern><template>taught</template></category></learnf>ok')) }).bot;
    const layer = LearnedLayer.on(base);
    layer.put({ pattern: 'PRICES', template: 'learned' });
    const count = layer.bot.categoryCount;
    expect(say(layer.bot, 'teach prices', 'prices', 'teach colours', 'colours')).toEqual(['ok', 'learned', 'ok', 'taught']);
    expect(layer.bot.categoryCount).toBe(count + 1);
    layer.remove({ pattern: 'PRICES' });
    expect(say(layer.bot, 'prices')).toEqual(['taught']);
    expect(layer.bot.categoryCount).toBe(count + 1);
  });

  it('takes the learned categories out of bot files, so the base compiles without them and the layer holds them', async () => {
    const files = { ...BASE, 'aiml/pand_livetraining.aiml': aiml(cat('DO YOU DELIVER', 'Yes.') + cat('HELLO', 'Hi, learned.')) };
    const { base, learned, diagnostics } = splitLearnedFile(files);
    expect(Object.keys(base)).not.toContain('aiml/pand_livetraining.aiml');
    expect(diagnostics).toEqual([]);
    const layer = LearnedLayer.on(compileBot(base).bot);
    expect(await layer.setAll(learned)).toMatchObject({ applied: true, size: 2 });
    expect(say(layer.bot, 'do you deliver', 'hello')).toEqual(['Yes.', 'Hi, learned.']);
  });
});
