import type { Logger } from 'pino';
import { z } from 'zod';
import { LearnedCategory, type LearnedChange } from '../../protocol/learned.js';
import { JsonStateFile } from './json-state-file.js';

const MirrorFile = z.object({
  version: z.literal(1),
  /** The Platform these categories are from: a mirror of another Platform's bot is not this one's. */
  platformUrl: z.string().optional(),
  /** When the mirror last listed everything from the Platform. */
  syncedAt: z.number().optional(),
  categories: z.array(LearnedCategory),
});
type MirrorFile = z.infer<typeof MirrorFile>;

export interface LearnedMirrorOptions {
  file: string;
  logger?: Logger;
  now?: () => number;
}

/**
 * One bot's learned categories as the Platform has them, kept in the workspace folder so Training opens (and can be
 * edited) while the link is down. Filled by a full `learned.list` on every connect, then kept current by the
 * `learned.changed` events of every designer; a change never replaces a newer version of a category with an older
 * one (an event and a list can cross).
 */
export class LearnedMirror {
  private readonly file: JsonStateFile<typeof MirrorFile>;
  private readonly byId = new Map<string, LearnedCategory>();
  private meta: Omit<MirrorFile, 'categories'> = { version: 1 };
  private loading: Promise<void> | undefined;
  /** Categories removed while Studio runs, with the version they had: a late event for an older one cannot revive them. */
  private readonly removedAt = new Map<string, number>();
  /** Each category's JSON, per version: a save writes 10,000 categories without stringifying them all again. */
  private readonly json = new Map<string, { version: number; text: string }>();
  private saving: Promise<unknown> = Promise.resolve();
  /** +1 per change: what caches of derived state (the exported file, previews) key on. */
  revision = 0;
  /** The ids changed or removed since the export last took them; `all` after a load or a full list. */
  private changes: { all: true } | { all: false; ids: Set<string> } = { all: true };

  constructor(o: LearnedMirrorOptions) {
    this.file = new JsonStateFile({ path: o.file, schema: MirrorFile, empty: () => ({ version: 1, categories: [] }), logger: o.logger, now: o.now });
  }

  /** Reads the mirror from the workspace folder (once). */
  load(): Promise<void> {
    this.loading ??= this.file.read().then((read) => {
      const { categories, ...meta } = read;
      this.meta = meta;
      for (const c of categories) this.byId.set(c.id, c);
      this.changes = { all: true };
      this.revision++;
    });
    return this.loading;
  }

  get platformUrl(): string | undefined {
    return this.meta.platformUrl;
  }

  get syncedAt(): number | undefined {
    return this.meta.syncedAt;
  }

  all(): LearnedCategory[] {
    return [...this.byId.values()];
  }

  get(id: string): LearnedCategory | undefined {
    return this.byId.get(id);
  }

  /** Everything the Platform listed, replacing what the mirror held (from another Platform, or missed while away). */
  async replaceAll(platformUrl: string, categories: readonly LearnedCategory[], at: number): Promise<void> {
    await this.load();
    this.byId.clear();
    for (const c of categories) this.byId.set(c.id, c);
    this.meta = { version: 1, platformUrl, syncedAt: at };
    this.changes = { all: true };
    this.revision++;
    await this.save();
  }

  /** An applied operation (this designer's or another's): true when the mirror changed. */
  async apply(change: Pick<LearnedChange, 'categories' | 'removed'>): Promise<boolean> {
    await this.load();
    let changed = false;
    for (const c of change.categories) {
      const known = this.byId.get(c.id);
      if (known && known.version >= c.version) continue;
      if (!known && (this.removedAt.get(c.id) ?? 0) >= c.version) continue;
      this.byId.set(c.id, c);
      this.changed(c.id);
      changed = true;
    }
    for (const id of change.removed) {
      const known = this.byId.get(id);
      if (!known) continue;
      // An undo that brings the category back has a newer version than any it had (the Platform counts on).
      this.removedAt.set(id, known.version);
      this.byId.delete(id);
      this.changed(id);
      changed = true;
    }
    if (!changed) return false;
    this.revision++;
    await this.save();
    return true;
  }

  /**
   * What changed since the last call: the ids to look at again, or everything. The export (mirror-export.ts) takes
   * them, so that one capture among 10,000 categories updates one entry of the learned file instead of comparing all.
   */
  takeChanges(): { all: true } | { all: false; ids: ReadonlySet<string> } {
    const taken = this.changes;
    this.changes = { all: false, ids: new Set() };
    return taken;
  }

  /** The export failed after taking the changes: the next one compares everything again. */
  forgetChanges(): void {
    this.changes = { all: true };
  }

  private changed(id: string): void {
    if (!this.changes.all) this.changes.ids.add(id);
  }

  /** Saves run one after another, each from the mirror as it is when it starts (so the last one written is the newest). */
  private save(): Promise<void> {
    const p = this.saving.then(() => this.writeNow());
    this.saving = p.catch(() => undefined);
    return p;
  }

  /** Writes the mirror from each category's JSON kept per version, a slice at a time (same bytes as at once). */
  private async writeNow(): Promise<void> {
    const all = [...this.byId.values()];
    const meta = JSON.stringify(this.meta);
    const parts: string[] = [];
    for (let i = 0; i < all.length; i++) {
      // A turn of the event loop every 2,000 categories: 10,000 of them are never written in one go.
      if (i > 0 && i % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
      const c = all[i]!;
      let cached = this.json.get(c.id);
      if (cached?.version !== c.version) {
        cached = { version: c.version, text: JSON.stringify(c) };
        this.json.set(c.id, cached);
      }
      parts.push(cached.text);
    }
    for (const id of this.json.keys()) if (!this.byId.has(id)) this.json.delete(id);
    return this.file.writeText(`${meta.slice(0, -1)},"categories":[${parts.join(',')}]}\n`);
  }
}
