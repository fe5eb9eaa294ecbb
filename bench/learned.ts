// `npm run bench:learned`: Live Training's engine side on ALICE (../shared/data/aiml/alice-foundation, 99,524
// categories) with 10,000 learned categories generated from ../shared/data/inputs (bench/learned-categories.ts):
// building the learned layer (total and longest slice, i.e. the longest the event loop was held), adding, replacing
// and removing one category, a designer reply until a new conversation gets the trained answer, the incremental
// conflict checks (build, then per capture) against Studio's full analysis, and matching speed with and without the
// layer. BENCH_LEARNED (default 10000), BENCH_OPS (default 500), BENCH_FULL_ANALYSIS=0 skips the slow full analysis.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBot, readBotDirectory, serializeCategories, type Bot } from '../aiml/index.js';
import { IncrementalAnalysis } from '../aiml/learned/analysis.js';
import { LEARNED_FILE_PATH, LearnedLayer } from '../aiml/learned/index.js';
import type { SliceOptions } from '../aiml/index.js';
import { analyseCategories } from '../main/workspace/category-analysis.js';
import { prioritise } from '../server/training/learned-priority.js';
import { generateLearnedCategories, sharedInputs, type GeneratedCategory } from './learned-categories.js';

const DATA = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '..', 'shared', 'data');
const ALICE = join(DATA, 'aiml', 'alice-foundation');
const LEARNED = Number(process.env.BENCH_LEARNED ?? 10_000);
const OPS = Number(process.env.BENCH_OPS ?? 500);

interface Row {
  what: string;
  n: number;
  p50?: number;
  p99?: number;
  max?: number;
  /** The same, in CPU time of this process: what the work itself cost, when other programs hold the cores. */
  cpuP99?: number;
  cpuMax?: number;
  total?: number;
  note?: string;
}

/** Wall and CPU milliseconds of many runs of one operation. */
class Timings {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];
  run(work: () => void): void {
    const cpu = process.cpuUsage();
    const start = performance.now();
    work();
    this.wall.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    this.cpu.push((used.user + used.system) / 1000);
  }
  row(): Pick<Row, 'p50' | 'p99' | 'max' | 'cpuP99' | 'cpuMax'> {
    const cpu = percentiles(this.cpu);
    return { ...percentiles(this.wall), cpuP99: cpu.p99, cpuMax: cpu.max };
  }
}

function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** Slice options that record how long each slice held the event loop (wall and CPU). */
function slices(): { options: SliceOptions; timings: Timings; finish: () => void } {
  let resumed = performance.now();
  let cpu = process.cpuUsage();
  const timings = new Timings();
  const record = () => {
    timings.wall.push(performance.now() - resumed);
    const used = process.cpuUsage(cpu);
    timings.cpu.push((used.user + used.system) / 1000);
  };
  return {
    options: {
      yieldToEventLoop: async () => {
        record();
        await new Promise((r) => setImmediate(r));
        resumed = performance.now();
        cpu = process.cpuUsage();
      },
    },
    timings,
    finish: record,
  };
}

/** Starts a phase with a clean heap when node runs with --expose-gc: a phase pays for its own garbage only. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function sliceNote(timings: Timings): string {
  const over = timings.wall.filter((l) => l > 20).length;
  const overCpu = timings.cpu.filter((l) => l > 20).length;
  return `per slice (event loop held): ${timings.wall.length} slices, ${over} over 20 ms wall, ${overCpu} over 20 ms CPU`;
}

/** Garbage-collection pauses while `work` runs: a slice can be long because V8 collected a heap of ALICE's size in it. */
async function withGcPauses<T>(work: () => Promise<T>): Promise<{ value: T; note: string }> {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const value = await work();
  await new Promise((r) => setImmediate(r));
  observer.disconnect();
  const long = pauses.filter((p) => p > 20);
  return { value, note: `GC pauses meanwhile: ${pauses.length}, ${long.length} over 20 ms (longest ${fmt(Math.max(0, ...pauses))} ms)` };
}

/** Pattern-graph steps to match the first sentence of each input (as Bot.explain): the matching work, free of the machine's load. */
function matchSteps(bot: Bot, inputs: readonly string[]): number {
  const data = bot.data;
  let steps = 0;
  for (const input of inputs) {
    const sentence = data.normalizer.sentences(input)[0];
    if (!sentence) continue;
    data.matcher.match({ input: sentence.upper, original: sentence.original, that: ['UNKNOWN'], topic: ['UNKNOWN'] }, data.limits.maxMatchSteps);
    steps += data.matcher.lastSteps;
  }
  return steps;
}

/**
 * Replies per CPU second of each bot on the same inputs, the best of `runs` rounds taken in turn, the order rotated
 * each round (CPU time, not wall time: on a shared machine wall time mostly measures the other programs).
 */
