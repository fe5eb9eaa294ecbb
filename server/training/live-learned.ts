import type { Logger } from 'pino';
import { LIVE_TRAINING_FILE, ValidatedFieldCache, type CategorySpec } from '../../aiml/index.js';
import type { LearnedCategory, LearnedHistoryEntry } from '../../protocol/learned.js';
import type { ManagedBotRegistry } from '../bots/registry.js';
import { learnedFileText } from './learned-file-text.js';
import type { LearnedStore } from './learned-store.js';

export interface LiveLearnedOptions {
  store: LearnedStore;
  registry: Pick<ManagedBotRegistry, 'exists' | 'learnedLayer' | 'writeLearnedFile'>;
  logger: Logger;
  /** Changes this close together rewrite the bot's file once (real time: nobody waits on the file, only on the bot). */
  fileDebounceMs?: number;
  /**
   * In a cluster: writes the bot's file into the shared bot files. Called by the instance that made a change only
   * (after its own file is written), so the shared file is written once per change, not by every instance.
   */
  shareFile?: (bot: string) => Promise<void>;
}

/**
 * Keeps each bot's approved learned categories live in the bot (the registry's learned layer: each change costs one
 * category, at once) and in its `pand_livetraining.aiml` (what the Pandorabots API's getFile and the bot's zip give),
 * rewritten atomically shortly after a change.
 */
export class LiveLearned {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly writing = new Map<string, Promise<void>>();
  /** Per bot, the approved categories by id: what the file holds (kept here so writing it reads nothing back). */
  private readonly approved = new Map<string, Map<string, CategorySpec>>();
  private readonly validated = new Map<string, ValidatedFieldCache>();
  /** The text each bot's file was last written with (told apart from a file uploaded through the API). */
  private readonly written = new Map<string, string>();
  private closed = false;
  /** Per bot, the version of each category as this instance's layer last took it (approved or not, or deleted). */
  private readonly versions = new Map<string, Map<string, number>>();
  /** Per bot, when (a count of local changes) each category last changed by this instance's own operations. */
  private readonly touched = new Map<string, Map<string, number>>();
  private localChanges = 0;
  /** Per bot, the categories changed on other instances still to read, and the read running. */
  private readonly following = new Map<string, { ids: Set<string>; done: Promise<void> }>();
  /** Bots changed by this instance's own operations since their file was last written (they share it). */
  private readonly changedHere = new Set<string>();

  constructor(private readonly o: LiveLearnedOptions) {}

  /** Puts the learned categories each bot already has into it (at start), before anyone talks to it. */
  async start(bots: readonly string[]): Promise<void> {
    for (const bot of bots) {
      const approved = (await this.o.store.all(bot)).filter((c) => c.status === 'approved');
      if (approved.length === 0) continue;
      this.approved.set(bot, new Map(approved.map((c) => [c.id, specOf(c)])));
      for (const c of approved) this.versionsOf(bot).set(c.id, c.version);
      const layer = this.o.registry.learnedLayer(bot);
      if (!layer) continue;
      const outcome = await layer.setAll(approved.map(specOf));
      if (outcome.rejected.length > 0) this.o.logger.warn({ bot, rejected: outcome.rejected.slice(0, 10) }, 'some learned categories do not compile on this version of the bot and are not live');
      this.fileChanged(bot);
    }
  }

  /** What an operation changed (its history entries): the bot follows at once, its file shortly after. */
  applied(bot: string, entries: readonly Pick<LearnedHistoryEntry, 'before' | 'after'>[]): void {
    const layer = this.o.registry.learnedLayer(bot);
    let changed = false;
    for (const { before, after } of entries) {
      const id = (after ?? before)?.id;
      if (id !== undefined) {
        this.touched.set(bot, (this.touched.get(bot) ?? new Map<string, number>()).set(id, ++this.localChanges));
        const version = after?.version ?? before?.version;
        if (version !== undefined) this.versionsOf(bot).set(id, Math.max(version, this.versionsOf(bot).get(id) ?? 0));
      }
      const was = before?.status === 'approved' ? before : undefined;
      const is = after?.status === 'approved' ? after : undefined;
      if (!was && !is) continue;
      changed = true;
      const set = this.approvedOf(bot);
      if (was) set.delete(was.id);
      if (is) set.set(is.id, specOf(is));
      if (!layer) continue;
      const outcome = was && is ? layer.replace(specOf(was), specOf(is)) : is ? layer.put(specOf(is)) : layer.remove(specOf(was!));
      // Fields are checked before they are stored, so this is a category that needs something the bot lacks (a set).
      if (!outcome.ok) this.o.logger.warn({ bot, pattern: (is ?? was)!.pattern, problems: outcome.problems }, 'a learned category could not go live');
    }
    if (changed) {
      this.changedHere.add(bot);
      this.fileChanged(bot);
    }
  }

