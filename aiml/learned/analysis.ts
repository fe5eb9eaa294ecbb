/**
 * Conflicts and duplicates of learned categories with a bot's files, kept up to date one category at a time. The
 * findings are those of Studio's full analysis (main/workspace/category-analysis.ts, kinds in protocol/training.ts):
 * - duplicate / overrides: a category of the bot's files has the same pattern, that and topic;
 * - unreachable: the input the category was learned from is answered by another category;
 * - matchedBefore: before it was learned that input already had a (non-default) answer;
 * - shadows: a category of the bot's files used to answer its own sample input and now a learned one does.
 *
 * Why incremental: the full analysis re-matches every learned category and every candidate base category on each
 * capture (about 3.7 s on ALICE with 10,000 learned). Here an index is built once, in slices: the bot's categories by
 * key, and a "sample" input for each base category that answers its own sample and for each learned category, with
 * the match it currently gets (category and match key). A change then costs only what that category touches:
 * - adding one: its pattern is matched, on its own, against the samples holding its rarest word (an inverted word
 *   index), and takes those where its match key beats the current one (the key order is the matcher's own order,
 *   pattern-graph.ts, so this is what matching the whole bot would say); its own sample is matched once;
 * - removing one: only the samples it was answering are matched again.
 * A learned pattern without any plain word (`*`, `_ ^`) can match every sample and costs a pass over all of them.
 */
import type { Bot } from '../bot.js';
import type { Category } from '../category.js';
import { tokenKind, tokenValue } from '../category.js';
import { DEFAULT_SLICE_MS, type SliceOptions } from '../compile-in-slices.js';
import { toWords } from '../normalizer.js';
import { compareMatchKeys, MatchBudgetExceeded, Matcher, PatternGraph, type CategoryMatcher, type MatchInput } from '../pattern-graph.js';
import { UNKNOWN_WORDS } from '../responder.js';
import { LIVE_TRAINING_FILE } from '../bot-properties.js';
import { LearnedLayer } from './learned-layer.js';
import type { CompiledLearnedCategory } from './learned-category.js';
import { samplePatternInput, templateGlance } from './pattern-sample.js';
import { SampleTrie } from './sample-trie.js';

/** Shadowed categories listed per learned category before the rest is only counted. */
const MAX_SHADOWS_LISTED = 20;

/** A category a finding points at (protocol/training.ts CategoryPointer). */
export interface CategoryPointer {
  pattern: string;
  that: string;
  topic: string;
  file: string;
  line?: number;
  answer?: string;
}

export type FindingKind = 'duplicate' | 'overrides' | 'shadows' | 'unreachable' | 'matchedBefore';

/** protocol/training.ts Finding. */
export interface Finding {
  kind: FindingKind;
  message: string;
  other: CategoryPointer;
}

/** A learned category as Studio's workspace and the Platform keep it (main/workspace/learned-category.ts fits). */
export interface AnalysedCategory {
  pattern: string;
  that: string;
  topic: string;
  template: string;
  source?: {
    /** The user's message as typed. */
    input?: string;
    /** What the bot answered that input with before the designer stepped in. */
    before?: { pattern: string; that: string; topic: string; file: string; defaultCategory: boolean };
  };
}

/** Pattern, that and topic as the matcher compares them (main/workspace/learned-category.ts categoryKey). */
export function analysisKey(c: { pattern: string; that: string; topic: string }): string {
  return `${normalise(c.pattern)}\u0000${normalise(c.that || '*')}\u0000${normalise(c.topic || '*')}`;
}

function normalise(p: string): string {
  return p.replace(/\s+/g, ' ').trim().toUpperCase();
}

function isLiveTrainingFile(file: string): boolean {
  return file === LIVE_TRAINING_FILE || file.endsWith(`/${LIVE_TRAINING_FILE}`);
}

const templateOf = (c: Category) => c.sourceText.slice(c.sourceStart, c.sourceEnd);

