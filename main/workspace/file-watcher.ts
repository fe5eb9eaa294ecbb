import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Changes within this long of each other are one edit (an editor's save is often several writes). */
const SETTLE_MS = 300;

/**
 * Watches each opened bot's `pand_livetraining.aiml` for edits made outside Studio (the folder is watched, since
 * editors save by replacing the file). Studio's own writes are seen too: the handler tells them apart by the file's
 * content (live-training-store.ts `handEdit`).
 */
export class LearnedFileWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly onChange: (bot: string) => void) {}

  watch(bot: string, file: string): void {
    if (this.watchers.has(bot)) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const watcher = watch(dirname(file), (_event, name) => {
        if (name !== null && name !== basename(file)) return;
        clearTimeout(this.timers.get(bot));
        this.timers.set(
          bot,
          setTimeout(() => {
            this.timers.delete(bot);
            this.onChange(bot);
          }, SETTLE_MS),
        );
      });
      watcher.on('error', () => this.unwatch(bot));
      this.watchers.set(bot, watcher);
    } catch {
      // A folder that cannot be watched: hand edits are then taken in at the next look at the bot (`takeHandEdit`).
    }
  }

  close(): void {
    for (const bot of [...this.watchers.keys()]) this.unwatch(bot);
  }

  private unwatch(bot: string): void {
    this.watchers.get(bot)?.close();
    this.watchers.delete(bot);
    clearTimeout(this.timers.get(bot));
    this.timers.delete(bot);
  }
}
