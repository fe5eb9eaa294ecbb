/**
 * Starts the Platform processes of one bench:platform configuration: one on SQLite, or N instances of a cluster on
 * one PostgreSQL database. Each runs bench/platform-server.ts with its own temporary data directory; every process
 * and directory is registered with platform-children.ts, so nothing outlives the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onBenchExit, trackChild } from './platform-children.js';

export type Durability = 'normal' | 'full';

export interface Ready {
  type: 'ready';
  pid: number;
  url: string;
  designers: string[];
  durability: Durability;
  storage: 'sqlite' | 'postgres';
  bot: string;
  api: { appId: string; userKey: string };
}

export interface Measured {
  type: 'measured';
  cpuPercent: number;
  rssMb: number;
  peakRssMb: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export interface Instance {
  readonly child: ChildProcess;
  readonly ready: Ready;
}

const here = dirname(fileURLToPath(import.meta.url));

function startInstance(durability: Durability, databaseUrl: string | undefined, makeDesigners: boolean): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lts-bench-'));
  onBenchExit(() => rmSync(dataDir, { recursive: true, force: true }));
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = fork(join(here, 'platform-server.ts'), [durability, dataDir, ...(databaseUrl ? [databaseUrl] : [])], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_MAKE_DESIGNERS: makeDesigners ? '1' : '0' },
  });
  trackChild(child);
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new Error(`a Platform process exited with ${code} before it was ready`));
    child.once('exit', failed);
    child.once('message', (m) => {
      child.off('exit', failed);
      const ready = m as Ready;
      if (databaseUrl && ready.storage !== 'postgres') {
        reject(new Error('asked for PostgreSQL, but this Platform ran on SQLite: the storage it reported is not PostgreSQL'));
        return;
      }
      process.stderr.write(`  Platform instance pid ${ready.pid} in ${dataDir} on ${ready.storage} at ${ready.url}\n`);
      resolve({ child, ready });
    });
  });
}

/** One instance on SQLite, or `count` instances on `databaseUrl`; the first one migrates the database and makes the designers. */
export async function startInstances(durability: Durability, databaseUrl: string | undefined, count: number): Promise<Instance[]> {
  const first = await startInstance(durability, databaseUrl, true);
  // What ran is what the Platform says it runs with, not what was asked for.
  if (first.ready.durability !== durability) throw new Error(`asked for durability ${durability}, the Platform runs ${first.ready.durability}`);
  const others = await Promise.all(Array.from({ length: count - 1 }, () => startInstance(durability, databaseUrl, false)));
  return [first, ...others];
}

export function ask<T>(child: ChildProcess, type: string, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const gone = (code: number | null) => reject(new Error(`a Platform process exited with ${code} during the run`));
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off('message', on);
      child.off('exit', gone);
      resolve(m as T);
    };
    child.on('message', on);
    child.once('exit', gone);
    child.send({ type });
  });
}

export async function stopInstances(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
          i.child.once('exit', () => resolve());
          i.child.send({ type: 'stop' });
        }),
    ),
  );
}