function pointer(c: { pattern: string; that: string; topic: string; file: string; line?: number }, template?: string): CategoryPointer {
  const p: CategoryPointer = { pattern: c.pattern, that: c.that, topic: c.topic, file: c.file.slice(c.file.lastIndexOf('/') + 1) };
  if (c.line !== undefined && c.line > 0) p.line = c.line;
  if (template !== undefined) p.answer = templateGlance(template);
  return p;
}

function sameAnswer(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

function context(c: { that: string; topic: string }): { that?: string; topic?: string } {
  const ctx: { that?: string; topic?: string } = {};
  if (c.that && c.that !== '*') {
    const that = samplePatternInput(c.that);
    if (that) ctx.that = that;
  }
  if (c.topic && c.topic !== '*') {
    const topic = samplePatternInput(c.topic);
    if (topic) ctx.topic = topic;
  }
  return ctx;
}

interface Answer {
  key: number[];
  category: Category;
}

/** An input whose answer is tracked: a base category's sample, or the input a learned category was learned from. */
interface Sample {
  input: MatchInput;
  answer: Answer | undefined;
  /** For a base category's sample: the category, its key and its place in the bot's load order. */
  owner?: { category: Category; key: string; order: number; text: string };
  /** For a learned category's sample: its key. */
  learnedKey?: string;
}

interface LearnedState {
  category: AnalysedCategory;
  /** The layer's key, to find its compiled form (undefined when it does not compile: it answers nothing then). */
  layerKey: string | undefined;
  same: Category | undefined;
  sampleText: string | undefined;
  sample: Sample | undefined;
  matchedBefore: Finding | undefined;
}

export interface AnalysisChange {
  /** Learned categories (by analysisKey) whose findings may be different now: ask findings() for each. */
  changed: string[];
}

export class IncrementalAnalysis {
  private readonly layer: LearnedLayer;
  /** The bot's own categories by key, in load order. */
  private readonly existing = new Map<string, Category>();
  private readonly learned = new Map<string, LearnedState>();
  /** Samples by each distinct word of their input: base ones fixed at build, learned ones as they come and go. */
  private readonly baseByWord = new Map<string, Sample[]>();
  private readonly learnedByWord = new Map<string, Set<Sample>>();
  private readonly allSamples = new Set<Sample>();
  /** Every sample by its leading words. */
  private readonly byPrefix = new SampleTrie<Sample>();
  /** Samples each live learned category answers now. */
  private readonly wins = new Map<Category, Set<Sample>>();
  /** Base samples a learned category answers now, by that category's key (display form, as the full analysis). */
  private readonly shadowsByWinner = new Map<string, Set<Sample>>();
  private changed = new Set<string>();

  private constructor(private readonly base: Bot) {
    this.layer = LearnedLayer.on(base);
  }

  /** Indexes the bot's categories and the learned ones, a few milliseconds at a time (the event loop gets turns). */
  static async build(base: Bot, learned: readonly AnalysedCategory[], options: SliceOptions = {}): Promise<IncrementalAnalysis> {
    const { sliceMs = DEFAULT_SLICE_MS, now = () => performance.now(), yieldToEventLoop = defaultYield } = options;
    const analysis = new IncrementalAnalysis(base);
    let deadline = now() + sliceMs;
    const steps = analysis.buildSteps(learned, () => now() >= deadline);
    while (!steps.next().done) {
      await yieldToEventLoop();
      deadline = now() + sliceMs;
    }
    return analysis;
  }

  private *buildSteps(learned: readonly AnalysedCategory[], pause: () => boolean): Generator<void, void, void> {
    let order = 0;
    for (const c of this.base.data.graph.categories()) {
      if (isLiveTrainingFile(c.file)) continue;
      this.existing.set(analysisKey(c), c);
      if (pause()) yield;
    }
    for (const [key, c] of this.existing) {
      order++;
      if (pause()) yield;
      if (c.pattern === '*' && c.that === '*' && c.topic === '*') continue; // the default category answers what nothing else does
      const text = samplePatternInput(c.pattern);
      if (text === undefined) continue;
      const input = this.matchInput(text, context(c));
      if (input === undefined) continue;
      const answer = this.matchWith(this.base.data.matcher, input);
      // Only a category that answers its own sample can lose it to a learned one.
      if (answer === undefined || analysisKey(answer.category) !== key) continue;
      const sample: Sample = { input, answer, owner: { category: c, key, order, text } };
      this.allSamples.add(sample);
      this.byPrefix.add(input.input, sample);
      for (const w of new Set(input.input)) {
        const list = this.baseByWord.get(w);
        if (list) list.push(sample);
        else this.baseByWord.set(w, [sample]);
      }
    }
    for (const c of learned) {
      if (pause()) yield;
      this.put(c);
    }
    this.changed.clear();
  }

  /** Learned categories analysed. */
  get size(): number {
    return this.learned.size;
  }

  /** Adds a learned category, or replaces the one with the same key. */
  put(c: AnalysedCategory): AnalysisChange {
    const key = analysisKey(c);
    if (this.learned.has(key)) this.removeKey(key);
    const put = this.layer.put({ pattern: c.pattern, that: c.that, topic: c.topic, template: c.template });
    const compiled = put.ok ? this.layer.compiled(put.key) : undefined;
    if (compiled !== undefined) this.takeSamples(compiled);
    const sampleText = this.learnedSample(c);
    const ctx = context(c);
    const same = this.existing.get(key);
    const state: LearnedState = { category: c, layerKey: compiled?.key, same, sampleText, sample: undefined, matchedBefore: undefined };
    if (sampleText !== undefined) {
      const input = this.matchInput(sampleText, ctx);
      if (input !== undefined) {
        const sample: Sample = { input, answer: undefined, learnedKey: key };
        this.addLearnedSample(sample);
        this.setAnswer(sample, this.matchWith(this.layer.bot.data.matcher, input));
        state.sample = sample;
      }
      state.matchedBefore = this.matchedBefore(c, sampleText, same, state.sample);
    }
    this.learned.set(key, state);
    this.changed.add(key);
    return this.flush();
  }

  /** Takes a learned category out. */
  remove(ref: { pattern: string; that: string; topic: string }): AnalysisChange {
    this.removeKey(analysisKey(ref));
    return this.flush();
  }

  /** Findings of one learned category ([] when none, or when it is not analysed). */
  findings(key: string): Finding[] {
    const state = this.learned.get(key);
    const out: Finding[] = [];
    if (state === undefined) return out;
    const { same, sampleText, sample } = state;
    if (same) {
      const where = `${pointer(same).file} line ${same.line}`;
      const other = pointer(same, templateOf(same));
      if (sameAnswer(templateOf(same), state.category.template)) out.push({ kind: 'duplicate', message: `${where} has this category with the same answer: the learned one adds nothing.`, other });
      else out.push({ kind: 'overrides', message: `Replaces the answer of ${where} (the learned file loads last, so its answer wins).`, other });
    }
    if (sampleText === undefined) return out;
    const now = sample?.answer?.category;
    if (now && (!isLiveTrainingFile(now.file) || analysisKey(now) !== key)) {
      const info = this.existing.get(analysisKey(now));
      out.push({
        kind: 'unreachable',
        message: `“${sampleText}” is answered by ${now.pattern} (${pointer(now).file}${now.line > 0 ? ` line ${now.line}` : ''}), not by this category: it comes first in AIML's match order.`,
        other: pointer(now, info && templateOf(info)),
      });
    }
    if (state.matchedBefore) out.push(state.matchedBefore);
    out.push(...this.shadowFindings(key));
    return out;
  }

  /** Every learned category's findings, by key (only those with any), as the full analysis returns them. */
  all(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const key of this.learned.keys()) {
      const list = this.findings(key);
      if (list.length > 0) out.set(key, list);
    }
    // Shadows go to the key of the learned category as the matcher shows it, as in the full analysis.
    for (const winner of this.shadowsByWinner.keys()) {
      if (this.learned.has(winner) || out.has(winner)) continue;
      const list = this.shadowFindings(winner);
      if (list.length > 0) out.set(winner, list);
    }
    return out;
  }

  private shadowFindings(key: string): Finding[] {
    const taken = this.shadowsByWinner.get(key);
    if (taken === undefined || taken.size === 0) return [];
    // A bot category with a learned category's own key is reported as duplicate/overrides, not as shadowed.
    const owners = [...taken].map((s) => s.owner!).filter((o) => !this.learned.has(o.key));
    owners.sort((a, b) => a.order - b.order);
    const out: Finding[] = owners.slice(0, MAX_SHADOWS_LISTED).map((e) => ({
      kind: 'shadows',
      message: `Now answers “${e.text}”, which ${e.category.pattern} (${pointer(e.category).file} line ${e.category.line}) answered before.`,
      other: pointer(e.category, templateOf(e.category)),
    }));
    if (owners.length > MAX_SHADOWS_LISTED) {
      out.push({ kind: 'shadows', message: `… and ${owners.length - MAX_SHADOWS_LISTED} more categories of the bot's files.`, other: out[out.length - 1]!.other });
    }
    return out;
  }

  private flush(): AnalysisChange {
    const changed = [...this.changed];
    this.changed = new Set();
    return { changed };
  }

  private removeKey(key: string): void {
    const state = this.learned.get(key);
    if (state === undefined) return;
    if (state.sample !== undefined) this.dropSample(state.sample);
    this.learned.delete(key);
    this.changed.add(key);
    const compiled = state.layerKey === undefined ? undefined : this.layer.compiled(state.layerKey);
    if (compiled === undefined) return;
    this.layer.remove({ pattern: compiled.spec.pattern, that: compiled.spec.that, topic: compiled.spec.topic });
    // Only what it answered can answer differently now.
    for (const sample of [...(this.wins.get(compiled.category) ?? [])]) this.setAnswer(sample, this.matchWith(this.layer.bot.data.matcher, sample.input));
    this.wins.delete(compiled.category);
  }

  /** A new learned category takes the samples it matches better than their current answer (or ties: it loads later). */
  private takeSamples(compiled: CompiledLearnedCategory): void {
    this.wins.set(compiled.category, new Set());
    const graph = new PatternGraph();
    graph.add(compiled.category, compiled.pattern, compiled.that, compiled.topic, this.base.data.resolveSet);
    const alone = new Matcher(graph);
    const taken: Array<[Sample, Answer]> = [];
    this.forEachCandidate(compiled, (sample) => {
      const m = this.matchWith(alone, sample.input, sample.answer?.key);
      if (m !== undefined && (sample.answer === undefined || compareMatchKeys(m.key, sample.answer.key) <= 0)) taken.push([sample, m]);
    });
    for (const [sample, answer] of taken) this.setAnswer(sample, answer);
  }

  /**
   * Calls `visit` with each sample the pattern could match. Its plain words must all be in the input, and the plain
   * words it starts with must start the input: the smaller of the samples holding its rarest word and the samples
   * starting with its leading words is read, and only those holding every word are matched (all samples when the
   * pattern has no plain word).
   */
  private forEachCandidate(compiled: CompiledLearnedCategory, visit: (sample: Sample) => void): void {
    const words: string[] = [];
    const prefix: string[] = [];
    let leading = true;
    for (const t of compiled.pattern) {
      const kind = tokenKind(t);
      const literal = kind === 'word' || kind === 'priority';
      leading &&= literal;
      if (literal) words.push(tokenValue(t));
      if (leading) prefix.push(tokenValue(t));
    }
    if (words.length === 0) {
      for (const sample of this.allSamples) visit(sample);
      return;
    }
    const count = (w: string) => (this.baseByWord.get(w)?.length ?? 0) + (this.learnedByWord.get(w)?.size ?? 0);
    words.sort((a, b) => count(a) - count(b));
    const rarest = words[0]!;
    const others = words.slice(1);
    const check = (sample: Sample) => {
      for (const w of others) if (!sample.input.input.includes(w)) return;
      visit(sample);
    };
    if (prefix.length > 0 && this.byPrefix.countUnder(prefix) < count(rarest)) {
      for (const sample of this.byPrefix.under(prefix)) check(sample);
      return;
    }
    for (const sample of this.baseByWord.get(rarest) ?? []) check(sample);
    for (const sample of this.learnedByWord.get(rarest) ?? []) check(sample);
  }

  private setAnswer(sample: Sample, answer: Answer | undefined): void {
    const before = sample.answer?.category;
    if (before !== undefined && this.wins.has(before)) {
      this.wins.get(before)!.delete(sample);
      if (sample.owner) {
        const winner = analysisKey(before);
        this.shadowsByWinner.get(winner)?.delete(sample);
        this.changed.add(winner);
      }
    }
    sample.answer = answer;
    const after = answer?.category;
    if (after !== undefined && this.wins.has(after)) {
      this.wins.get(after)!.add(sample);
      if (sample.owner) {
        const winner = analysisKey(after);
        let set = this.shadowsByWinner.get(winner);
        if (set === undefined) this.shadowsByWinner.set(winner, (set = new Set()));
        set.add(sample);
        this.changed.add(winner);
      }
    }
    if (sample.learnedKey !== undefined) this.changed.add(sample.learnedKey);
  }

  private addLearnedSample(sample: Sample): void {
    this.allSamples.add(sample);
    this.byPrefix.add(sample.input.input, sample);
    for (const w of new Set(sample.input.input)) {
      let set = this.learnedByWord.get(w);
      if (set === undefined) this.learnedByWord.set(w, (set = new Set()));
      set.add(sample);
    }
  }

  private dropSample(sample: Sample): void {
    this.setAnswer(sample, undefined);
    this.allSamples.delete(sample);
    this.byPrefix.delete(sample.input.input, sample);
    for (const w of new Set(sample.input.input)) {
      const set = this.learnedByWord.get(w);
      set?.delete(sample);
      if (set?.size === 0) this.learnedByWord.delete(w);
    }
  }

  private matchedBefore(c: AnalysedCategory, sampleText: string, same: Category | undefined, sample: Sample | undefined): Finding | undefined {
    const before = c.source?.before;
    if (before && !before.defaultCategory) {
      return { kind: 'matchedBefore', message: `Before, the bot answered this input with ${before.pattern} (${before.file}).`, other: pointer(before) };
    }
    if (same || sample === undefined) return undefined;
    const was = this.matchWith(this.base.data.matcher, sample.input)?.category;
    if (was === undefined || was.isDefault) return undefined;
    const info = this.existing.get(analysisKey(was));
    return {
      kind: 'matchedBefore',
      message: `Without the learned categories the bot answers “${sampleText}” with ${was.pattern} (${pointer(was).file}${was.line > 0 ? ` line ${was.line}` : ''}).`,
      other: pointer(was, info && templateOf(info)),
    };
  }

  /** The input a learned category is checked with: the user's own words when known, else a sample of its pattern. */
  private learnedSample(c: AnalysedCategory): string | undefined {
    const typed = c.source?.input;
    if (typed) {
      const last = this.base.normalize(typed).at(-1);
      if (last) return last;
    }
    return samplePatternInput(c.pattern);
  }

  /** What Bot.explain matches for this text and context. */
  private matchInput(text: string, ctx: { that?: string; topic?: string }): MatchInput | undefined {
    const normalizer = this.base.data.normalizer;
    const sentence = normalizer.sentences(text)[0];
    if (!sentence) return undefined;
    const that = ctx.that === undefined ? [] : normalizer.thatWords(ctx.that);
    const topic = ctx.topic === undefined ? [] : toWords(ctx.topic).upper;
    const limit = this.base.data.limits.maxSentenceWords;
    return {
      input: sentence.upper.slice(0, limit),
      original: sentence.original.slice(0, limit),
      that: that.length > 0 ? that : UNKNOWN_WORDS,
      topic: topic.length > 0 ? topic : UNKNOWN_WORDS,
    };
  }

  private matchWith(matcher: CategoryMatcher | Matcher, input: MatchInput, bound?: readonly number[]): Answer | undefined {
    try {
      const m = matcher instanceof Matcher ? matcher.match(input, this.base.data.limits.maxMatchSteps, true, bound) : matcher.match(input, this.base.data.limits.maxMatchSteps, true);
      return m && { key: m.key, category: m.category };
    } catch (e) {
      if (e instanceof MatchBudgetExceeded) return undefined;
      throw e;
    }
  }
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
