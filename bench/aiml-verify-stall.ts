/**
 * How long publishing a bot holds the Platform's event loop: every conversation on the Platform waits while
 * it is held. For each bot, a registry (server/bots) verifies a copy of it while perf_hooks'
 * monitorEventLoopDelay samples the loop every millisecond; the same files compiled with the synchronous
 * compileBot give the figure a verify had before compiling ran in slices.
 *
 * Part of `npm run bench:aiml` (bench/aiml-bench.ts prints the table).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { compileBot, readBotDirectory } from '../aiml/index.js';
import { systemClock } from '../protocol/clock.js';
import { openBotRegistry } from '../server/bots/registry.js';

export interface StallRow {
  bot: string;
  how: string;
  totalMs: number;
  /** Longest time the event loop could not run anything else. */
  maxStallMs: number;
  p99StallMs: number;
}

/** Runs `work` while sampling the event loop; the sampling continues a moment after, so a stall at the very end counts. */
async function measured(work: () => Promise<unknown>): Promise<{ totalMs: number; maxStallMs: number; p99StallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The histogram measures each sample from the previous one: let it take a few before the work starts (and do not
  // reset it then, which forgets the previous sample and hides a stall that starts at once).
  await new Promise((resolve) => setTimeout(resolve, 10));
  const start = performance.now();
  await work();
  const totalMs = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  // The histogram holds how late each 1 ms sample fired: lateness is time the loop was held.
  return { totalMs, maxStallMs: delay.max / 1e6, p99StallMs: delay.percentile(99) / 1e6 };
}

export async function measureVerifyStalls(name: string, botDir: string, runs: number): Promise<StallRow[]> {
  const rows: StallRow[] = [];
  const files = await readBotDirectory(botDir);
  for (let i = 0; i < runs; i++) {
    const sync = await measured(async () => compileBot(files));
    rows.push({ bot: name, how: 'compileBot (one go)', ...sync });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-verify-'));
  const registry = await openBotRegistry({ dataDir, clock: systemClock, logger: pino({ level: 'silent' }) });
  try {
    registry.createBot('benchbot');
    cpSync(botDir, join(dataDir, 'bots', 'benchbot'), { recursive: true });
    for (let i = 0; i < runs; i++) {
      const sliced = await measured(() => registry.verify('benchbot'));
      rows.push({ bot: name, how: 'registry verify (in slices)', ...sliced });
    }
  } finally {
    await registry.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

export function stallTable(rows: StallRow[]): string {
  const header = ['bot', 'how', 'total ms', 'longest stall ms', 'p99 stall ms'];
  const body = rows.map((r) => [r.bot, r.how, r.totalMs.toFixed(0), r.maxStallMs.toFixed(1), r.p99StallMs.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w, i) => (i < 2 ? ':' : '') + '-'.repeat(w + 1) + (i < 2 ? '' : ':')).join('|') + '|', ...body.map(line)].join('\n');
}
