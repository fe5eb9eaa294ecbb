import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isTempFileName, removeTempFiles, syncDirectorySync, writeFileAtomicSync } from '../../node-lib/atomic-write.js';

/**
 * The compiled ("production") copies of each bot: `<root>/<bot>/v<N>/` holds the files of version N exactly as
 * they were when `verify` succeeded, and `<root>/<bot>/state.json` says which version is live and whether the
 * source files changed since. Keeping a copy is what lets a broken upload (or a restart after one) never take a
 * running bot down: the live bot is always loaded from its last good copy, never from the source folder.
 */
const State = z.object({
  /** The live version, or null when the bot never compiled. */
  version: z.number().int().positive().nullable(),
  compiledAt: z.number().optional(),
  /** The source files changed since the live version was compiled (Pandorabots' "uncompiled"). */
  dirty: z.boolean(),
  /** Digest of the learnf file as it was copied into the live version, to tell later learning apart. */
  learnDigest: z.string().optional(),
});
export type LiveState = z.infer<typeof State>;

const NEVER_COMPILED: LiveState = { version: null, dirty: true };

/** A state.json that could not be read: where it was put aside and why, for the log and the bot list. */
export interface CorruptState {
  file: string;
  keptAt: string;
  reason: string;
  at: number;
}

export interface LiveVersionsOptions {
  logger?: Logger;
  now?: () => number;
}

export class LiveVersions {
  private readonly corrupt = new Map<string, CorruptState>();
  private readonly now: () => number;

  constructor(
    readonly root: string,
    private readonly o: LiveVersionsOptions = {},
  ) {
    this.now = o.now ?? Date.now;
    mkdirSync(root, { recursive: true });
    removeTempFiles(root, 1);
  }

  /** Whether this bot was ever seen by the registry (a hand-copied bot folder has no state yet). */
  known(bot: string): boolean {
    return existsSync(this.statePath(bot));
  }

  state(bot: string): LiveState {
    const file = this.statePath(bot);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...NEVER_COMPILED };
      this.putAside(bot, file, error);
      return { ...NEVER_COMPILED };
    }
    try {
      return State.parse(JSON.parse(text));
    } catch (error) {
      this.putAside(bot, file, error);
      return { ...NEVER_COMPILED };
    }
  }

  /**
   * The state.json of this bot that was found corrupt since this Platform started, if any. It stays after the bot
   * compiled again: operators should still see that it happened.
   */
  corruptState(bot: string): CorruptState | undefined {
    return this.corrupt.get(bot);
  }

  /**
   * A corrupt state.json no longer says which copy is live: it is renamed (never deleted: someone may want to see
   * what broke it), so the bot counts as never seen and the registry compiles it again from its source files.
   */
  private putAside(bot: string, file: string, error: unknown): void {
    const at = this.now();
    const keptAt = `${file}.corrupt-${at}`;
    const reason = error instanceof z.ZodError ? `not a valid state: ${error.issues.map((i) => `${i.path.join('.') || 'root'}: ${i.message}`).join('; ')}` : (error as Error).message;
    try {
      renameSync(file, keptAt);
    } catch (renameError) {
      this.o.logger?.error({ err: renameError, bot, file }, 'could not put the corrupt state.json aside');
      return;
    }
    this.corrupt.set(bot, { file, keptAt, reason, at });
    this.o.logger?.error(
      { err: error, bot, file, keptAt },
      `state.json of bot ${bot} is corrupt (${reason}): kept aside at ${keptAt}; the bot is compiled again from its files`,
    );
  }

  versionDir(bot: string, version: number): string {
    return join(this.root, bot, `v${version}`);
  }

  /** The folder of the live version, or undefined when the bot never compiled. */
  liveDir(bot: string): string | undefined {
    const { version } = this.state(bot);
    return version === null ? undefined : this.versionDir(bot, version);
  }

  markDirty(bot: string): void {
    const state = this.state(bot);
    if (state.dirty && this.known(bot)) return;
    this.save(bot, { ...state, dirty: true });
  }

  /**
   * Copy the bot's source folder into a new version folder (not live yet). Returns its number and folder.
   * The next number is above every folder present, so a crash between prepare and commit cannot reuse a
   * half-written folder. Asynchronous: copying ALICE's 12 MB takes tens of milliseconds, which the Platform's
   * conversations should not wait for.
   */
  async prepare(bot: string, sourceDir: string): Promise<{ version: number; dir: string }> {
    const state = this.state(bot);
    const existing = this.versionNumbers(bot);
    const version = Math.max(state.version ?? 0, ...existing) + 1;
    const dir = this.versionDir(bot, version);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await cp(sourceDir, dir, { recursive: true, filter: (src) => !isTempFileName(src.split(/[\\/]/).pop() ?? '') });
    return { version, dir };
  }

  /** Make `version` live: one atomic write of state.json. The older copies stay until dropOtherVersions. */
  commit(bot: string, version: number, at: number, learnDigest?: string): void {
    this.save(bot, { version, compiledAt: at, dirty: false, ...(learnDigest ? { learnDigest } : {}) });
  }

  /** Remove every copy but `keep` (after the swap, so the version answering until then keeps its folder). */
  async dropOtherVersions(bot: string, keep: number): Promise<void> {
    await Promise.all(this.versionNumbers(bot).filter((n) => n !== keep).map((n) => rm(this.versionDir(bot, n), { recursive: true, force: true })));
  }

  /** Throw away a prepared version that failed to compile. */
  async discard(bot: string, version: number): Promise<void> {
    if (this.state(bot).version === version) return;
    await rm(this.versionDir(bot, version), { recursive: true, force: true });
  }

  /** Record a failed compile: the live version stays, the bot stays "uncompiled". */
  markFailed(bot: string): void {
    this.save(bot, { ...this.state(bot), dirty: true });
  }

  async remove(bot: string): Promise<void> {
    this.corrupt.delete(bot);
    await rm(join(this.root, bot), { recursive: true, force: true });
  }

  private versionNumbers(bot: string): number[] {
    try {
      return readdirSync(join(this.root, bot))
        .map((name) => /^v(\d+)$/.exec(name)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number);
    } catch {
      return [];
    }
  }

  private statePath(bot: string): string {
    return join(this.root, bot, 'state.json');
  }

  private save(bot: string, state: LiveState): void {
    mkdirSync(join(this.root, bot), { recursive: true });
    writeFileAtomicSync(this.statePath(bot), `${JSON.stringify(state)}\n`);
    syncDirectorySync(join(this.root, bot));
  }
}

export function digestOf(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
