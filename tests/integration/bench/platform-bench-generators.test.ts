import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Past one process's open-files limit, bench:platform's users live in load generator processes. Forced here with
 * `--generators 2` on a handful of users: the designers in the bench's process must still measure user→designer
 * from the other processes' sends, and no generator may outlive the bench.
 */

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function bench(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/platform.ts', '--durability', 'normal', '--transport', 'ws', '--generators', '2', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('bench:platform with its users in load generator processes', () => {
  it('measures user→designer latency from messages sent in other processes, and reports every process\'s CPU', async () => {
    const run = bench(['--conversations', '6', '--rate', '10', '--warmup', '0', '--seconds', '2']);
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toMatch(/connecting 6 users over 2 load generator processes/);
    const row = run.stdout().split('\n').find((line) => line.includes('| WebSocket |'));
    expect(row, run.stdout() + run.stderr()).toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    // '' | durability | transport | conversations | offered | sustained | bot p50 | p99 | max | designer p50 | ...
    expect(Number(cells[5])).toBeGreaterThan(0);
    const designerP50 = Number(cells[9]);
    expect(designerP50).toBeGreaterThan(0);
    expect(designerP50).toBeLessThan(10_000);
    // The load generator's CPU: the sum, then the bench's own and each generator's.
    expect(row).toMatch(/\| +\d+ \(\d+ \+ \d+ \+ \d+\) \|/);
  }, 120_000);

  it('leaves no load generator process behind when the bench is killed outright (SIGKILL)', async () => {
    const run = bench(['--conversations', '4', '--rate', '5', '--warmup', '0', '--seconds', '600']);
    await vi.waitFor(() => expect(run.stderr().match(/load generator pid \d+: users/g)).toHaveLength(2), { timeout: 60_000, interval: 100 });
    const pids = [...run.stderr().matchAll(/load generator pid (\d+): users/g)].map((m) => Number(m[1]));
    expect(pids.every(alive)).toBe(true);
    run.child.kill('SIGKILL');
    await run.exited;
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), { timeout: 20_000, interval: 100 });
  }, 120_000);

  it('stops its load generator processes and its Platform when stopped with SIGTERM', async () => {
    const run = bench(['--conversations', '4', '--rate', '5', '--warmup', '0', '--seconds', '600']);
    await vi.waitFor(() => expect(run.stderr().match(/load generator pid \d+: users/g)).toHaveLength(2), { timeout: 60_000, interval: 100 });
    const pids = [...run.stderr().matchAll(/(?:load generator|Platform instance) pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(3);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    expect(run.stderr()).toContain('SIGTERM: stopping the 3 process(es) it started');
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), { timeout: 5_000, interval: 50 });
  }, 120_000);
});
