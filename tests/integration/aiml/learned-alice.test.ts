/**
 * The learned layer and the incremental analysis on ALICE (../shared/data, read from there), against what they
 * replace: the normal loader with the same categories in pand_livetraining.aiml, and Studio's full analysis.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBot, readBotDirectory, serializeCategories, type Bot, type BotFiles } from '../../../aiml/index.js';
import { IncrementalAnalysis } from '../../../aiml/learned/analysis.js';
import { LearnedLayer } from '../../../aiml/learned/index.js';
import { generateLearnedCategories, sharedInputs, type GeneratedCategory } from '../../../bench/learned-categories.js';
import { analyseCategories } from '../../../main/workspace/category-analysis.js';
import { SHARED_DATA, needing } from '../../support/requirements.js';

const alice = join(SHARED_DATA, 'aiml', 'alice-foundation');
const aliceBot = { met: existsSync(alice), missing: `../shared/data is absent (no ${alice})` };

/** What a user sees and which category answered (the loader numbers lines in the file; a live category has none). */
function answers(bot: Bot, inputs: readonly string[]): string[] {
  return inputs.map((input) => {
    const reply = bot.respond(bot.createSession('u'), input, { now: 0, random: () => 0 });
    return `${reply.text} <- ${reply.sentences.map((s) => `${s.match.pattern}|${s.match.that}|${s.match.topic}|${s.match.file}`).join(' ')}`;
  });
}

function comparable(findings: Map<string, unknown>): Map<string, unknown> {
  const text = JSON.stringify([...findings].sort(([a], [b]) => (a < b ? -1 : 1)), (_k, v: unknown) => (v && typeof v === 'object' && (v as { file?: string }).file === 'pand_livetraining.aiml' ? { ...v, line: undefined } : v));
  return new Map(JSON.parse(text.replace(/pand_livetraining\.aiml line \d+/g, 'pand_livetraining.aiml')) as Array<[string, unknown]>);
}

describe.skipIf(!aliceBot.met)(needing('learned categories on ALICE', aliceBot), () => {
  let files: BotFiles;
  let base: Bot;
  let inputs: string[];
  let generated: GeneratedCategory[];
  beforeAll(async () => {
    files = await readBotDirectory(alice);
    base = compileBot(files, { botName: 'alice' }).bot;
    inputs = sharedInputs(SHARED_DATA);
    generated = generateLearnedCategories(base, inputs, 10_000);
  }, 120_000);

  it('answers 10,000 learned categories put live exactly as ALICE compiled with them in pand_livetraining.aiml', async () => {
    const layer = LearnedLayer.on(base);
    const half = generated.slice(0, 5_000);
    expect(await layer.setAll(half)).toMatchObject({ applied: true, size: 5_000, rejected: [] });
    for (const c of generated.slice(5_000)) expect(layer.put(c).ok).toBe(true);
    // Some edits and removals on top, as designers make them.
    for (const c of generated.slice(0, 300)) layer.remove(c);
    for (const c of generated.slice(300, 600)) layer.put({ ...c, template: `Edited: ${c.template}` });
    const live = layer.specs();
    expect(live).toHaveLength(9_700);
    const loaded = compileBot({ ...files, 'aiml/pand_livetraining.aiml': serializeCategories(live) }, { botName: 'alice' }).bot;
    const asked = [...inputs.slice(10_000), ...generated.slice(0, 1_000).map((c) => c.source.input)];
    expect(answers(layer.bot, asked)).toEqual(answers(loaded, asked));
    expect(layer.bot.categoryCount).toBe(loaded.categoryCount);
  }, 240_000);

  it('finds what the full analysis finds for 300 learned categories, built at once and after captures and removals', async () => {
    // Broadened patterns among them: those take inputs from ALICE's own categories.
    const broadened = generated.slice(220).filter((c) => /[*^]$/.test(c.pattern)).slice(0, 80);
    const learned = [...generated.slice(0, 220), ...broadened];
    const full = (list: readonly GeneratedCategory[]) => {
      const combined = base.withOverlay({ 'aiml/pand_livetraining.aiml': serializeCategories(list) }).bot;
      const asStudioKeepsThem = list.map((c) => ({ ...c, source: { conversationId: 'c', inputSeq: 1, replySeqs: [2], capturedAt: 0, input: c.source.input } }));
      return comparable(analyseCategories({ base, combined }, asStudioKeepsThem));
    };
    const analysis = await IncrementalAnalysis.build(base, learned.slice(0, 250));
    expect(comparable(analysis.all())).toEqual(full(learned.slice(0, 250)));
    const kinds = new Set([...analysis.all().values()].flat().map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['matchedBefore', 'overrides', 'shadows', 'unreachable']);
    for (const c of learned.slice(250)) analysis.put(c);
    for (const c of learned.slice(0, 20)) analysis.remove(c);
    expect(comparable(analysis.all())).toEqual(full(learned.slice(20)));
  }, 240_000);
});
