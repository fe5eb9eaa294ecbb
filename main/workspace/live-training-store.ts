import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseCategories, ValidatedFieldCache, type AimlDiagnostic } from '../../aiml/index.js';
import { isTempFileOf, writeFileAtomic } from '../../node-lib/atomic-write.js';
import { categoryKey, type CategorySource, type LearnedCategory } from './learned-category.js';
import { LiveTrainingFileWriter } from './live-training-file-writer.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

const Source = z.object({
  conversationId: z.string(),
  inputSeq: z.number().int(),
  replySeqs: z.array(z.number().int()),
  capturedAt: z.number(),
  input: z.string().optional(),
  clientName: z.string().optional(),
  before: z.object({ pattern: z.string(), that: z.string(), topic: z.string(), file: z.string(), defaultCategory: z.boolean() }).optional(),
});
/** Version 1 kept only sources; version 2 keeps the review state too. Both are read. */
const SourcesV1 = z.object({ version: z.literal(1), categories: z.record(z.string(), Source) });
const SourcesV2 = z.object({
  version: z.literal(2),
  categories: z.record(z.string(), z.object({ source: Source.optional(), state: z.enum(['new', 'reviewed']).optional() })),
});
type Meta = { source?: CategorySource; state?: 'new' | 'reviewed' };

export interface LiveTrainingStoreOptions {
  bot: string;
  aimlFile: string;
  sourcesFile: string;
  dir: string;
  now?: () => number;
  logger?: Logger;
  /** How a file is replaced; atomic (temp file, flush, rename) unless a test needs to watch it happen. */
  writeFile?: (path: string, data: string) => Promise<void>;
}

/** The file on disk as last seen: categories plus what was wrong with it. */
export interface StoreSnapshot {
  categories: LearnedCategory[];
  /** Problems of the file on disk (empty when Studio wrote it, or it reads cleanly). */
  problems: AimlDiagnostic[];
  /** Where a broken file was copied before Studio wrote over it. */
  brokenCopy?: string;
  /** Changes whenever the categories change (on disk or in Studio). */
  version: number;
}

interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
}

/**
 * One bot's `pand_livetraining.aiml` in the workspace, with what Studio knows of its categories beside it
 * (sources, review state). Changes run one at a time: each checks whether the file changed on disk since Studio
 * last read or wrote it (an edit made outside Studio is read and kept), applies the change, and writes the file
 * atomically (temp file, flush, rename): a crash leaves the old file or the new one, never half of one. A file the
 * engine cannot fully read is copied aside before anything is written over it, so a broken hand edit is never
 * lost, and Studio goes on with the categories it could read (or, when the file is not XML at all, with the
 * categories it had before the edit).
 */
