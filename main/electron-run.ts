import type { ChildProcess } from 'node:child_process';
import { systemClock, type Clock } from '../protocol/clock.js';
import { explainElectronExit, type ElectronTrouble } from './electron-start-check.js';

// Kept equal to electron/launcher-handoff.ts (main/ may not import electron/).
export const HANDOFF_URL = 'STUDIO_LAUNCHER_PLATFORM_URL';
export const HANDOFF_TOKEN = 'STUDIO_LAUNCHER_PLATFORM_TOKEN';

/** An Electron that ends within this long after it was started failed to start, whatever its exit code. */
export const STARTUP_MS = 10_000;

/**
 * Electron's environment: the launcher's, plus the local Platform it runs for Electron (in development
 * better-sqlite3 is built for Node's ABI, not Electron's, so the database stays in the launcher). Always handed over
 * when there is one, so that choosing the local Platform in Settings later does not make Electron open the database
 * itself. ELECTRON_RUN_AS_NODE is dropped: inherited from an editor's terminal, it would make Electron run as plain
 * Node and end at once.
 */
export function electronEnv(base: NodeJS.ProcessEnv, platform: { url: string; token: string } | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env[HANDOFF_URL];
  delete env[HANDOFF_TOKEN];
  if (platform) {
    env[HANDOFF_URL] = platform.url;
    env[HANDOFF_TOKEN] = platform.token;
  }
  return env;
}

export type ElectronEnd = { kind: 'closed' } | { kind: 'failed'; trouble: ElectronTrouble };

export interface SuperviseOptions {
  clock?: Clock;
  startupMs?: number;
  /** True once the designer asked the launcher to stop (Ctrl-C): Electron ending then is no failure. */
  stopRequested: () => boolean;
  /** Everything Electron prints (for the log file, or the terminal with --verbose). */
  onOutput?: (chunk: Buffer) => void;
  /** Its `chrome-sandbox`, named in the fix when the sandbox was refused. */
  sandboxHelper?: string;
}

/**
 * Waits for Electron to end and says how: closed by the designer, or failed (could not be spawned, ended within
 * the first seconds, ended with an error code or a signal), with the reason read from its exit and its output.
 */
export function superviseElectron(child: ChildProcess, o: SuperviseOptions): Promise<ElectronEnd> {
  const clock = o.clock ?? systemClock;
  const started = clock.now();
  let tail = '';
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8_000);
    o.onOutput?.(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ kind: 'failed', trouble: { reason: `it could not be started (${error.message})` } }));
    child.once('exit', (code, signal) => {
      const early = clock.now() - started < (o.startupMs ?? STARTUP_MS);
      const decide = () => {
        if (o.stopRequested()) return resolve({ kind: 'closed' });
        if (code === 0 && !early) return resolve({ kind: 'closed' });
        resolve({ kind: 'failed', trouble: explainElectronExit({ code, signal, early }, tail, o.sandboxHelper) });
      };
      // Its last words may still be in the pipes: read them, but do not wait on a helper process that holds them open.
      const timer = clock.setTimeout(decide, 1_000);
      child.once('close', () => {
        clock.clearTimeout(timer);
        decide();
      });
    });
  });
}
