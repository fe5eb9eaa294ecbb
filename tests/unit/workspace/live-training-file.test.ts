import { describe, expect, it } from 'vitest';
import { compileBot, InvalidCategoryError, parseCategories } from '../../../aiml/index.js';
import type { LearnedCategory } from '../../../main/workspace/learned-category.js';
import { liveTrainingFileText, liveTrainingFileTextInChunks } from '../../../main/workspace/live-training-file.js';

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

describe('the learned file built a chunk at a time', () => {
  it('is byte for byte the file written at once: same header, order and escaping, a repeated key written once', async () => {
    const categories = Array.from({ length: 1234 }, (_, i) => ({ pattern: `P ${(i * 7919) % 1234} X`, that: i % 3 ? '*' : 'WHAT', topic: '*', template: `a &amp; ${i}` }));
    categories.push({ ...categories[5]!, template: 'the later one wins' });
    const at = new Date(Date.UTC(2026, 11, 6));
    const chunked = await liveTrainingFileTextInChunks(categories, 'starter', at);
    expect(chunked).toBe(liveTrainingFileText(categories, 'starter', at));
    expect(chunked).toContain('the later one wins');
  });
});
