import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * bench:platform must never leave a Platform behind: orphans from a failed run once kept a core busy for an hour.
 * The bench is started for a long run, stopped as soon as its Platform is up, and the Platform's process must be gone.
 */

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Running, and not a zombie (a dead process its new parent has not reaped yet is gone for our purpose). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Starts a bench run that would take ten minutes, and resolves with its Platform's pid once that is up. */
interface LongBench {
  bench: ChildProcess;
  platformPid: number;
  /** Resolves when the bench has ended and its output is read. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  stderr(): string;
  /** The Platform's temporary data directory. */
  dataDir: string;
}

function startLongBench(): Promise<LongBench> {
  const bench = spawn(process.execPath, ['--import', 'tsx', 'bench/platform.ts', '--conversations', '3', '--durability', 'normal', '--transport', 'ws', '--rate', '5', '--warmup', '0', '--seconds', '600'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.push(bench);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => bench.once('close', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  return new Promise((resolve, reject) => {
    bench.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const [, pid, dataDir] = /Platform instance pid (\d+) in (\S+)/.exec(stderr) ?? [];
      // Connecting users comes after every instance is up: the bench now has a live child.
      if (pid && dataDir && stderr.includes('connecting')) resolve({ bench, platformPid: Number(pid), dataDir, exited, stderr: () => stderr });
    });
    void exited.then(({ code }) => reject(new Error(`the bench ended (${code}) before its Platform was up: ${stderr}`)));
  });
}

describe('bench:platform leaves no process behind', () => {
  it('stops its Platform when it is stopped with SIGTERM', async () => {
    const { bench, platformPid, exited, stderr, dataDir } = await startLongBench();
    expect(alive(platformPid)).toBe(true);
    bench.kill('SIGTERM');
    expect(await exited).toEqual({ code: 143, signal: null });
    expect(stderr()).toContain('SIGTERM: stopping the 1 process(es) it started');
    // The kill was sent before the bench exited; the kernel may take a moment to finish the process.
    await vi.waitFor(() => expect(alive(platformPid)).toBe(false), { timeout: 5_000, interval: 50 });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('stops its Platform when it is interrupted with SIGINT (Ctrl+C)', async () => {
    const { bench, platformPid, exited, stderr, dataDir } = await startLongBench();
    bench.kill('SIGINT');
    expect((await exited).code).toBe(130);
    expect(stderr()).toContain('SIGINT: stopping the 1 process(es) it started');
    await vi.waitFor(() => expect(alive(platformPid)).toBe(false), { timeout: 5_000, interval: 50 });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('its Platform stops by itself when the bench is killed outright (SIGKILL: no cleanup can run)', async () => {
    const { bench, platformPid, exited, dataDir } = await startLongBench();
    bench.kill('SIGKILL');
    await exited;
    await vi.waitFor(() => expect(alive(platformPid)).toBe(false), { timeout: 20_000, interval: 100 });
    expect(existsSync(dataDir)).toBe(false);
  });
});
