// `npm run bench:training-mirror`: what one capture by another designer costs Studio's main process when the bot has
// 10,000 learned categories (issue 13: no block over 20 ms at a time). Studio's Training mirror takes the
// `learned.changed` event, persists the mirror and writes the workspace's pand_livetraining.aiml again. Prints the
// longest event-loop block while it does (perf_hooks' event-loop delay, 1 ms resolution), the total time and the CPU
// time the process spent (user + system: on a loaded machine the wall times include waiting for a core).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { LearnedCategory } from '../protocol/learned.js';
import type { LearnedRequester } from '../main/workspace/bot-learning.js';
import type { TrainingHost } from '../main/workspace/training-host.js';
import { TrainingWorkspace } from '../main/workspace/training-workspace.js';

const COUNT = Number(process.env.BENCH_CATEGORIES ?? 10_000);
const ADA = { id: 'd1', name: 'Ada' };

function category(i: number): LearnedCategory {
  return { id: `L${i}`, bot: 'bench', pattern: `DO YOU SHIP PARCEL ${i.toString(36).toUpperCase()}`, that: '*', topic: '*', template: `We can help with that (ref. ${i}): &lt;see the shop&gt;.`, status: 'approved', version: 1, createdBy: ADA, createdAt: i, updatedBy: ADA, updatedAt: i };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lts-bench-mirror-'));
  const all = Array.from({ length: COUNT }, (_, i) => category(i));
  const requester: LearnedRequester = {
    request: ((method: string) => {
      if (method === 'learned.list') return Promise.resolve({ categories: all, lastEventId: 1 });
      throw new Error(`not in this bench: ${method}`);
    }) as LearnedRequester['request'],
  };
  const events: string[] = [];
  const host: TrainingHost = {
    workspaceDir: () => dir,
    platform: () => ({ url: 'http://127.0.0.1:9', embedded: false }),
    conversationName: () => undefined,
    savedCredentials: () => undefined,
    saveCredentials: () => undefined,
    emit: (e) => void events.push(e.type),
    learned: () => requester,
    bots: () => ['bench'],
  };
  const ws = new TrainingWorkspace();
  ws.attach(host);
  await ws.linkChanged(true);
  await ws.workspace('bench'); // the first full list and export, not measured

  const rows: { step: string; maxBlockMs: number; totalMs: number; cpuMs: number }[] = [];
  for (let round = 0; round < 5; round++) {
    const added = category(COUNT + round);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await ws.learnedChanged({ type: 'learned.changed', bot: 'bench', by: ADA, at: 1, change: { opId: `op${round}`, kind: 'capture', categories: [added], removed: [] } });
    // The file export runs behind the event: wait for the view, which waits for it.
    await ws.workspace('bench');
    const totalMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    histogram.disable();
    rows.push({ step: `capture ${round + 1}: event into the mirror, mirror file and pand_livetraining.aiml written`, maxBlockMs: histogram.max / 1e6, totalMs, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  ws.close();
  rmSync(dir, { recursive: true, force: true });

  console.log(`Training mirror, ${COUNT} learned categories, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`);
  console.log('| step | longest block (ms) | total (ms) | CPU (ms) |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.step} | ${r.maxBlockMs.toFixed(1)} | ${r.totalMs.toFixed(1)} | ${r.cpuMs.toFixed(1)} |`);
}

await main();
