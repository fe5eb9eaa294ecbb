// `npm run bench:studio-findings`: what a capture costs Studio's Training view in conflict checks (issue 13: a capture
// on ALICE with 10,000 learned categories may not hold Studio's main process for more than 20 ms at a time). Studio
// keeps the findings one changed category at a time (main/workspace/workspace-findings.ts); this prints the build
// (sliced, once per version of the bot's files) and each capture's update, as the longest event-loop block and the
// time of the update itself.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { compileBot, readBotDirectory } from '../aiml/index.js';
import type { LearnedCategory } from '../main/workspace/learned-category.js';
import { WorkspaceFindings } from '../main/workspace/workspace-findings.js';
import { generateLearnedCategories, sharedInputs } from './learned-categories.js';

const DATA = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '..', 'shared', 'data');
const LEARNED = Number(process.env.BENCH_LEARNED ?? 10_000);
const CAPTURES = Number(process.env.BENCH_CAPTURES ?? 200);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  const base = compileBot(await readBotDirectory(join(DATA, 'aiml', 'alice-foundation')), { botName: 'alice' }).bot;
  const generated = generateLearnedCategories(base, sharedInputs(DATA), LEARNED + CAPTURES);
  const asStudio = (g: (typeof generated)[number], i: number): LearnedCategory => ({ ...g, source: { conversationId: `c${i}`, inputSeq: 1, replySeqs: [2], capturedAt: i, input: g.source.input } });
  const learned = generated.slice(0, LEARNED).map(asStudio);
  const findings = new WorkspaceFindings();

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const buildStart = performance.now();
  await findings.of('alice', () => base, 1, learned);
  const buildMs = performance.now() - buildStart;
  delay.disable();
  const buildBlock = delay.max / 1e6;

  const updates: number[] = [];
  let current = learned;
  for (let i = 0; i < CAPTURES; i++) {
    current = [...current, asStudio(generated[LEARNED + i]!, LEARNED + i)];
    const start = performance.now();
    // The update is synchronous once built: its time is the block of Studio's main process.
    await findings.of('alice', () => base, 2 + i, current);
    updates.push(performance.now() - start);
  }
  console.log(`Studio's conflict checks, ALICE + ${LEARNED.toLocaleString('en')} learned, ${CAPTURES} captures, load ${loadavg()[0]!.toFixed(1)} on 2 cores`);
  console.log('| step | p50 (ms) | p99 (ms) | max (ms) | total (ms) |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| build (sliced; longest event-loop block ${buildBlock.toFixed(1)} ms) | | | | ${buildMs.toFixed(0)} |`);
  console.log(`| one capture: findings updated (main process held) | ${percentile(updates, 50).toFixed(2)} | ${percentile(updates, 99).toFixed(2)} | ${Math.max(...updates).toFixed(2)} | |`);
}

await main();
