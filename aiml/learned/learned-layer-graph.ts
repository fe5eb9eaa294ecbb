/**
 * A compiled base bot's graph with a graph of learned categories on top that changes one category at a time,
 * answering as one graph would with the learned categories loaded last (as `pand_livetraining.aiml` loads):
 * both graphs are matched and the better match key wins, the learned one on a tie (same pattern, that and topic:
 * loaded later, it would have replaced the base's). See layered-graph.ts for why the keys make that exact.
 *
 * Unlike LayeredGraph (an overlay compiled once), everything here is kept up to date per change, in time
 * proportional to the category changed: which base categories the learned ones hide, and the top graph itself
 * (PatternGraph.remove prunes). The top graph can also be swapped whole (LearnedLayer.setAll builds the next one
 * in slices and swaps it in one step).
 *
 * <learnf> goes into the base (the bot's learn file, which loads before `pand_livetraining.aiml`): a learned
 * category keeps winning over a learnf one with the same pattern, that and topic, as it does after a reload.
 */
import { tokensFromText, type Category, type PatternToken } from '../category.js';
import { compareMatchKeys, Matcher, PatternGraph, type CategoryGraph, type CategoryMatcher, type MatchInput, type MatchResult } from '../pattern-graph.js';
import type { PhraseSet } from '../word-set.js';

/** A learned graph with the base categories it hides (same pattern, that and topic), built together. */
export interface LearnedTop {
  graph: PatternGraph;
  matcher: Matcher;
  hidden: Set<Category>;
  /** base.changes when `hidden` was worked out: a base changed behind the layer's back makes it stale. */
  hiddenAtBase: number;
}

export function emptyTop(base: CategoryGraph): LearnedTop {
  const graph = new PatternGraph();
  return { graph, matcher: new Matcher(graph), hidden: new Set(), hiddenAtBase: base.changes };
}

export class LearnedLayerGraph implements CategoryGraph {
  private current: LearnedTop;
  /** Goes up with every change of the top (a swap included: the new top's own counter may be lower). */
  private topChanges = 0;
  private vocabularyCache = { changes: -1, count: 0 };

  constructor(readonly base: CategoryGraph) {
    this.current = emptyTop(base);
  }

  get top(): LearnedTop {
    return this.current;
  }

  get changes(): number {
    return this.base.changes + this.topChanges;
  }

  get size(): number {
    return this.base.size - this.hidden().size + this.current.graph.size;
  }

  vocabulary(): number {
    const changes = this.changes;
    if (this.vocabularyCache.changes !== changes) {
      let extra = 0;
      for (const w of this.current.graph.wordList()) if (!this.base.hasWord(w)) extra++;
      this.vocabularyCache = { changes, count: this.base.vocabulary() + extra };
    }
    return this.vocabularyCache.count;
  }

  hasWord(word: string): boolean {
    return this.current.graph.hasWord(word) || this.base.hasWord(word);
  }

  *categories(): Iterable<Category> {
    const hidden = this.hidden();
    for (const c of this.base.categories()) if (!hidden.has(c)) yield c;
    yield* this.current.graph.categories();
  }