  /**
   * Categories changed by another Platform instance (a `learned.changed` event that came through the event bridge):
   * read from the store and made so in this instance's bot. Idempotent by category version (this instance's own
   * changes, heard again, change nothing), one read at a time per bot, and resolves once they are live.
   */
  follow(bot: string, ids: readonly string[]): Promise<void> {
    const running = this.following.get(bot);
    if (running) {
      for (const id of ids) running.ids.add(id);
      return running.done;
    }
    const state = { ids: new Set(ids), done: Promise.resolve() };
    state.done = (async () => {
      try {
        while (state.ids.size > 0 && !this.closed) {
          const batch = [...state.ids];
          state.ids.clear();
          await this.reconcile(bot, batch);
        }
      } catch (error) {
        this.o.logger.error({ err: error, bot }, 'could not follow learned categories changed on another instance');
      } finally {
        this.following.delete(bot);
      }
    })();
    this.following.set(bot, state);
    return state.done;
  }

  /** Resolves when every change heard from other instances so far is live here (tests). */
  async followed(): Promise<void> {
    while (this.following.size > 0) await Promise.all([...this.following.values()].map((f) => f.done));
  }

  private async reconcile(bot: string, ids: readonly string[]): Promise<void> {
    const readFrom = this.localChanges;
    const current = await Promise.all(ids.map((id) => this.o.store.get(bot, id)));
    const layer = this.o.registry.learnedLayer(bot);
    const known = this.versionsOf(bot);
    let changed = false;
    ids.forEach((id, i) => {
      const category = current[i];
      // Changed here while the read was on its way: what this instance applied is at least as new.
      if ((this.touched.get(bot)?.get(id) ?? 0) > readFrom) return;
      if (category) {
        if (category.version <= (known.get(id) ?? 0)) return;
        known.set(id, category.version);
      }
      const set = this.approvedOf(bot);
      const was = set.get(id);
      const is = category?.status === 'approved' ? specOf(category) : undefined;
      if (!was && !is) return;
      if (was && is && sameSpec(was, is)) return;
      changed = true;
      if (is) set.set(id, is);
      else set.delete(id);
      if (!layer) return;
      const outcome = was && is ? layer.replace(was, is) : is ? layer.put(is) : layer.remove(was!);
      if (!outcome.ok) this.o.logger.warn({ bot, pattern: (is ?? was)!.pattern, problems: outcome.problems }, 'a learned category changed on another instance could not go live');
    });
    if (changed) this.fileChanged(bot);
  }

  private versionsOf(bot: string): Map<string, number> {
    let map = this.versions.get(bot);
    if (!map) this.versions.set(bot, (map = new Map()));
    return map;
  }

  /** Whether `text` is what this Platform last wrote as the bot's file. */
  isWrittenText(bot: string, text: string): boolean {
    return this.written.get(bot) === text;
  }

  /**
   * Writes the bot's file from its approved categories now (also when nothing changed: an upload that changed nothing
   * must still leave the Platform's own file), instead of after the debounce.
   */
  writeNow(bot: string): Promise<void> {
    const timer = this.timers.get(bot);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(bot);
    }
    return this.write(bot);
  }

  /** Writes every file still waiting (shutdown, tests). */
  async flush(): Promise<void> {
    for (const [bot, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.timers.delete(bot);
      void this.write(bot);
    }
    await Promise.all([...this.writing.values()]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private approvedOf(bot: string): Map<string, CategorySpec> {
    let set = this.approved.get(bot);
    if (!set) this.approved.set(bot, (set = new Map()));
    return set;
  }

  private fileChanged(bot: string): void {
    if (this.closed || this.timers.has(bot)) return;
    const timer = setTimeout(() => {
      this.timers.delete(bot);
      void this.write(bot);
    }, this.o.fileDebounceMs ?? 200);
    timer.unref();
    this.timers.set(bot, timer);
  }

  private write(bot: string): Promise<void> {
    const next = (this.writing.get(bot) ?? Promise.resolve()).then(async () => {
      try {
        if (!this.o.registry.exists(bot)) return;
        let validated = this.validated.get(bot);
        if (!validated) this.validated.set(bot, (validated = new ValidatedFieldCache()));
        const xml = await learnedFileText(bot, [...this.approvedOf(bot).values()], validated);
        this.o.registry.writeLearnedFile(bot, Buffer.from(xml, 'utf8'));
        this.written.set(bot, xml);
        if (this.o.shareFile && this.changedHere.delete(bot)) await this.o.shareFile(bot);
      } catch (error) {
        // The bot already answers with the change; the next change writes the file again.
        this.o.logger.error({ err: error, bot, file: LIVE_TRAINING_FILE }, 'could not write the learned categories file');
      }
    });
    this.writing.set(bot, next);
    void next.then(() => {
      if (this.writing.get(bot) === next) this.writing.delete(bot);
    });
    return next;
  }
}

export function specOf(c: LearnedCategory): CategorySpec {
  return { pattern: c.pattern, template: c.template, ...(c.that !== '*' ? { that: c.that } : {}), ...(c.topic !== '*' ? { topic: c.topic } : {}) };
}

function sameSpec(a: CategorySpec, b: CategorySpec): boolean {
  return a.pattern === b.pattern && a.template === b.template && a.that === b.that && a.topic === b.topic;
}
