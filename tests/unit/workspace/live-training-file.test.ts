import { describe, expect, it } from 'vitest';
import { compileBot, InvalidCategoryError, parseCategories } from '../../../aiml/index.js';
import type { LearnedCategory } from '../../../main/workspace/learned-category.js';
import { LiveTrainingFileWriter } from '../../../main/workspace/live-training-file-writer.js';
import { liveTrainingFileText } from '../../../main/workspace/live-training-file.js';

const writtenAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const learned: LearnedCategory[] = [
  { pattern: 'HELLO', that: '*', topic: '*', template: 'Hi there!', state: 'reviewed', source: { conversationId: 'c1', inputSeq: 1, replySeqs: [3], capturedAt: 1 } },
  { pattern: 'DO YOU SHIP TO MARS', that: 'ANYTHING ELSE', topic: '', template: 'Yes &amp; every &lt;Tuesday&gt;' },
];

describe("the workspace's pand_livetraining.aiml", () => {
  it('is written by the engine writer with that and topic always spelled out, and the bot and time in the header', () => {
    const xml = liveTrainingFileText(learned, 'starter', writtenAt);
    expect(xml).toContain('<!-- Live Training categories for bot starter, written 2026-01-02T03:04:05.000Z -->');
    expect(parseCategories(xml, 'f').categories.map(({ pattern, that, topic }) => [pattern, that, topic])).toEqual([
      ['DO YOU SHIP TO MARS', 'ANYTHING ELSE', '*'],
      ['HELLO', '*', '*'],
    ]);
    // Review state and sources live beside the file, never in it.
    expect(xml).not.toMatch(/reviewed|c1/);
  });

  it('answers as the designer taught it', () => {
    const { bot } = compileBot({ 'aiml/pand_livetraining.aiml': liveTrainingFileText(learned, 'starter', writtenAt) });
    expect(bot.respond(bot.createSession('t'), 'Do you ship to Mars?', { that: 'Anything else?' }).text).toBe('Yes & every <Tuesday>');
  });

  it('refuses a category that is not valid AIML, naming it', () => {
    expect(() => liveTrainingFileText([...learned, { pattern: 'BAD &', that: '*', topic: '*', template: 'x' }], 'starter', writtenAt)).toThrow(InvalidCategoryError);
  });
});

describe('the learned file written again after each change (kept per category, patched)', () => {
  const at = new Date(Date.UTC(2026, 11, 6));
  const many = () => Array.from({ length: 1234 }, (_, i) => ({ pattern: `P ${(i * 7919) % 1234} X`, that: i % 3 ? '*' : 'WHAT', topic: '*', template: `a &amp; ${i}` }));

  it('is byte for byte the file written at once: same header, order and escaping, a repeated key written once', async () => {
    const categories: LearnedCategory[] = many();
    categories.push({ ...categories[5]!, template: 'the later one wins' });
    const text = await new LiveTrainingFileWriter().text(categories, 'starter', at);
    expect(text).toBe(liveTrainingFileText(categories, 'starter', at));
    expect(text).toContain('the later one wins');
  });

  it('stays byte for byte the full rewrite through captures, edits, removals and a burst of changes', async () => {
    const writer = new LiveTrainingFileWriter();
    let categories: LearnedCategory[] = many();
    const same = async () => expect(await writer.text(categories, 'starter', at)).toBe(liveTrainingFileText(categories, 'starter', at));
    await same();
    categories.push({ pattern: 'AAA FIRST OF ALL', that: '*', topic: '*', template: 'new at the top' });
    await same();
    categories[10] = { ...categories[10]!, template: 'edited &lt;here&gt;' };
    await same();
    categories[20] = { ...categories[20]!, pattern: 'ZZZ MOVED TO THE END' };
    await same();
    categories = categories.filter((_, i) => i !== 30 && i !== 31);
    await same();
    // More than a patch: the order is sorted again.
    categories = [...categories.slice(200), ...Array.from({ length: 100 }, (_, i) => ({ pattern: `BURST ${i}`, that: '*', topic: '*', template: `b${i}` }))];
    await same();
    categories = [];
    await same();
  });

  it('refuses an invalid category, naming it, and writes the next valid set correctly', async () => {
    const writer = new LiveTrainingFileWriter();
    const categories: LearnedCategory[] = many().slice(0, 10);
    await writer.text(categories, 'starter', at);
    await expect(writer.text([...categories, { pattern: 'BAD &', that: '*', topic: '*', template: 'x' }], 'starter', at)).rejects.toThrow(InvalidCategoryError);
    const fixed = [...categories, { pattern: 'GOOD', that: '*', topic: '*', template: 'x' }];
    expect(await writer.text(fixed, 'starter', at)).toBe(liveTrainingFileText(fixed, 'starter', at));
  });
});
