import { existsSync } from 'node:fs';
import type { PandorabotsClient } from './pandorabots-client.js';
import { pullPlatformFiles, readOtherBotFiles, readPullRecord, type PullRecord } from './platform-files.js';
import type { OtherFiles } from './workspace-bots.js';

/** How long files read from a local bot folder are reused before being read again (they change on publish). */
const LOCAL_FILES_TTL_MS = 30_000;

export interface BotFilesSourceOptions {
  bot: string;
  /** Where the workspace keeps the files pulled from the Platform. */
  platformFilesDir: string;
  /** The bot's own folder, when the Platform runs on this machine. */
  localDir: () => string | undefined;
  /** The Platform's API client (throws when Studio has no credentials for it). */
  client: () => Promise<PandorabotsClient>;
  platformUrl: () => string | undefined;
  now: () => number;
  /** A pull started or ended: the Training view shows the state of the bot's files. */
  onPullChange: () => void;
}

/**
 * Where one bot's other files come from, for conflicts, previews and capture normalisation: as last pulled from the
 * Platform through its Pandorabots API (read once per pull: a large bot's files are megabytes, and the Training
 * view asks after every change); else from the bot's folder on this machine (the embedded Platform's bots); else
 * none. One pull runs at a time, and why the last one failed is kept for the view until the next one succeeds.
 */
export class BotFilesSource {
  private pulled: OtherFiles | undefined;
  private local: { at: number; files: OtherFiles } | undefined;
  private pulling: Promise<PullRecord> | undefined;
  private failed: { message: string; at: number } | undefined;

  constructor(private readonly o: BotFilesSourceOptions) {}

  /** The record of the last pull, if the bot's files were ever pulled into this workspace. */
  record(): Promise<PullRecord | undefined> {
    return readPullRecord(this.o.platformFilesDir);
  }

  get isPulling(): boolean {
    return this.pulling !== undefined;
  }

  /** Why the last pull failed, unless a pull succeeded since or the credentials changed. */
  get failure(): string | undefined {
    return this.failed?.message;
  }

  /** New credentials deserve a fresh try: the last failure no longer says anything. */
  forgetFailure(): void {
    this.failed = undefined;
  }

  pull(): Promise<PullRecord> {
    this.pulling ??= (async () => {
      try {
        const record = await pullPlatformFiles(await this.o.client(), this.o.bot, this.o.platformFilesDir, this.o.now(), this.o.platformUrl());
        this.failed = undefined;
        return record;
      } catch (error) {
        this.failed = { message: error instanceof Error ? error.message : String(error), at: this.o.now() };
        throw error;
      } finally {
        this.pulling = undefined;
        this.o.onPullChange();
      }
    })();
    return this.pulling;
  }

  async files(): Promise<OtherFiles> {
    const record = await this.record();
    if (record) {
      const stamp = `pulled:${record.pulledAt}:${record.files.length}`;
      if (this.pulled?.stamp !== stamp) this.pulled = { stamp, files: await readOtherBotFiles(this.o.platformFilesDir), real: true };
      return this.pulled;
    }
    const dir = this.o.localDir();
    if (dir && existsSync(dir)) {
      const now = this.o.now();
      if (this.local && now - this.local.at < LOCAL_FILES_TTL_MS) return this.local.files;
      const files: OtherFiles = { stamp: `local:${now}`, files: await readOtherBotFiles(dir), real: true };
      this.local = { at: now, files };
      return files;
    }
    return { stamp: 'none', files: {}, real: false };
  }
}
