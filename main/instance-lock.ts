import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../node-lib/atomic-write.js';

/**
 * One Studio per data folder: a second `npm start` on the same folder would open the local Platform's SQLite
 * database a second time (and, in Electron, only then meet Electron's single-instance lock). The first start
 * claims `studio-running.json` in the data folder (created exclusively, so two starts at once cannot both win) and
 * fills in its addresses once it has them; the second reads it and points to the running one instead.
 */
export const RunningStudio = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  mode: z.enum(['starting', 'electron', 'browser']),
  studioUrl: z.string().optional(),
  platformUrl: z.string().optional(),
});
export type RunningStudio = z.infer<typeof RunningStudio>;

export interface InstanceLock {
  readonly file: string;
  /** Records where this Studio can be reached, for the next `npm start` to show. */
  update(fields: Partial<Pick<RunningStudio, 'mode' | 'studioUrl' | 'platformUrl'>>): Promise<void>;
  /** Lets the folder go (only if the file is still ours). Synchronous, so that it can run on process exit. */
  release(): void;
}

export type InstanceClaim = { claimed: true; lock: InstanceLock } | { claimed: false; running: RunningStudio };

export interface InstanceLockDeps {
  pid: number;
  now: () => Date;
  /** Whether a process with this id exists. */
  isAlive: (pid: number) => boolean;
  /** Whether something answers at this URL (a recycled pid after a reboot has no Studio behind it). */
  answers: (url: string) => Promise<boolean>;
}

export const LOCK_FILE = 'studio-running.json';

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function urlAnswers(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

const systemDeps: InstanceLockDeps = { pid: process.pid, now: () => new Date(), isAlive: processIsAlive, answers: (url) => urlAnswers(url) };

function readLock(file: string): RunningStudio | undefined {
  try {
    const parsed = RunningStudio.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function stillRunning(other: RunningStudio, deps: InstanceLockDeps): Promise<boolean> {
  if (other.pid === deps.pid || !deps.isAlive(other.pid)) return false;
  const url = other.platformUrl ?? other.studioUrl;
  // Still starting (no address yet): trust the pid.
  if (!url) return true;
  return deps.answers(new URL(url).origin);
}

/** The Studio running on this data folder, if one is (read only: `npm start` asks before building). */
export async function findRunningStudio(dataDir: string, deps: InstanceLockDeps = systemDeps): Promise<RunningStudio | undefined> {
  const other = readLock(join(dataDir, LOCK_FILE));
  return other && (await stillRunning(other, deps)) ? other : undefined;
}

export async function claimInstance(dataDir: string, deps: InstanceLockDeps = systemDeps): Promise<InstanceClaim> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  let current: RunningStudio = { pid: deps.pid, startedAt: deps.now().toISOString(), mode: 'starting' };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(current, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const other = readLock(file);
    if (other && (await stillRunning(other, deps))) return { claimed: false, running: other };
    // Left behind by a Studio that was killed, or unreadable: take the folder over.
    rmSync(file, { force: true });
  }

  let released = false;
  const ours = () => readLock(file)?.pid === deps.pid;
  return {
    claimed: true,
    lock: {
      file,
      async update(fields) {
        if (released) return;
        current = { ...current, ...fields };
        await writeFileAtomic(file, JSON.stringify(current, null, 2) + '\n', { mode: 0o600 });
      },
      release() {
        if (released) return;
        released = true;
        if (ours()) rmSync(file, { force: true });
      },
    },
  };
}

/** The one line a second `npm start` prints about the first. */
export function alreadyRunningLine(other: RunningStudio, dataDir: string): string {
  const since = other.startedAt.slice(11, 16);
  if (other.mode === 'browser' && other.studioUrl) return `Studio is already running for ${dataDir} (pid ${other.pid}, since ${since} UTC): open ${other.studioUrl}`;
  if (other.mode === 'electron') return `Studio is already running for ${dataDir} in its window (pid ${other.pid}, since ${since} UTC): switch to it, or close it before starting again.`;
  return `Studio is already starting for ${dataDir} (pid ${other.pid}): wait for it, or stop it before starting again.`;
}
