// Timing and the table of `npm run bench:workspace` (bench/workspace.ts and bench/workspace-combined.ts).

export interface Row {
  step: string;
  ms: number;
  /** CPU time of this process (all threads): what the step costs when other programs compete for the cores. */
  cpuMs: number;
  items: number;
  note?: string;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function time<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  const start = performance.now();
  const cpu = cpuNow();
  const value = run();
  return { ms: performance.now() - start, cpuMs: cpuNow() - cpu, value };
}

export async function timeAsync(run: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const start = performance.now();
  const cpu = cpuNow();
  await run();
  return { ms: performance.now() - start, cpuMs: cpuNow() - cpu };
}

/** The run with the median wall time of `runs` runs (the machine is shared: one run alone says little). */
export function median<T>(runs: number, run: (i: number) => T): { ms: number; cpuMs: number; value: T } {
  const results = Array.from({ length: runs }, (_, i) => time(() => run(i)));
  results.sort((a, b) => a.ms - b.ms);
  return results[Math.floor(results.length / 2)]!;
}

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.step, r.items.toLocaleString('en'), r.ms.toFixed(0), r.cpuMs.toFixed(0), Math.round((r.items / r.ms) * 1000).toLocaleString('en'), r.note ?? '']);
  const head = ['step', 'categories', 'wall ms', 'cpu ms', 'categories/s', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => (i === 0 || i === 5 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n');
}
