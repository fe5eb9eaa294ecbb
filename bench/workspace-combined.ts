// Rows of `npm run bench:workspace`: one capture into a workspace on an ALICE-size bot, i.e. rebuilding the combined
// bot (the bot's files + pand_livetraining.aiml) that previews and checks use. Before: compileBot of everything, as
// workspace-bots.ts did until the engine had overlays. After: WorkspaceBotCache.bots(), the base compiled once per
// pull and the learned file as an overlay. Input: /work/shared/data/aiml/alice-foundation (66 files, 99,524
// categories) and the first N generated learned categories of bench/workspace.ts plus one new capture.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBot, readBotDirectory, type Bot, type CategorySpec } from '../aiml/index.js';
import type { LearnedCategory } from '../main/workspace/learned-category.js';
import { liveTrainingFileText } from '../main/workspace/live-training-file.js';
import { WorkspaceBotCache, type OtherFiles } from '../main/workspace/workspace-bots.js';
import { LIVE_TRAINING_FILE_NAME } from '../main/workspace/workspace-files.js';
import { median, time, type Row } from './workspace-timing.js';

const ALICE = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '..', 'shared', 'data', 'aiml', 'alice-foundation');
/** Learned categories in the workspace: a busy one, and a very busy one. */
const LEARNED = (process.env.BENCH_LEARNED ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** A few inputs whose answers (and answering categories) must be the same from both bots: the bench measures equals. */
function answers(bot: Bot, inputs: readonly string[]): string[] {
  const session = bot.createSession('bench');
  return inputs.map((input) => {
    const reply = bot.respond(session, input, { now: 0, random: () => 0 });
    return `${reply.text} <- ${reply.sentences.map((s) => `${s.match.file}:${s.match.line ?? 0}`).join(' ')}`;
  });
}

export async function combinedBotRows(generated: readonly Required<CategorySpec>[]): Promise<Row[] | string> {
  if (!existsSync(ALICE)) return `(ALICE rows skipped: ${ALICE} is not there)`;
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

    // The categories column counts what each way compiles; both give a bot of the same size.
    const total = `combined bot: ${after.value.categoryCount.toLocaleString('en')} categories; median of ${RUNS}`;
    const learnedFile = count + 1;
    rows.push({ step: `one capture, ${count.toLocaleString('en')} learned: before, compile everything`, ms: before.ms, cpuMs: before.cpuMs, items: base.value.categoryCount + learnedFile, note: total });
    rows.push({ step: `one capture, ${count.toLocaleString('en')} learned: after, base + overlay`, ms: after.ms, cpuMs: after.cpuMs, items: learnedFile, note: `${total}; ${(before.ms / after.ms).toFixed(0)}x faster` });
  }
  return rows;
}
