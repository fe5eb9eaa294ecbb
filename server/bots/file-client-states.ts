import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempFiles, writeFileAtomicSync } from '../../node-lib/atomic-write.js';
import type { ClientStateStore } from './client-state-store.js';

/**
 * Client states as files, `<dir>/<bot>/<digest>.json`: what a bot registry opened without the Platform's storage
 * keeps (one process on one machine, so never shared). Writes are atomic; a save is durable when it resolves.
 */
export class FileClientStates implements ClientStateStore {
  readonly shared = false;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    removeTempFiles(dir, 1);
  }

  load(bot: string, clientKey: string): Promise<string | undefined> {
    return Promise.resolve(this.loadNow(bot, clientKey));
  }

  loadNow(bot: string, clientKey: string): string | undefined {
    try {
      return readFileSync(this.pathOf(bot, clientKey), 'utf8');
    } catch {
      return undefined;
    }
  }

  save(bot: string, clientKey: string, state: string): Promise<void> {
    try {
      mkdirSync(join(this.dir, bot), { recursive: true });
      writeFileAtomicSync(this.pathOf(bot, clientKey), state);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  forgetBot(bot: string): void {
    rmSync(join(this.dir, bot), { recursive: true, force: true });
  }

  /** Client keys are arbitrary text: the file name is a digest, so no key can name a path. */
  private pathOf(bot: string, clientKey: string): string {
    return join(this.dir, bot, `${createHash('sha256').update(clientKey).digest('hex').slice(0, 40)}.json`);
  }
}