  find(pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined {
    return this.current.graph.find(pattern, that, topic) ?? this.base.find(pattern, that, topic);
  }

  /** A <learnf>: into the base (see the file comment); hidden at once when a learned category has its place. */
  add(
    category: Category,
    pattern: readonly PatternToken[],
    that: readonly PatternToken[] | undefined,
    topic: readonly PatternToken[] | undefined,
    resolveSet: (name: string) => PhraseSet | undefined,
  ): Category | undefined {
    const hidden = this.hidden();
    const replaced = this.base.add(category, pattern, that, topic, resolveSet);
    const top = this.current;
    if (top.graph.find(pattern, that, topic) !== undefined) {
      if (replaced !== undefined) hidden.delete(replaced);
      hidden.add(category);
    }
    top.hiddenAtBase = this.base.changes;
    return replaced;
  }

  /** Adds or replaces one learned category; returns the learned one it replaced. */
  putLearned(category: Category, pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined, resolveSet: (name: string) => PhraseSet | undefined): Category | undefined {
    this.hidden();
    this.topChanges++;
    return addToTop(this.base, this.current, category, pattern, that, topic, resolveSet);
  }

  /** Takes one learned category out; returns it (undefined when there was none). */
  removeLearned(pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined {
    this.hidden();
    const removed = removeFromTop(this.base, this.current, pattern, that, topic);
    if (removed !== undefined) this.topChanges++;
    return removed;
  }

  /** Puts a whole new learned graph in place, in one step. */
  swap(next: LearnedTop): void {
    this.current = next;
    this.topChanges++;
  }

  /**
   * The base categories the learned ones hide: kept per change; worked out again from the learned categories only
   * when the base changed behind this layer's back (a <learnf> through another bot sharing the base).
   */
  private hidden(): Set<Category> {
    const top = this.current;
    if (top.hiddenAtBase === this.base.changes) return top.hidden;
    top.hidden = hiddenBaseCategories(this.base, top.graph.categories());
    top.hiddenAtBase = this.base.changes;
    return top.hidden;
  }
}

/** Adds a learned category to a top (the live one or one being built), keeping its hidden set; returns what it replaced. */
export function addToTop(
  base: CategoryGraph,
  top: LearnedTop,
  category: Category,
  pattern: readonly PatternToken[],
  that: readonly PatternToken[] | undefined,
  topic: readonly PatternToken[] | undefined,
  resolveSet: (name: string) => PhraseSet | undefined,
): Category | undefined {
  const replaced = top.graph.add(category, pattern, that, topic, resolveSet);
  if (replaced === undefined) {
    const shadowed = base.find(pattern, that, topic);
    if (shadowed !== undefined) top.hidden.add(shadowed);
  }
  return replaced;
}

/** Takes a learned category out of a top, keeping its hidden set; returns it. */
export function removeFromTop(base: CategoryGraph, top: LearnedTop, pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined {
  const removed = top.graph.remove(pattern, that, topic);
  if (removed !== undefined) {
    const shadowed = base.find(pattern, that, topic);
    if (shadowed !== undefined) top.hidden.delete(shadowed);
  }
  return removed;
}

/** The base categories with the pattern, that and topic of one of `learned`. */
export function hiddenBaseCategories(base: CategoryGraph, learned: Iterable<Category>): Set<Category> {
  const hidden = new Set<Category>();
  for (const c of learned) {
    const shadowed = base.find(tokensFromText(c.pattern), tokensFromText(c.that), tokensFromText(c.topic));
    if (shadowed !== undefined) hidden.add(shadowed);
  }
  return hidden;
}

/** Matches the base and the current learned graph; the better match wins, the learned one on a tie. */
export class LearnedLayerMatcher implements CategoryMatcher {
  private topSteps = 0;

  constructor(
    private readonly base: CategoryMatcher,
    private readonly layer: LearnedLayerGraph,
  ) {}

  get lastSteps(): number {
    return this.base.lastSteps + this.topSteps;
  }

  match(input: MatchInput, maxSteps: number, recordKey = false): MatchResult | undefined {
    const top = this.layer.top;
    this.topSteps = 0;
    // No learned category: the base alone, at the base's cost.
    if (top.graph.size === 0) return this.base.match(input, maxSteps, recordKey);
    const below = this.base.match(input, maxSteps, true);
    let above: MatchResult | undefined;
    try {
      // Only a learned match that sorts before (or ties) the base's can answer: the search stops past it.
      above = top.matcher.match(input, maxSteps, true, below?.key);
    } finally {
      this.topSteps = top.matcher.lastSteps;
    }
    if (above !== undefined && (below === undefined || compareMatchKeys(above.key, below.key) <= 0)) return above;
    return below;
  }
}