export class LiveTrainingStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly writeFile: (path: string, data: string) => Promise<void>;
  private readonly validated = new ValidatedFieldCache();
  private readonly fileWriter = new LiveTrainingFileWriter(this.validated);
  /** Each category's entry in the sources file, by the category object (a changed category is a new object). */
  private readonly metaTexts = new WeakMap<LearnedCategory, { key: string; text: string | undefined }>();
  private cache: Map<string, LearnedCategory> | undefined;
  private seen: FileIdentity | undefined;
  private problems: AimlDiagnostic[] = [];
  private brokenCopy: string | undefined;
  private version = 0;
  private cleaned = false;
  /** The categories came from reading the file (first read, or an edit made outside Studio), not from Studio's last write. */
  private reread = true;
  private keptAside = false;

  constructor(private readonly o: LiveTrainingStoreOptions) {
    this.now = o.now ?? Date.now;
    this.writeFile = o.writeFile ?? writeFileAtomic;
  }

  get file(): string {
    return this.o.aimlFile;
  }

  /** The categories as they are on disk now. */
  async read(): Promise<LearnedCategory[]> {
    return (await this.snapshot()).categories;
  }

  /** The categories and the state of the file, re-read only when the file changed since Studio last saw it. */
  snapshot(): Promise<StoreSnapshot> {
    return this.serial(async () => {
      const categories = await this.load();
      return this.snapshotOf(categories);
    });
  }

  /**
   * Applies `change` to the categories (keyed by pattern, that and topic) and writes the result. A change that
   * throws writes nothing. Resolves with the categories before and after (the caller may keep them for undo).
   */
  update<T>(change: (categories: Map<string, LearnedCategory>, from: { reread: boolean }) => T): Promise<{ before: Map<string, LearnedCategory>; after: StoreSnapshot; result: T }> {
    return this.serial(async () => {
      const before = await this.load();
      const next = new Map(before);
      const result = change(next, { reread: this.reread });
      if (!sameEntries(before, next)) await this.write(next);
      return { before, after: this.snapshotOf(next), result };
    });
  }

  /**
   * The file's text when someone changed it since Studio last wrote or read it (a hand edit), else undefined. What
   * Studio knows of the file is left as it was: the next change reads the edit in full.
   */
  handEdit(): Promise<string | undefined> {
    return this.serial(async () => {
      const identity = await this.identity();
      if (!identity || !this.seen || sameFile(identity, this.seen)) return undefined;
      const text = await readFile(this.o.aimlFile, 'utf8');
      return hashOf(text) === this.seen.hash ? undefined : text;
    });
  }

  /** The file on disk was already copied aside (a rejected hand edit): the next write need not keep another copy. */
  markKeptAside(): void {
    this.keptAside = true;
  }

  /** Writes the categories Studio holds over a file read from disk that no change has written since (a hand edit). */
  settle(): Promise<void> {
    return this.serial(async () => {
      const categories = await this.load();
      if (this.reread && this.seen) await this.write(categories);
    });
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const p = this.queue.then(run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private snapshotOf(categories: Map<string, LearnedCategory>): StoreSnapshot {
    const s: StoreSnapshot = { categories: [...categories.values()], problems: this.problems, version: this.version };
    if (this.brokenCopy) s.brokenCopy = this.brokenCopy;
    return s;
  }

  private async load(): Promise<Map<string, LearnedCategory>> {
    if (!this.cleaned) {
      this.cleaned = true;
      await this.removeStaleTempFiles();
    }
    const identity = await this.identity();
    if (this.cache && sameFile(identity, this.seen)) return this.cache;
    const map = new Map<string, LearnedCategory>();
    if (!identity) {
      this.accept(map, undefined, []);
      return map;
    }
    const xml = await readFile(this.o.aimlFile, 'utf8');
    const id = { ...identity, hash: hashOf(xml) };
    if (this.cache && this.seen && id.hash === this.seen.hash) {
      // Touched (or rewritten identically) but not changed.
      this.seen = id;
      return this.cache;
    }
    const parsed = parseCategories(xml, LIVE_TRAINING_FILE_NAME);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    const notXml = errors.length > 0 && parsed.categories.length === 0;
    if (errors.length > 0) {
      this.o.logger?.warn(
        { file: this.o.aimlFile, errors: errors.slice(0, 5).map((d) => `line ${d.line}: ${d.message}`) },
        'pand_livetraining.aiml has errors: Studio keeps the categories it can read and a copy of the file before it writes',
      );
    }
    if (notXml && this.cache) {
      // Nothing could be read: go on with what Studio had, and keep the broken file until Studio writes.
      this.reread = true;
      this.problems = parsed.diagnostics;
      this.seen = id;
      this.version++;
      return this.cache;
    }
    const meta = await this.loadMeta();
    for (const c of parsed.categories) {
      const category: LearnedCategory = { pattern: c.pattern, that: c.that ?? '*', topic: c.topic ?? '*', template: c.template };
      const key = categoryKey(category);
      const m = meta[key];
      if (m?.source) category.source = m.source;
      if (m?.state) category.state = m.state;
      map.set(key, category);
    }
    this.accept(map, id, parsed.diagnostics.filter((d) => d.severity === 'error' || /DOCTYPE|entit/i.test(d.message)));
    return map;
  }

  private accept(map: Map<string, LearnedCategory>, identity: FileIdentity | undefined, problems: AimlDiagnostic[]): void {
    this.reread = true;
    this.cache = map;
    this.seen = identity;
    this.problems = problems;
    if (problems.length === 0) this.brokenCopy = undefined;
    this.version++;
  }

  private async loadMeta(): Promise<Record<string, Meta>> {
    const text = await readIfExists(this.o.sourcesFile);
    if (text === undefined) return {};
    try {
      const json: unknown = JSON.parse(text);
      const v2 = SourcesV2.safeParse(json);
      if (v2.success) return v2.data.categories as Record<string, Meta>;
      const v1 = SourcesV1.safeParse(json);
      if (v1.success) return Object.fromEntries(Object.entries(v1.data.categories).map(([k, source]) => [k, { source }]));
    } catch {
      // fall through
    }
    // Losing where categories came from is a pity, not a reason to stop capturing.
    this.o.logger?.warn({ file: this.o.sourcesFile }, 'the category sources file is unreadable; sources start afresh');
    return {};
  }

  private async write(categories: Map<string, LearnedCategory>): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    const ordered = [...categories.values()];
    const xml = await this.fileWriter.text(ordered, this.o.bot, new Date(this.now()));
    const keptAside = this.keptAside;
    this.keptAside = false;
    if (!keptAside && this.problems.some((d) => d.severity === 'error') && (await this.identity())) {
      const aside = `${this.o.aimlFile}.broken-${this.now()}`;
      await copyFile(this.o.aimlFile, aside);
      this.brokenCopy = aside;
      this.o.logger?.warn({ file: this.o.aimlFile, keptAt: aside }, 'a copy of the broken pand_livetraining.aiml was kept');
    }
    await this.writeFile(this.o.aimlFile, xml);
    await this.writeFile(this.o.sourcesFile, await this.sourcesText(categories));
    const identity = await this.identity();
    this.cache = categories;
    this.reread = false;
    this.seen = identity ? { ...identity, hash: hashOf(xml) } : undefined;
    this.problems = [];
    this.version++;
  }

  /**
   * The sources file: what `JSON.stringify({ version: 2, categories }, null, 1)` writes, built from each category's
   * entry kept as text, so a change among 10,000 categories stringifies only the categories it changed. `categories`
   * is the map about to be kept (not changed meanwhile: changes run one at a time).
   */
  private async sourcesText(categories: ReadonlyMap<string, LearnedCategory>): Promise<string> {
    const entries: string[] = [];
    let seen = 0;
    for (const [key, c] of categories) {
      // A turn of the event loop every 2,000 categories: Studio's main process is never held long.
      if (++seen % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
      let cached = this.metaTexts.get(c);
      if (cached?.key !== key) {
        cached = { key, text: metaEntryText(key, c) };
        this.metaTexts.set(c, cached);
      }
      if (cached.text !== undefined) entries.push(cached.text);
    }
    return entries.length === 0 ? '{\n "version": 2,\n "categories": {}\n}\n' : `{\n "version": 2,\n "categories": {\n${entries.join(',\n')}\n }\n}\n`;
  }

  private async identity(): Promise<Omit<FileIdentity, 'hash'> | undefined> {
    try {
      const s = await stat(this.o.aimlFile);
      return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** A write killed midway leaves its temp file behind (the real file is untouched): clear those. */
  private async removeStaleTempFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.o.dir);
    } catch {
      return;
    }
    const targets = [basename(this.o.aimlFile), basename(this.o.sourcesFile)];
    for (const name of names) {
      if (targets.some((target) => isTempFileOf(name, target))) await rm(join(this.o.dir, name), { force: true });
    }
  }
}

/** One category's entry in the sources file, indented as it sits there (two levels deep); none without a source or state. */
function metaEntryText(key: string, c: LearnedCategory): string | undefined {
  if (!c.source && !c.state) return undefined;
  const m: Meta = {};
  if (c.source) m.source = c.source;
  if (c.state) m.state = c.state;
  // JSON strings hold no raw line breaks, so every line break is one of the layout's.
  return `  ${JSON.stringify(key)}: ${JSON.stringify(m, null, 1).replaceAll('\n', '\n  ')}`;
}

function sameFile(a: Omit<FileIdentity, 'hash'> | undefined, b: FileIdentity | undefined): boolean {
  if (!a || !b) return a === undefined && b === undefined;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

function sameEntries(a: Map<string, LearnedCategory>, b: Map<string, LearnedCategory>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
