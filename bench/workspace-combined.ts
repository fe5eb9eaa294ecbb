// Rows of `npm run bench:workspace`: one capture into a workspace on an ALICE-size bot, i.e. rebuilding the combined
// bot (the bot's files + pand_livetraining.aiml) that previews and checks use. Before: compileBot of everything, as
// workspace-bots.ts did until the engine had overlays. After: WorkspaceBotCache.bots(), the base compiled once per
// pull and the learned file as an overlay. Input: /work/shared/data/aiml/alice-foundation (66 files, 99,524
// categories) and the first N generated learned categories of bench/workspace.ts plus one new capture.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBot, readBotDirectory, type Bot, type CategorySpec } from '../aiml/index.js';
import { analyseCategories } from '../main/workspace/category-analysis.js';
import type { LearnedCategory } from '../main/workspace/learned-category.js';
import { liveTrainingFileText } from '../main/workspace/live-training-file.js';
import { WorkspaceBotCache, type OtherFiles } from '../main/workspace/workspace-bots.js';
import { LIVE_TRAINING_FILE_NAME } from '../main/workspace/workspace-files.js';
import { median, time, type Row } from './workspace-timing.js';

const DATA = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '..', 'shared', 'data');
const ALICE = join(DATA, 'aiml', 'alice-foundation');
const INPUTS = join(DATA, 'inputs', 'inputs_gen1000.txt');
/** Learned categories in the workspace: a busy one, and a very busy one. */
const LEARNED = (process.env.BENCH_LEARNED ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Replies with what answered them, `ms` for all of them (one session, as a long preview conversation). */
function conversation(bot: Bot, inputs: readonly string[]): { ms: number; replies: string[] } {
  const session = bot.createSession('bench');
  const start = performance.now();
  const replies = inputs.map((input) => JSON.stringify(bot.respond(session, input, { now: 0, random: () => 0.5 })));
  return { ms: performance.now() - start, replies };
}

/** A few inputs whose answers (and answering categories) must be the same from both bots: the bench measures equals. */
function answers(bot: Bot, inputs: readonly string[]): string[] {
  const session = bot.createSession('bench');
  return inputs.map((input) => {
    const reply = bot.respond(session, input, { now: 0, random: () => 0 });
    return `${reply.text} <- ${reply.sentences.map((s) => `${s.match.file}:${s.match.line ?? 0}`).join(' ')}`;
  });
}

export interface CombinedBotResult {
  rows: Row[];
  /** Lines printed under the table. */
  notes: string[];
}

export async function combinedBotRows(generated: readonly Required<CategorySpec>[]): Promise<CombinedBotResult> {
  if (!existsSync(ALICE)) return { rows: [], notes: [`(ALICE rows skipped: ${ALICE} is not there)`] };
  const notes: string[] = [];
  const files = await readBotDirectory(ALICE);
  const other: OtherFiles = { stamp: 'alice', files, real: true };
  const cache = new WorkspaceBotCache('alice');
  const rows: Row[] = [];

  const base = time(() => cache.baseBot(other));
  rows.push({ step: 'ALICE: compile the bot files (once per pull)', ms: base.ms, cpuMs: base.cpuMs, items: base.value.categoryCount });

  for (const count of LEARNED) {
    const learned: LearnedCategory[] = generated.slice(0, count).map((c) => ({ ...c }));
    const afterCapture = (i: number): LearnedCategory[] => [...learned, { pattern: `A NEW CAPTURE ${i}`, that: '*', topic: '*', template: `Just learned ${i}.` }];
    let version = 0;
    cache.bots(other, learned, ++version, () => undefined); // the workspace as it was before the capture

    const before = median(RUNS, (i) => {
      const text = liveTrainingFileText(afterCapture(i), 'alice', new Date(0));
      return compileBot({ ...files, [`aiml/${LIVE_TRAINING_FILE_NAME}`]: text }, { botName: 'alice' }).bot;
    });
    const after = median(RUNS, (i) => cache.bots(other, afterCapture(i), ++version, () => undefined).combined);

    const inputs = ['Hello', 'What is your name?', 'I like tea. Do you?', `A new capture ${RUNS - 1}`, 'Do you ship Mars tea please', learned[3]!.pattern.replace(/[\^*#_$]|<set>.*?<\/set>/g, 'x')];
    const reference = compileBot({ ...files, [`aiml/${LIVE_TRAINING_FILE_NAME}`]: liveTrainingFileText(afterCapture(RUNS - 1), 'alice', new Date(0)) }, { botName: 'alice' }).bot;
    const latest = cache.bots(other, afterCapture(RUNS - 1), ++version, () => undefined).combined;
    if (JSON.stringify(answers(latest, inputs)) !== JSON.stringify(answers(reference, inputs)) || latest.categoryCount !== reference.categoryCount) {
      throw new Error('the overlay bot and the compiled bot answer differently: the comparison would be meaningless');
    }
    if (count === LEARNED[0] && existsSync(INPUTS)) {
      // What previews pay for two graphs instead of one: every sentence is matched in both.
      const lines = readFileSync(INPUTS, 'utf8').split('\n').filter((l) => l.trim().length > 0);
      // Two rounds, the second measured: the first warms up both bots' code paths.
      let compiled = conversation(reference, lines);
      let layered = conversation(latest, lines);
      compiled = conversation(reference, lines);
      layered = conversation(latest, lines);
      const same = compiled.replies.filter((r, i) => r === layered.replies[i]).length;
      if (same !== lines.length) throw new Error(`the overlay bot answered ${lines.length - same} of ${lines.length} inputs differently from the compiled bot`);
      notes.push(
        `Answering ${lines.length} inputs (inputs_gen1000.txt) with ALICE + ${count.toLocaleString('en')} learned: compiled bot ${compiled.ms.toFixed(0)} ms, ` +
          `overlay bot ${layered.ms.toFixed(0)} ms; every reply and its match metadata identical.`,
      );
    }

    // After a capture the Training view also checks every learned category against the bot's files again: the
    // checks run on exactly the categories the combined bot was built from (the learned ones plus the capture).
    const captured = afterCapture(RUNS);
    const bots = cache.bots(other, captured, ++version, () => undefined);
    const checks = median(RUNS, () => analyseCategories(bots, captured));

    // The categories column counts what each way compiles; both give a bot of the same size.
    const total = `combined bot: ${after.value.categoryCount.toLocaleString('en')} categories; median of ${RUNS}`;
    const learnedFile = count + 1;
    rows.push({ step: `one capture, ${count.toLocaleString('en')} learned: before, compile everything`, ms: before.ms, cpuMs: before.cpuMs, items: base.value.categoryCount + learnedFile, note: total });
    rows.push({ step: `one capture, ${count.toLocaleString('en')} learned: after, base + overlay`, ms: after.ms, cpuMs: after.cpuMs, items: learnedFile, note: `${total}; ${(before.ms / after.ms).toFixed(0)}x faster` });
    rows.push({ step: `one capture, ${count.toLocaleString('en')} learned: conflict checks`, ms: checks.ms, cpuMs: checks.cpuMs, items: learnedFile, note: `analyseCategories on the ${learnedFile.toLocaleString('en')} learned categories the combined bot was built from, median of ${RUNS}` });
  }
  return { rows, notes };
}
