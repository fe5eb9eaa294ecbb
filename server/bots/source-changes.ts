import type { LiveVersions } from './live-versions.js';

/**
 * Whether each bot's source files changed since its last successful verify ("dirty": the talk API then refuses
 * unless `recent=true`), kept in memory and in the bot's state.json. Every change also bumps a generation, so a
 * verify that raced a write knows the bot is still dirty.
 */
export class SourceChanges {
  private readonly dirty = new Map<string, boolean>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly versions: LiveVersions) {}

  /** A source file was written or removed (or the bot created). */
  changed(bot: string): void {
    this.generation.set(bot, (this.generation.get(bot) ?? 0) + 1);
    this.dirty.set(bot, true);
    this.versions.markDirty(bot);
  }

  /** Unknown bots count as dirty: nothing says their files were verified. */
  isDirty(bot: string): boolean {
    return this.dirty.get(bot) ?? true;
  }

  /** Known to be dirty (the talk API refuses only then). */
  knownDirty(bot: string): boolean {
    return this.dirty.get(bot) === true;
  }

  setDirty(bot: string, dirty: boolean): void {
    this.dirty.set(bot, dirty);
  }

  generationOf(bot: string): number {
    return this.generation.get(bot) ?? 0;
  }

  forget(bot: string): void {
    this.dirty.delete(bot);
    this.generation.delete(bot);
  }
}
