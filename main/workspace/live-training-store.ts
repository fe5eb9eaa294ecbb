import { copyFile, mkdir, readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseCategories, serializeCategories } from '../../aiml/category-writer.js';
import { writeFileAtomic } from '../atomic-file.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

const Sources = z.object({
  version: z.literal(1),
  categories: z.record(
    z.string(),
    z.object({ conversationId: z.string(), inputSeq: z.number().int(), replySeqs: z.array(z.number().int()), capturedAt: z.number() }),
  ),
});

export interface LiveTrainingStoreOptions {
  bot: string;
  aimlFile: string;
  sourcesFile: string;
  dir: string;
  now?: () => number;
  logger?: Logger;
}

/**
 * One bot's `pand_livetraining.aiml` in the workspace, with the sources of its categories beside it. Every change
 * reads the file again first (an edit made outside Studio is kept), applies the change, and writes the file
 * atomically through the engine's category writer; changes run one at a time. A file the engine cannot fully
 * parse is copied aside before anything is written, so a broken hand edit is never lost.
 */
export class LiveTrainingStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly o: LiveTrainingStoreOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The categories as they are on disk now. */
  async read(): Promise<LearnedCategory[]> {
    return [...(await this.load()).values()];
  }

  /** Applies `change` to the categories (keyed by pattern, that and topic) and writes the result. */
  update(change: (categories: Map<string, LearnedCategory>) => void): Promise<LearnedCategory[]> {
    const run = this.queue.then(async () => {
      const categories = await this.load();
      change(categories);
      await this.write(categories);
      return [...categories.values()];
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Map<string, LearnedCategory>> {
    const map = new Map<string, LearnedCategory>();
    const xml = await readIfExists(this.o.aimlFile);
    if (xml === undefined) return map;
    const parsed = parseCategories(xml, LIVE_TRAINING_FILE_NAME);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const aside = `${this.o.aimlFile}.broken-${this.now()}`;
      await copyFile(this.o.aimlFile, aside);
      this.o.logger?.warn(
        { file: this.o.aimlFile, keptAt: aside, errors: errors.slice(0, 5).map((d) => `line ${d.line}: ${d.message}`) },
        'pand_livetraining.aiml has errors: a copy was kept, the categories that could be read are kept',
      );
    }
    const sources = await this.loadSources();
    for (const c of parsed.categories) {
      const category: LearnedCategory = { pattern: c.pattern, that: c.that ?? '*', topic: c.topic ?? '*', template: c.template };
      const key = categoryKey(category);
      const source = sources[key];
      map.set(key, source ? { ...category, source } : category);
    }
    return map;
  }

  private async loadSources(): Promise<z.infer<typeof Sources>['categories']> {
    const text = await readIfExists(this.o.sourcesFile);
    if (text === undefined) return {};
    try {
      const parsed = Sources.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.categories;
    } catch {
      // fall through
    }
    // Losing where categories came from is a pity, not a reason to stop capturing.
    this.o.logger?.warn({ file: this.o.sourcesFile }, 'the category sources file is unreadable; sources start afresh');
    return {};
  }

  private async write(categories: Map<string, LearnedCategory>): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    const ordered = [...categories.values()].sort(compareCategories);
    const xml = serializeCategories(
      ordered.map((c) => ({ pattern: c.pattern, that: c.that, topic: c.topic, template: c.template })),
      { botName: this.o.bot, generatedAt: new Date(this.now()) },
    );
    await writeFileAtomic(this.o.aimlFile, xml);
    const sources = Object.fromEntries(ordered.filter((c) => c.source).map((c) => [categoryKey(c), c.source!]));
    await writeFileAtomic(this.o.sourcesFile, JSON.stringify({ version: 1, categories: sources }, null, 2) + '\n');
  }
}

/** A stable order (pattern, then that, then topic), so the same categories always make the same file. */
function compareCategories(a: LearnedCategory, b: LearnedCategory): number {
  return cmp(a.pattern, b.pattern) || cmp(a.that, b.that) || cmp(a.topic, b.topic);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
