/**
 * The incremental analysis gives the findings of Studio's full analysis (main/workspace/category-analysis.ts) after
 * every change. Small shop bots with categories that overlap in every way the findings describe.
 */
import { describe, expect, it } from 'vitest';
import { compileBot, serializeCategories, type Bot, type BotFiles } from '../../../aiml/index.js';
import { IncrementalAnalysis } from '../../../aiml/learned/analysis.js';
import { analyseCategories } from '../../../main/workspace/category-analysis.js';
import type { LearnedCategory } from '../../../main/workspace/learned-category.js';
import { aiml, cat } from './support.js';

const FILES: BotFiles = {
  'aiml/shop.aiml': aiml(
    [
      cat('*', 'No idea.'),
      cat('DO YOU SELL TEA', 'Yes.'),
      cat('DO YOU SELL *', 'Perhaps.'),
      cat('DO YOU SHIP *', 'Sometimes.'),
      cat('HELLO', 'Hi!'),
      cat('WHAT IS THE PRICE', 'It depends.'),
      cat('YES', 'Good.', '<that>DO YOU WANT TEA</that>'),
      cat('_ COFFEE', 'Coffee!'),
      cat('I LIKE <set>drink</set>', 'Me too.'),
    ].join('\n'),
  ),
  'sets/drink.set': '[["tea"], ["coffee"]]',
};

const learned = (pattern: string, template: string, extra: Partial<LearnedCategory> = {}): LearnedCategory => ({ pattern, that: '*', topic: '*', template, ...extra });

const CATEGORIES: LearnedCategory[] = [
  learned('DO YOU SHIP ^', 'Every Tuesday.'),
  learned('^ SELL *', 'Ask the shop.'),
  learned('_ TEA', 'Tea? Always.'),
  learned('DO YOU SHIP TO MARS', 'No.'),
  learned('HELLO', 'Hi!'),
  learned('WHAT IS THE PRICE', '10 euros.'),
  learned('WHAT IS THE PRICE OF TEA', '3 euros.'),
  learned('I DRINK COFFEE', 'Nice.'),
  learned('YES', 'Here is tea.', { that: 'DO YOU WANT TEA' }),
  learned('OPENING HOURS', '9 to 5.', { source: { conversationId: 'c1', inputSeq: 1, replySeqs: [3], capturedAt: 1, input: 'Opening hours?', before: { pattern: '*', that: '*', topic: '*', file: 'shop.aiml', defaultCategory: true } } }),
  learned('WHEN DO YOU OPEN', 'At 9.', { source: { conversationId: 'c2', inputSeq: 1, replySeqs: [3], capturedAt: 2, input: 'hello. when do you open', before: { pattern: 'HELLO', that: '*', topic: '*', file: 'shop.aiml', defaultCategory: false } } }),
  learned('I LIKE <set>drink</set> *', 'Great.'),
  learned('*', 'Learned default.'),
];

/** What the full analysis finds, with line numbers inside pand_livetraining.aiml left out (a live category has none). */
function fullAnalysis(base: Bot, categories: readonly LearnedCategory[]): Map<string, unknown> {
  const combined = base.withOverlay(categories.length === 0 ? {} : { 'aiml/pand_livetraining.aiml': serializeCategories(categories) }).bot;
  return comparable(analyseCategories({ base, combined }, categories));
}

function comparable(findings: Map<string, unknown>): Map<string, unknown> {
  const text = JSON.stringify([...findings].sort(([a], [b]) => (a < b ? -1 : 1)), (_k, v: unknown) => (v && typeof v === 'object' && (v as { file?: string }).file === 'pand_livetraining.aiml' ? { ...v, line: undefined } : v));
  return new Map(JSON.parse(text.replace(/pand_livetraining\.aiml line \d+/g, 'pand_livetraining.aiml')) as Array<[string, unknown]>);
}

describe('IncrementalAnalysis: conflict and duplicate checks one category at a time', () => {
  const base = compileBot(FILES, { botName: 'shop' }).bot;

  it('finds what the full analysis finds when built from a list', async () => {
    const analysis = await IncrementalAnalysis.build(base, CATEGORIES);
    expect(comparable(analysis.all())).toEqual(fullAnalysis(base, CATEGORIES));
    const kinds = new Set([...analysis.all().values()].flat().map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['duplicate', 'matchedBefore', 'overrides', 'shadows', 'unreachable']);
  });

  it('stays equal to the full analysis after each capture, edit and removal', async () => {
    const analysis = await IncrementalAnalysis.build(base, []);
    const live: LearnedCategory[] = [];
    const check = (step: string) => expect(comparable(analysis.all()), step).toEqual(fullAnalysis(base, live));
    for (const c of CATEGORIES) {
      analysis.put(c);
      live.push(c);
      check(`after adding ${c.pattern}`);
    }
    const edited = { ...CATEGORIES[4]!, template: 'Hello there, edited.' };
    analysis.put(edited);
    live[4] = edited;
    check('after editing HELLO');
    for (const index of [12, 0, 2, 1]) {
      const [gone] = live.splice(live.indexOf(CATEGORIES[index]!), 1);
      analysis.remove(gone!);
      check(`after removing ${gone!.pattern}`);
    }
  });

  it('says which learned categories a change concerns: the one changed and those whose inputs it took or gave back', async () => {
    const analysis = await IncrementalAnalysis.build(base, [learned('WHAT IS THE PRICE OF TEA', '3 euros.')]);
    const { changed } = analysis.put(learned('WHAT IS THE PRICE OF *', 'Ask me.'));
    expect(changed).toContain('WHAT IS THE PRICE OF *\u0000*\u0000*');
    expect(analysis.findings('WHAT IS THE PRICE OF TEA\u0000*\u0000*')).toEqual([]);
    const wide = analysis.put(learned('_ PRICE OF TEA', 'Cheap.'));
    expect(wide.changed).toContain('WHAT IS THE PRICE OF TEA\u0000*\u0000*');
    expect(analysis.findings('WHAT IS THE PRICE OF TEA\u0000*\u0000*').map((f) => f.kind)).toEqual(['unreachable']);
    analysis.remove({ pattern: '_ PRICE OF TEA', that: '*', topic: '*' });
    expect(analysis.findings('WHAT IS THE PRICE OF TEA\u0000*\u0000*')).toEqual([]);
  });
});
