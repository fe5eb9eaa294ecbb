/**
 * A bot's live learned categories on top of its compiled files: `layer.bot` answers at once with every change,
 * exactly as the bot compiled with those categories in `pand_livetraining.aiml` (loaded last) would, and nothing
 * is recompiled. One change costs what its category costs; setAll() builds a whole new set in slices and swaps it
 * in at once.
 *
 * A category that does not compile is refused with its problems, and the version that was live stays live.
 *
 * A layer belongs to one compiled base bot (the learned categories' sets are that bot's). When the bot's files
 * change, compile the new base and give a new layer the same categories: `LearnedLayer.on(newBase).setAll(old.specs())`.
 */
import { Bot } from '../bot.js';
import type { BotData } from '../bot-data.js';
import type { CategorySpec } from '../category-writer.js';
import { DEFAULT_SLICE_MS, type SliceOptions } from '../compile-in-slices.js';
import type { AimlDiagnostic } from '../types.js';
import { compileLearnedCategory, learnedKey, type CompiledLearnedCategory, type LearnedCategoryProblem } from './learned-category.js';
import { addToTop, emptyTop, LearnedLayerGraph, LearnedLayerMatcher, removeFromTop, type LearnedTop } from './learned-layer-graph.js';

/** Names one learned category: pattern, that and topic as a designer or the category writer writes them. */
export interface LearnedCategoryRef {
  pattern: string;
  that?: string;
  topic?: string;
}

export type PutOutcome =
  | { ok: true; key: string; replaced: CategorySpec | undefined; warnings: AimlDiagnostic[] }
  | { ok: false; problems: LearnedCategoryProblem[] };

export type RemoveOutcome = { ok: true; removed: CategorySpec | undefined } | { ok: false; problems: LearnedCategoryProblem[] };

export interface RejectedCategory {
  /** Position in the list given to setAll. */
  index: number;
  pattern: string;
  problems: LearnedCategoryProblem[];
  /** A category with the same pattern, that and topic was live: that version stays. */
  keptPrevious: boolean;
}

export interface SetAllOutcome {
  /** False when a later setAll() started before this one finished: the later one decides, this one changed nothing. */
  applied: boolean;
  /** Learned categories live after it (duplicates in the list count once, the later one wins, as in a file). */
  size: number;
  rejected: RejectedCategory[];
  warnings: Array<{ index: number; pattern: string; diagnostics: AimlDiagnostic[] }>;
}

/** A change made while setAll() was building: replayed onto the new set before it goes live. */
type PendingChange = { kind: 'put'; spec: CategorySpec } | { kind: 'remove'; key: string };

export class LearnedLayer {
  /** The base bot with the learned categories: hand it to sessions; it follows every change of the layer. */
  readonly bot: Bot;
  private readonly graph: LearnedLayerGraph;
  private readonly data: BotData;
  private entries = new Map<string, CompiledLearnedCategory>();
  private generation = 0;
  private pending: PendingChange[] | undefined;

  private constructor(readonly base: Bot) {
    this.graph = new LearnedLayerGraph(base.data.graph);
    this.data = { ...base.data, graph: this.graph, matcher: new LearnedLayerMatcher(base.data.matcher, this.graph) };
    this.bot = new Bot(this.data);
  }