function repliesPerCpuSecond(bots: readonly Bot[], inputs: readonly string[], runs = 6): number[] {
  const best = bots.map(() => 0);
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < bots.length; k++) {
      const i = (k + run) % bots.length;
      const bot = bots[i]!;
      const session = bot.createSession('bench');
      const cpu = process.cpuUsage();
      for (const input of inputs) bot.respond(session, input, { now: 0, random: () => 0.5 });
      const used = process.cpuUsage(cpu);
      best[i] = Math.max(best[i]!, (inputs.length / ((used.user + used.system) / 1000)) * 1000);
    }
  }
  return best;
}

const fmt = (n: number | undefined) => (n === undefined ? '' : n < 10 ? n.toFixed(2) : n.toFixed(0));

function print(rows: Row[]): void {
  const head = ['what', 'n', 'p50 ms', 'p99 ms', 'max ms', 'cpu p99', 'cpu max', 'total ms', 'note'];
  const cells = rows.map((r) => [r.what, r.n.toLocaleString('en'), fmt(r.p50), fmt(r.p99), fmt(r.max), fmt(r.cpuP99), fmt(r.cpuMax), fmt(r.total), r.note ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 || i === head.length - 1 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  if (!existsSync(ALICE)) {
    console.log(`bench:learned needs ${ALICE} (../shared/data): not there, nothing measured.`);
    return;
  }
  console.log(`Learned categories benchmark: ALICE + ${LEARNED.toLocaleString('en')} learned, ${OPS} operations per row, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  const rows: Row[] = [];
  const files = await readBotDirectory(ALICE);
  let base!: Bot;
  rows.push({ what: 'compile ALICE (the base, once per change of its files)', n: 1, total: timed(() => (base = compileBot(files, { botName: 'alice' }).bot)), note: `${base.categoryCount.toLocaleString('en')} categories` });
  const inputs = sharedInputs(DATA);
  const generated = generateLearnedCategories(base, inputs, LEARNED + 3 * OPS);
  const learned = generated.slice(0, LEARNED);
  const extra = generated.slice(LEARNED);

  // The layer: setAll in slices.
  const layer = LearnedLayer.on(base);
  collectGarbage();
  const buildSlices = slices();
  const buildStart = performance.now();
  const { value: outcome, note: buildGc } = await withGcPauses(() => layer.setAll(learned, buildSlices.options));
  buildSlices.finish();
  rows.push({ what: 'learned layer: setAll (sliced, atomic swap)', n: outcome.size, total: performance.now() - buildStart, ...buildSlices.timings.row(), note: `${sliceNote(buildSlices.timings)}; ${buildGc}; ${outcome.rejected.length} rejected` });
  collectGarbage();

  const adds = new Timings();
  const replaces = new Timings();
  const removes = new Timings();
  for (const c of extra.slice(0, OPS)) adds.run(() => layer.put(c));
  for (const c of extra.slice(0, OPS)) replaces.run(() => layer.put({ ...c, template: `Edited. ${c.template}` }));
  for (const c of extra.slice(0, OPS)) removes.run(() => layer.remove(c));
  rows.push({ what: 'learned layer: add one category', n: OPS, ...adds.row() });
  rows.push({ what: 'learned layer: replace one (same pattern, new answer)', n: OPS, ...replaces.row() });
  rows.push({ what: 'learned layer: remove one', n: OPS, ...removes.row() });

  // A designer's reply until a new conversation asking the same gets the trained answer (the engine's part of it).
  const replyToAnswer = new Timings();
  let wrong = 0;
  // The captured pattern is the user's sentence as the bot normalises it (what chooseCapture gives), answered anew.
  const asked = inputs.slice(0, OPS);
  for (const [i, input] of asked.entries()) {
    const template = `Trained answer ${i}.`;
    const pattern = base.normalize(input).at(-1)!;
    replyToAnswer.run(() => {
      layer.put({ pattern, that: '*', topic: '*', template });
      const reply = layer.bot.respond(layer.bot.createSession(`new-${i}`), input, { now: 0, random: () => 0 });
      if (!reply.text.includes(template)) wrong++;
    });
  }
  rows.push({ what: 'designer reply -> new conversation gets the trained answer (pattern as captured before $ priority)', n: OPS, ...replyToAnswer.row(), note: `put + respond in a new session; ${wrong} did not get it (an ALICE _ pattern such as "_ HAS LIVED" matches first: the analysis reports them as unreachable)` });

  // The same, with the pattern as the Platform now captures it: `$` on the first word where a bot category would win.
  const withPriority = new Timings();
  let wrongWithPriority = 0;
  let marked = 0;
  for (const [i, input] of asked.entries()) {
    const template = `Trained answer with priority ${i}.`;
    const pattern = base.normalize(input).at(-1)!;
    withPriority.run(() => {
      const { fields, priorityOver } = prioritise(base, { pattern, that: '*', topic: '*', template, input });
      if (priorityOver) marked++;
      layer.put({ pattern: fields.pattern, template });
      const reply = layer.bot.respond(layer.bot.createSession(`new-p-${i}`), input, { now: 0, random: () => 0 });
      if (!reply.text.includes(template)) wrongWithPriority++;
    });
  }
  rows.push({ what: 'designer reply -> new conversation gets the trained answer (with $ priority, as the Platform captures)', n: OPS, ...withPriority.row(), note: `priority check + put + respond; ${marked} given $ priority; ${wrongWithPriority} did not get it` });

  // Conflict checks: the incremental index, then one capture at a time.
  collectGarbage();
  const analysisSlices = slices();
  const analysisStart = performance.now();
  const { value: analysis, note: analysisGc } = await withGcPauses(() => IncrementalAnalysis.build(base, learned, analysisSlices.options));
  analysisSlices.finish();
  rows.push({ what: 'conflict checks: build the index (sliced)', n: analysis.size, total: performance.now() - analysisStart, ...analysisSlices.timings.row(), note: `${sliceNote(analysisSlices.timings)}; ${analysisGc}` });
  collectGarbage();
  const captures = new Timings();
  const edits = new Timings();
  const removals = new Timings();
  // New captures: half exact sentences (most captures), half broadened patterns (the costlier kind).
  const captured: GeneratedCategory[] = extra.slice(2 * OPS, 3 * OPS).map((c, i) => (i % 2 === 0 ? { ...c, pattern: `${base.normalize(c.source.input).at(-1)!} NOW` } : c));
  for (const c of captured) captures.run(() => analysis.put(c).changed.forEach((key) => analysis.findings(key)));
  for (const c of captured) edits.run(() => analysis.put({ ...c, template: `Edited. ${c.template}` }).changed.forEach((key) => analysis.findings(key)));
  for (const c of captured) removals.run(() => analysis.remove(c).changed.forEach((key) => analysis.findings(key)));
  const changes = 'update, then findings of every learned category it changed';
  rows.push({ what: 'conflict checks: one capture', n: captured.length, ...captures.row(), note: changes });
  rows.push({ what: 'conflict checks: one edit of the answer', n: captured.length, ...edits.row(), note: changes });
  rows.push({ what: 'conflict checks: one removal', n: captured.length, ...removals.row(), note: changes });

  if (process.env.BENCH_FULL_ANALYSIS !== '0') {
    const all = [...learned, captured[0]!].map((c) => ({ ...c, source: { conversationId: 'c', inputSeq: 1, replySeqs: [2], capturedAt: 0, input: c.source.input } }));
    const combined = base.withOverlay({ 'aiml/pand_livetraining.aiml': serializeCategories(all) }).bot;
    rows.push({ what: 'before: full analysis after one capture (Studio today)', n: all.length, total: timed(() => analyseCategories({ base, combined }, all)), note: 'main/workspace/category-analysis.ts, combined bot already built' });
  }
  // Matching speed.
  collectGarbage();
  const probe = inputs.slice(10_000);
  const loaded = compileBot({ ...files, 'aiml/pand_livetraining.aiml': serializeCategories(layer.specs()) }, { botName: 'alice' }).bot;
  // Inputs no learned category answers: the layer's cost is then only matching one more (small) graph.
  const unlearned = probe.filter((input) => layer.bot.respond(layer.bot.createSession('probe'), input, { now: 0, random: () => 0 }).sentences.every((s) => s.match.file !== LEARNED_FILE_PATH));
  const [without, withLayer, withFile] = repliesPerCpuSecond([base, layer.bot, loaded], unlearned);
  const rate = (n: number) => `${Math.round(n).toLocaleString('en')} replies per CPU second`;
  rows.push({ what: 'matching: ALICE alone', n: unlearned.length, note: `${rate(without!)} (inputs_gen1000 lines no learned category answers, one session, best of 6 rounds)` });
  rows.push({ what: `matching: ALICE + learned layer of ${layer.size.toLocaleString('en')}`, n: unlearned.length, note: `${rate(withLayer!)} (${((withLayer! / without!) * 100).toFixed(0)}% of ALICE alone)` });
  rows.push({ what: 'matching: ALICE compiled with the same pand_livetraining.aiml', n: unlearned.length, note: `${rate(withFile!)} (for comparison: a recompile per change)` });
  const [stepsBase, stepsLayer, stepsFile] = [base, layer.bot, loaded].map((bot) => matchSteps(bot, unlearned));
  rows.push({ what: 'matching: graph steps, ALICE / + layer / compiled with the file', n: unlearned.length, note: `${stepsBase!.toLocaleString('en')} / ${stepsLayer!.toLocaleString('en')} / ${stepsFile!.toLocaleString('en')} steps (deterministic; the layer adds ${(((stepsLayer! - stepsBase!) / stepsBase!) * 100).toFixed(1)}%)` });
  print(rows);
}

await main();
