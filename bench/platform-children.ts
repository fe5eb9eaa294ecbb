/**
 * Nothing bench:platform starts may outlive it: a failed warm-up once left orphan Platforms running for an hour.
 * Every child process is registered here and killed on every way out: the normal end, a thrown error, an unhandled
 * rejection, SIGINT, SIGTERM, SIGHUP. (Each Platform child also exits by itself when its IPC channel to the bench
 * closes, which covers the bench being killed with SIGKILL: see platform-server.ts.)
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
/** Synchronous, because they run inside process 'exit' (temporary directories, the throwaway PostgreSQL). */
const exitCleanups: (() => void)[] = [];

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function onBenchExit(cleanup: () => void): void {
  exitCleanups.push(cleanup);
}

function stopEverything(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const cleanup of exitCleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch (error) {
      process.stderr.write(`bench:platform: a cleanup failed: ${String(error)}\n`);
    }
  }
}

process.on('exit', stopEverything);
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
for (const [signal, number] of Object.entries(SIGNAL_NUMBERS)) {
  process.on(signal, () => {
    process.stderr.write(`bench:platform: ${signal}: stopping the ${children.size} process(es) it started\n`);
    process.exit(128 + number); // runs stopEverything through 'exit'
  });
}
// A failure anywhere ends the run with its reason in one line; 'exit' then stops every child.
const fail = (error: unknown) => {
  process.stderr.write(`bench:platform: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
