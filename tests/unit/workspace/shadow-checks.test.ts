import { describe, expect, it } from 'vitest';
import { analyseCategories } from '../../../main/workspace/category-analysis.js';
import type { LearnedCategory } from '../../../main/workspace/learned-category.js';
import { WorkspaceBotCache, type OtherFiles } from '../../../main/workspace/workspace-bots.js';
import { aiml, category } from './support/workspace-fixture.js';

const learned = (pattern: string, template: string): LearnedCategory => ({ pattern, that: '*', topic: '*', template });

function shadowed(files: OtherFiles['files'], categories: LearnedCategory[]): string[] {
  const bots = new WorkspaceBotCache('starter').bots({ stamp: 's', files, real: true }, categories, 1, () => undefined);
  return [...analyseCategories(bots, categories)].flatMap(([key, findings]) => findings.filter((f) => f.kind === 'shadows').map((f) => `${key.split('\u0000')[0]} takes ${f.other?.pattern}`));
}

describe("which of the bot's categories a learned one takes inputs from", () => {
  it('finds the categories whose own input a learned pattern now answers, and only those', () => {
    const files = { 'aiml/shop.aiml': aiml([category('DO YOU SELL TEA', 'Yes.'), category('DO YOU SELL *', 'Perhaps.'), category('DO YOU SHIP *', 'Sometimes.'), category('*', 'No idea.')].join('')) };
    const categories = [learned('DO YOU SHIP ^', 'Every Tuesday.'), learned('^ SELL *', 'Ask the shop.'), learned('_ TEA', 'Tea? Always.'), learned('DO YOU SHIP TO MARS', 'No.')];
    expect(shadowed(files, categories).sort()).toEqual(['DO YOU SHIP ^ takes DO YOU SHIP *', '_ TEA takes DO YOU SELL TEA']);
  });

  it("reads a category's input as the bot does, substitutions included", () => {
    // "hi" becomes "hi there" for the matcher: HI * answers "HI XYZZY" as "HI THERE XYZZY", which HI THERE * now takes.
    const files = { 'aiml/greet.aiml': aiml(category('HI *', 'Hello.') + category('*', 'No idea.')), 'substitutions/normal.substitution': '[[" hi ", " hi there "]]' };
    expect(shadowed(files, [learned('HI THERE *', 'Hello there!')])).toEqual(['HI THERE * takes HI *']);
  });
});