  /** A layer with no learned category yet on a compiled bot (compiled without its `pand_livetraining.aiml`). */
  static on(base: Bot): LearnedLayer {
    return new LearnedLayer(base);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live learned categories, as given (in the order they were last put). */
  specs(): CategorySpec[] {
    return [...this.entries.values()].map((e) => e.spec);
  }

  /** The live learned category with this pattern, that and topic, as given, or undefined. */
  get(ref: LearnedCategoryRef): CategorySpec | undefined {
    const key = learnedKey(this.data, ref);
    return key.ok ? this.entries.get(key.key)?.spec : undefined;
  }

  /** @internal The compiled form of a live learned category, by the key put() returned (for analysis.ts). */
  compiled(key: string): CompiledLearnedCategory | undefined {
    return this.entries.get(key);
  }

  /** Adds a category, or replaces the one with the same pattern, that and topic. Refused (nothing changes) when it does not compile. */
  put(spec: CategorySpec): PutOutcome {
    const outcome = compileLearnedCategory(this.data, spec);
    if (!outcome.ok) return outcome;
    const replaced = this.entries.get(outcome.compiled.key)?.spec;
    this.putCompiled(outcome.compiled);
    this.pending?.push({ kind: 'put', spec });
    return { ok: true, key: outcome.compiled.key, replaced, warnings: outcome.compiled.warnings };
  }

  /** Takes a category out; `removed` is undefined when there was none. */
  remove(ref: LearnedCategoryRef): RemoveOutcome {
    const key = learnedKey(this.data, ref);
    if (!key.ok) return key;
    const removed = this.removeKey(key.key);
    this.pending?.push({ kind: 'remove', key: key.key });
    return { ok: true, removed };
  }

  /**
   * Replaces the category `old` names by `spec` in one step (an edited pattern, that or topic moves it). Refused
   * when `spec` does not compile: `old` then stays live as it was.
   */
  replace(old: LearnedCategoryRef, spec: CategorySpec): PutOutcome {
    const oldKey = learnedKey(this.data, old);
    if (!oldKey.ok) return oldKey;
    const outcome = compileLearnedCategory(this.data, spec);
    if (!outcome.ok) return outcome;
    const compiled = outcome.compiled;
    const replaced = this.entries.get(oldKey.key)?.spec ?? this.entries.get(compiled.key)?.spec;
    if (oldKey.key !== compiled.key) {
      this.removeKey(oldKey.key);
      this.pending?.push({ kind: 'remove', key: oldKey.key });
    }
    this.putCompiled(compiled);
    this.pending?.push({ kind: 'put', spec });
    return { ok: true, key: compiled.key, replaced, warnings: compiled.warnings };
  }

  /**
   * Makes `specs` the learned categories, all at once: they are compiled into a new graph a few milliseconds at a
   * time (the event loop gets a turn between slices, and the bot keeps answering with the current set), then swapped
   * in with the put/remove/replace calls made meanwhile applied on top. A category that does not compile is
   * reported; when a category with its pattern, that and topic was live, that version stays.
   */
  async setAll(specs: readonly CategorySpec[], options: SliceOptions = {}): Promise<SetAllOutcome> {
    const { sliceMs = DEFAULT_SLICE_MS, now = () => performance.now(), yieldToEventLoop = defaultYield } = options;
    const generation = ++this.generation;
    const pending: PendingChange[] = (this.pending = []);
    const next = emptyTop(this.graph.base);
    const entries = new Map<string, CompiledLearnedCategory>();
    const rejected: RejectedCategory[] = [];
    const warnings: SetAllOutcome['warnings'] = [];
    let deadline = now() + sliceMs;
    for (let index = 0; index < specs.length; index++) {
      if (now() >= deadline) {
        await yieldToEventLoop();
        if (this.generation !== generation) return { applied: false, size: this.entries.size, rejected: [], warnings: [] };
        deadline = now() + sliceMs;
      }
      const spec = specs[index]!;
      const outcome = compileLearnedCategory(this.data, spec);
      if (outcome.ok) {
        if (outcome.compiled.warnings.length > 0) warnings.push({ index, pattern: spec.pattern, diagnostics: outcome.compiled.warnings });
        this.putInto(next, entries, outcome.compiled);
        continue;
      }
      const key = learnedKey(this.data, spec);
      const live = key.ok ? this.entries.get(key.key) : undefined;
      rejected.push({ index, pattern: String(spec.pattern), problems: outcome.problems, keptPrevious: live !== undefined });
      // A live category's spec compiled before; compiling it again gives the new graph its own Category object.
      const again = live && compileLearnedCategory(this.data, live.spec);
      if (again && again.ok) this.putInto(next, entries, again.compiled);
    }
    for (const change of pending) {
      if (change.kind === 'remove') this.removeFrom(next, entries, change.key);
      else {
        const outcome = compileLearnedCategory(this.data, change.spec);
        if (outcome.ok) this.putInto(next, entries, outcome.compiled);
      }
    }
    this.pending = undefined;
    this.graph.swap(next);
    this.entries = entries;
    return { applied: true, size: entries.size, rejected, warnings };
  }

  private putCompiled(compiled: CompiledLearnedCategory): void {
    this.entries.delete(compiled.key);
    this.entries.set(compiled.key, compiled);
    this.graph.putLearned(compiled.category, compiled.pattern, compiled.that, compiled.topic, this.data.resolveSet);
  }

  private removeKey(key: string): CategorySpec | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.graph.removeLearned(entry.pattern, entry.that, entry.topic);
    return entry.spec;
  }

  private putInto(top: LearnedTop, entries: Map<string, CompiledLearnedCategory>, compiled: CompiledLearnedCategory): void {
    entries.delete(compiled.key);
    entries.set(compiled.key, compiled);
    addToTop(this.graph.base, top, compiled.category, compiled.pattern, compiled.that, compiled.topic, this.data.resolveSet);
  }

  private removeFrom(top: LearnedTop, entries: Map<string, CompiledLearnedCategory>, key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    removeFromTop(this.graph.base, top, entry.pattern, entry.that, entry.topic);
  }
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
