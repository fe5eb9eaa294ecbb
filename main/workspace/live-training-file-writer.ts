import { serializeCategories, type ValidatedFieldCache } from '../../aiml/index.js';
import type { LearnedCategory } from './learned-category.js';

/** Categories serialised per turn of the event loop when many are new (the first write, a full list). */
const CHUNK = 250;
/** Categories looked at (keyed, compared, joined) per turn of the event loop: a millisecond or two each. */
const SLICE = 2000;
const FOOTER = '</aiml>\n';

type Spec = { pattern: string; that: string; topic: string; template: string };

/**
 * Writes one bot's `pand_livetraining.aiml` text again after a change, byte for byte what `liveTrainingFileText`
 * writes for the same categories, but doing only the work the change needs: each category's serialised text is kept
 * (by pattern, that and topic, while its template is the same) and the sorted order is kept and patched, so one
 * capture among 10,000 categories serialises one category and joins the rest. Categories not serialised yet are
 * serialised a chunk at a time with a turn of the event loop between chunks, so even the first write of a large bot
 * never holds Studio's main process for long.
 */
export class LiveTrainingFileWriter {
  private readonly texts = new Map<string, { template: string; text: string }>();
  private sorted: string[] = [];
  private bodyStart: number | undefined;

  constructor(private readonly validated?: ValidatedFieldCache) {}

  async text(categories: readonly LearnedCategory[], botName: string, writtenAt: Date): Promise<string> {
    const byKey = new Map<string, Spec>();
    for (let i = 0; i < categories.length; i++) {
      if (i > 0 && i % SLICE === 0) await nextTurn();
      const c = categories[i]!;
      const spec = { pattern: c.pattern, that: c.that || '*', topic: c.topic || '*', template: c.template };
      // A later category with the same key replaces an earlier one, as in one call of the writer.
      byKey.set(`${spec.pattern}\u0000${spec.that}\u0000${spec.topic}`, spec);
    }
    await this.serialiseMissing(byKey);
    await this.reorder(byKey);
    const header = serializeCategories([], { botName, generatedAt: writtenAt });
    const slices = [header.slice(0, header.length - FOOTER.length)];
    for (let i = 0; i < this.sorted.length; i += SLICE) {
      await nextTurn();
      slices.push(
        this.sorted
          .slice(i, i + SLICE)
          .map((key) => this.texts.get(key)!.text)
          .join(''),
      );
    }
    slices.push(FOOTER);
    return slices.join('');
  }

  /** Serialises (and so validates) the categories that are new or changed; the writer throws for an invalid one. */
  private async serialiseMissing(byKey: ReadonlyMap<string, Spec>): Promise<void> {
    const missing: [string, Spec][] = [];
    let seen = 0;
    for (const [key, spec] of byKey) {
      if (++seen % SLICE === 0) await nextTurn();
      if (this.texts.get(key)?.template !== spec.template) missing.push([key, spec]);
    }
    const options = this.validated ? { validated: this.validated } : {};
    this.bodyStart ??= serializeCategories([]).length - FOOTER.length;
    for (let i = 0; i < missing.length; i += CHUNK) {
      await nextTurn();
      const chunk = missing.slice(i, i + CHUNK);
      // Validated together first, so an invalid category throws before any text is kept.
      serializeCategories(
        chunk.map(([, spec]) => spec),
        undefined,
        options,
      );
      for (const [key, spec] of chunk) {
        const one = serializeCategories([spec], undefined, options);
        this.texts.set(key, { template: spec.template, text: one.slice(this.bodyStart, one.length - FOOTER.length) });
      }
    }
    for (const key of [...this.texts.keys()]) if (!byKey.has(key)) this.texts.delete(key);
  }

  /** The keys in the writer's order (one string comparison): patched by binary search when few changed. */
  private async reorder(byKey: ReadonlyMap<string, Spec>): Promise<void> {
    await nextTurn();
    const had = new Set(this.sorted);
    await nextTurn();
    const added = [...byKey.keys()].filter((k) => !had.has(k));
    const removed = this.sorted.length + added.length - byKey.size;
    if (added.length + removed > 64) {
      this.sorted = [...byKey.keys()].sort(compare);
      return;
    }
    if (removed > 0) {
      await nextTurn();
      this.sorted = this.sorted.filter((k) => byKey.has(k));
    }
    for (const key of added) this.sorted.splice(insertionPoint(this.sorted, key), 0, key);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function insertionPoint(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
