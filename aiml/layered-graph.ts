/**
 * A base graph shared with other bots plus a small graph of its own on top (an overlay), behaving exactly as
 * one graph would if the overlay's categories had been added after the base's:
 * - matching: both graphs are matched and the better match wins, the overlay's on a tie. Match keys follow
 *   the matcher's search order exactly (pattern-graph.ts), so "better" is what one merged graph would have
 *   found first, and an equal key means the same pattern, that and topic: the later (overlay) category wins,
 *   as it would have replaced the base's one;
 * - categories, size, find and vocabulary: the base's, minus what the overlay replaced, plus the overlay's;
 * - add (<learnf>): goes into the overlay, so the shared base never changes because of a derived bot.
 *
 * Why: Studio keeps a bot of ~100,000 categories compiled and needs it again with a few learned categories
 * loaded last after every capture; recompiling everything took ~0.75 s, the overlay costs what it holds.
 */
import { tokensFromText, type Category, type PatternToken } from './category.js';
import { compareMatchKeys, type CategoryGraph, type CategoryMatcher, type Matcher, type MatchInput, type MatchResult, type PatternGraph } from './pattern-graph.js';
import type { PhraseSet } from './word-set.js';

export class LayeredGraph implements CategoryGraph {
  /** Live base categories with the same pattern, that and topic as an overlay category (so not live here). */
  private hiddenCache: Set<Category> | undefined;
  private hiddenAt = { base: -1, top: -1 };
  private vocabularyCache = { base: -1, top: -1, count: 0 };

  constructor(
    readonly base: CategoryGraph,
    readonly top: PatternGraph,
  ) {}

  get changes(): number {
    return this.base.changes + this.top.changes;
  }

  get size(): number {
    return this.base.size - this.hidden().size + this.top.size;
  }

  vocabulary(): number {
    const cache = this.vocabularyCache;
    if (cache.base !== this.base.changes || cache.top !== this.top.changes) {
      let extra = 0;
      for (const w of this.top.wordList()) if (!this.base.hasWord(w)) extra++;
      this.vocabularyCache = { base: this.base.changes, top: this.top.changes, count: this.base.vocabulary() + extra };
    }
    return this.vocabularyCache.count;
  }

  hasWord(word: string): boolean {
    return this.top.hasWord(word) || this.base.hasWord(word);
  }

  *categories(): Iterable<Category> {
    const hidden = this.hidden();
    for (const c of this.base.categories()) if (!hidden.has(c)) yield c;
    yield* this.top.categories();
  }

  find(pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined {
    return this.top.find(pattern, that, topic) ?? this.base.find(pattern, that, topic);
  }

  add(
    category: Category,
    pattern: readonly PatternToken[],
    that: readonly PatternToken[] | undefined,
    topic: readonly PatternToken[] | undefined,
    resolveSet: (name: string) => PhraseSet | undefined,
  ): Category | undefined {
    const hidden = this.hidden();
    const replaced = this.top.add(category, pattern, that, topic, resolveSet);
    this.hiddenAt.top = this.top.changes;
    if (replaced !== undefined) return replaced;
    const shadowed = this.base.find(pattern, that, topic);
    if (shadowed !== undefined) hidden.add(shadowed);
    return shadowed;
  }

  /**
   * Which base categories the overlay replaces: worked out from the overlay's categories (its size, not the
   * base's), again only when either graph changed behind this one's back (a <learnf> into the base itself).
   */
  private hidden(): Set<Category> {
    if (this.hiddenCache !== undefined && this.hiddenAt.base === this.base.changes && this.hiddenAt.top === this.top.changes) return this.hiddenCache;
    const hidden = new Set<Category>();
    for (const c of this.top.categories()) {
      const shadowed = this.base.find(tokensFromText(c.pattern), tokensFromText(c.that), tokensFromText(c.topic));
      if (shadowed !== undefined) hidden.add(shadowed);
    }
    this.hiddenCache = hidden;
    this.hiddenAt = { base: this.base.changes, top: this.top.changes };
    return hidden;
  }
}

/** Matches the base and the overlay; the better match wins, the overlay's on a tie (it was loaded later). */
export class LayeredMatcher implements CategoryMatcher {
  constructor(
    private readonly base: CategoryMatcher,
    private readonly top: Matcher,
  ) {}

  get lastSteps(): number {
    return this.base.lastSteps + this.top.lastSteps;
  }

  match(input: MatchInput, maxSteps: number): MatchResult | undefined {
    this.top.resetSteps();
    const below = this.base.match(input, maxSteps, true);
    // Only an overlay match that sorts before (or ties) the base's can win: its search stops past that point.
    const above = this.top.match(input, maxSteps, true, below?.key);
    if (above !== undefined && (below === undefined || compareMatchKeys(above.key, below.key) <= 0)) return above;
    return below;
  }
}
