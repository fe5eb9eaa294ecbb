/**
 * The Graphmaster: every category's pattern, that and topic as one path in a word trie, matched with
 * Pandorabots' priority order `$word > # > _ > word > <set> > ^ > *`, wildcards non-greedy (shortest
 * first), sets longest phrase first, with backtracking.
 *
 * Bounded by design:
 * - a (node, position) pair that failed once is remembered, so backtracking over many wildcards costs at
 *   most nodes x positions instead of growing exponentially;
 * - a step budget stops pathological cases outright (the caller reports it as a time limit);
 * - recursion depth is at most the number of words matched (the caller caps sentence length).
 *
 * Memory matters (ALICE has 99,524 categories): a node with one literal child keeps it in two fields
 * instead of a Map, and the common category with no that and no topic hangs directly on the node where
 * its pattern ends instead of adding four nodes for `<that> * <topic> *`.
 */
import type { Category, PatternToken } from './category.js';
import { isSingleStar, tokenKind, tokenValue } from './category.js';
import type { PhraseSet } from './word-set.js';

export const THAT_MARKER = '\u0000THAT';
export const TOPIC_MARKER = '\u0000TOPIC';

interface SetEdge {
  name: string;
  set: PhraseSet | undefined;
  node: PatternNode;
}

/** Edges most nodes never have, kept out of the node to keep 226,000 ALICE nodes small. */
class NodeExtra {
  priority: Map<string, PatternNode> | undefined = undefined;
  sharp: PatternNode | undefined = undefined;
  under: PatternNode | undefined = undefined;
  caret: PatternNode | undefined = undefined;
  sets: SetEdge[] | undefined = undefined;
  thatNode: PatternNode | undefined = undefined;
  topicNode: PatternNode | undefined = undefined;
}

class PatternNode {
  /** The word of the literal edge leading here ('' for other edges): lets a parent keep one child without a Map. */
  word = '';
  /** The only literal child, while there is just one. */
  lit: PatternNode | undefined = undefined;
  /** All literal children, once there are two or more. */
  litMap: Map<string, PatternNode> | undefined = undefined;
  star: PatternNode | undefined = undefined;
  extra: NodeExtra | undefined = undefined;
  /**
   * In the pattern section: the category whose pattern ends here with that and topic both `*`.
   * In the topic section: the category whose whole path ends here.
   */
  category: Category | undefined = undefined;
  constructor(readonly id: number) {}

  literal(word: string): PatternNode | undefined {
    if (this.litMap !== undefined) return this.litMap.get(word);
    const only = this.lit;
    return only !== undefined && only.word === word ? only : undefined;
  }
}

/**
 * Rank of each edge kind in the priority order. A match records its path as a key (see compareMatchKeys): the
 * edges taken, each as its rank and a sub-order. The keys order paths exactly as the matcher tries them, so
 * matching two graphs (a learned layer, an overlay) and keeping the smaller key finds what one graph holding
 * both would have found first, and an equal key is the same pattern, that and topic.
 */
const RANK_PRIORITY = 0;
const RANK_SHARP = 1;
const RANK_UNDER = 2;
/** A literal word, and also a section boundary (the matcher tries those where it would try a word). */
const RANK_WORD = 3;
const RANK_SET = 4;
const RANK_CARET = 5;
const RANK_STAR = 6;
/** A category with no that and no topic is tried after every path through <that>...<topic> from the same node. */
const RANK_PLAIN = 7;

export interface MatchResult {
  category: Category;
  stars: string[];
  thatStars: string[];
  topicStars: string[];
  /** The order key of the path taken: a smaller key is a higher-priority match (see compareMatchKeys). */
  key: number[];
}

export class MatchBudgetExceeded extends Error {
  constructor() {
    super('pattern matching took too many steps');
  }
}

export interface MatchInput {
  /** Upper-case words of the sentence, the that and the topic (each non-empty). */
  input: readonly string[];
  that: readonly string[];
  topic: readonly string[];
  /** Original spelling of the input words, for star values. */
  original: readonly string[];
}

/**
 * What a bot reads its categories from: one PatternGraph, or a LayeredGraph (a shared base plus an overlay,
 * see layered-graph.ts) that behaves as if the overlay's files had been loaded last into the base.
 */
export interface CategoryGraph {
  /** Live categories (replaced ones not counted). */
  readonly size: number;
  /** Goes up with every add() and rollback(): a layer above knows when its cached view of this one is stale. */
  readonly changes: number;
  vocabulary(): number;
  hasWord(word: string): boolean;
  categories(): Iterable<Category>;
  find(pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined;
  add(
    category: Category,
    pattern: readonly PatternToken[],
    that: readonly PatternToken[] | undefined,
    topic: readonly PatternToken[] | undefined,
    resolveSet: (name: string) => PhraseSet | undefined,
  ): Category | undefined;
}

/** Matches one sentence against a CategoryGraph; `recordKey` asks for MatchResult.key (to compare with another graph). */
export interface CategoryMatcher {
  match(input: MatchInput, maxSteps: number, recordKey?: boolean): MatchResult | undefined;
  /** Steps the last match took (also after it threw MatchBudgetExceeded): the reply's step budget counts them. */
  readonly lastSteps: number;
}

interface JournalEntry {
  node: PatternNode;
  previous: Category | undefined;
}

type Replaceable = Category & { replacedBy?: Category; removed?: boolean };

/** One edge taken by remove(): how to detach `child` from `parent` once it holds nothing. */
interface PathStep {
  parent: PatternNode;
  token: PatternToken | typeof THAT_MARKER | typeof TOPIC_MARKER;
  child: PatternNode;
}

export class PatternGraph implements CategoryGraph {
  private nextId = 0;
  private changeCount = 0;
  readonly root = this.newNode();
  private readonly all: Replaceable[] = [];
  private replacedCount = 0;
  /** Categories taken out by remove() and still listed in `all` (dropped from it in batches, see compact()). */
  private removedCount = 0;
  /**
   * Every literal and priority word on an edge, with how many edges carry it: <vocabulary/>, kept as nodes are made
   * (a walk of ALICE's graph takes 70 ms) and as remove() prunes them.
   */
  private readonly words = new Map<string, number>();
  private journal: JournalEntry[] | undefined;
  private journalStart = 0;

  private newNode(): PatternNode {
    return new PatternNode(this.nextId++);
  }

  get size(): number {
    return this.all.length - this.replacedCount - this.removedCount;
  }

  get changes(): number {
    return this.changeCount;
  }

  /** Starts recording additions so that rollback() can undo them (a file found broken after streaming). */
  begin(): void {
    this.journal = [];
    this.journalStart = this.all.length;
  }

  commit(): void {
    this.journal = undefined;
  }

  /** Undoes every add() since begin(): replaced categories come back, the new ones are gone. */
  rollback(): void {
    this.changeCount++;
    const journal = this.journal ?? [];
    for (let i = journal.length - 1; i >= 0; i--) {
      const { node, previous } = journal[i]!;
      node.category = previous;
      if (previous !== undefined) {
        (previous as Replaceable).replacedBy = undefined;
        this.replacedCount--;
      }
    }
    for (let i = this.journalStart; i < this.all.length; i++) if (this.all[i]!.replacedBy !== undefined) this.replacedCount--;
    this.all.length = this.journalStart;
    this.journal = undefined;
  }

  /** Adds a category; returns the category it replaced (same pattern, that and topic), if any. */
  add(
    category: Category,
    pattern: readonly PatternToken[],
    that: readonly PatternToken[] | undefined,
    topic: readonly PatternToken[] | undefined,
    resolveSet: (name: string) => PhraseSet | undefined,
  ): Category | undefined {
    this.changeCount++;
    let node = this.walk(this.root, pattern, resolveSet);
    if (!(isSingleStar(that) && isSingleStar(topic))) {
      const extra = (node.extra ??= new NodeExtra());
      node = extra.thatNode ??= this.newNode();
      node = this.walk(node, that ?? STAR, resolveSet);
      const extra2 = (node.extra ??= new NodeExtra());
      node = extra2.topicNode ??= this.newNode();
      node = this.walk(node, topic ?? STAR, resolveSet);
    }
    const replaced = node.category as Replaceable | undefined;
    node.category = category;
    this.journal?.push({ node, previous: replaced });
    this.all.push(category);
    if (replaced) {
      this.replacedCount++;
      replaced.replacedBy = category;
    }
    return replaced;
  }

  /**
   * Takes out the live category with exactly this pattern, that and topic (tokens as in add()) and prunes the nodes
   * that led only to it, so the graph is what it would be had the category never been added; returns it, or
   * undefined when there is none. Costs the category's length (the list of categories is compacted in batches,
   * amortised). Not inside begin()..commit(): a rollback could not bring pruned nodes back.
   */
  remove(pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined {
    if (this.journal !== undefined) throw new Error('PatternGraph.remove() cannot run while additions are being journaled (begin() without commit())');
    const path: PathStep[] = [];
    let node = this.followPath(this.root, pattern, path);
    if (node !== undefined && !(isSingleStar(that) && isSingleStar(topic))) {
      const thatNode = node.extra?.thatNode;
      node = thatNode && (path.push({ parent: node, token: THAT_MARKER, child: thatNode }), this.followPath(thatNode, that ?? STAR, path));
      const topicNode = node?.extra?.topicNode;
      node = node && topicNode && (path.push({ parent: node, token: TOPIC_MARKER, child: topicNode }), this.followPath(topicNode, topic ?? STAR, path));
    }
    const removed = node?.category as Replaceable | undefined;
    if (node === undefined || removed === undefined) return undefined;
    this.changeCount++;
    node.category = undefined;
    removed.removed = true;
    this.removedCount++;
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i]!;
      if (!isEmptyNode(step.child)) break;
      this.detach(step);
    }
    if (this.removedCount + this.replacedCount > 64 && this.removedCount + this.replacedCount > this.all.length / 2) this.compact();
    return removed;
  }

  /** Drops replaced and removed categories from the load-order list (never during a journal: rollback reads it). */
  private compact(): void {
    let kept = 0;
    for (const c of this.all) if (c.replacedBy === undefined && c.removed !== true) this.all[kept++] = c;
    this.all.length = kept;
    this.replacedCount = 0;
    this.removedCount = 0;
  }

  private detach({ parent, token, child }: PathStep): void {
    const x = parent.extra;
    if (token === THAT_MARKER) x!.thatNode = undefined;
    else if (token === TOPIC_MARKER) x!.topicNode = undefined;
    else {
      switch (tokenKind(token)) {
        case 'word':
          if (parent.litMap !== undefined) {
            parent.litMap.delete(token);
            if (parent.litMap.size === 0) parent.litMap = undefined;
          } else parent.lit = undefined;
          this.forgetWord(token);
          break;
        case 'priority':
          x!.priority!.delete(tokenValue(token));
          if (x!.priority!.size === 0) x!.priority = undefined;
          this.forgetWord(tokenValue(token));
          break;
        case 'sharp':
          x!.sharp = undefined;
          break;
        case 'underscore':
          x!.under = undefined;
          break;
        case 'caret':
          x!.caret = undefined;
          break;
        case 'star':
          parent.star = undefined;
          break;
        case 'set': {
          const sets = x!.sets!.filter((e) => e.node !== child);
          x!.sets = sets.length > 0 ? sets : undefined;
          break;
        }
      }
    }
    if (x !== undefined && isEmptyExtra(x)) parent.extra = undefined;
  }

  private countWord(word: string): void {
    this.words.set(word, (this.words.get(word) ?? 0) + 1);
  }

  private forgetWord(word: string): void {
    const n = this.words.get(word) ?? 0;
    if (n <= 1) this.words.delete(word);
    else this.words.set(word, n - 1);
  }

  /** Live categories in load order. */
  *categories(): Iterable<Category> {
    for (const c of this.all) if (c.replacedBy === undefined && c.removed !== true) yield c;
  }

  /** Distinct words in all patterns, that and topic (for <vocabulary/>). */
  vocabulary(): number {
    return this.words.size;
  }

  hasWord(word: string): boolean {
    return this.words.has(word);
  }

  /** The words counted by vocabulary(). */
  wordList(): Iterable<string> {
    return this.words.keys();
  }

  /**
   * The live category with exactly this pattern, that and topic (tokens as in add(); undefined that or topic
   * means `*`), or undefined. Read-only: nothing is added. Finds a matched category's template without an index.
   */
  find(pattern: readonly PatternToken[], that: readonly PatternToken[] | undefined, topic: readonly PatternToken[] | undefined): Category | undefined {
    let node = this.follow(this.root, pattern);
    if (node !== undefined && !(isSingleStar(that) && isSingleStar(topic))) {
      node = node.extra?.thatNode && this.follow(node.extra.thatNode, that ?? STAR);
      node = node?.extra?.topicNode && this.follow(node.extra.topicNode, topic ?? STAR);
    }
    return node?.category;
  }

  private follow(start: PatternNode, tokens: readonly PatternToken[]): PatternNode | undefined {
    let node: PatternNode | undefined = start;
    for (let i = 0; node !== undefined && i < tokens.length; i++) {
      const t = tokens[i]!;
      const x: NodeExtra | undefined = node.extra;
      switch (tokenKind(t)) {
        case 'word':
          node = node.literal(t);
          break;
        case 'priority':
          node = x?.priority?.get(tokenValue(t));
          break;
        case 'sharp':
          node = x?.sharp;
          break;
        case 'underscore':
          node = x?.under;
          break;
        case 'caret':
          node = x?.caret;
          break;
        case 'star':
          node = node.star;
          break;
        case 'set': {
          const name = tokenValue(t);
          node = x?.sets?.find((e) => e.name === name)?.node;
          break;
        }
      }
    }
    return node;
  }

  /** follow(), recording each edge taken (for remove()). */
  private followPath(start: PatternNode, tokens: readonly PatternToken[], path: PathStep[]): PatternNode | undefined {
    let node: PatternNode | undefined = start;
    for (let i = 0; node !== undefined && i < tokens.length; i++) {
      const parent: PatternNode = node;
      node = this.follow(parent, tokens.slice(i, i + 1));
      if (node !== undefined) path.push({ parent, token: tokens[i]!, child: node });
    }
    return node;
  }

  private walk(start: PatternNode, tokens: readonly PatternToken[], resolveSet: (name: string) => PhraseSet | undefined): PatternNode {
    let node = start;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      switch (tokenKind(t)) {
        case 'word': {
          let next = node.literal(t);
          if (next === undefined) {
            next = this.newNode();
            next.word = t;
            this.countWord(t);
            if (node.litMap !== undefined) node.litMap.set(t, next);
            else if (node.lit === undefined) node.lit = next;
            else {
              node.litMap = new Map([
                [node.lit.word, node.lit],
                [t, next],
              ]);
              node.lit = undefined;
            }
          }
          node = next;
          break;
        }
        case 'priority': {
          const extra = (node.extra ??= new NodeExtra());
          extra.priority ??= new Map();
          const word = tokenValue(t);
          let next = extra.priority.get(word);
          if (!next) {
            extra.priority.set(word, (next = this.newNode()));
            this.countWord(word);
          }
          node = next;
          break;
        }
        case 'sharp': {
          const extra = (node.extra ??= new NodeExtra());
          node = extra.sharp ??= this.newNode();
          break;
        }
        case 'underscore': {
          const extra = (node.extra ??= new NodeExtra());
          node = extra.under ??= this.newNode();
          break;
        }
        case 'caret': {
          const extra = (node.extra ??= new NodeExtra());
          node = extra.caret ??= this.newNode();
          break;
        }
        case 'star':
          node = node.star ??= this.newNode();
          break;
        case 'set': {
          const extra = (node.extra ??= new NodeExtra());
          const name = tokenValue(t);
          extra.sets ??= [];
          let edge = extra.sets.find((e) => e.name === name);
          if (!edge) {
            edge = { name, set: resolveSet(name), node: this.newNode() };
            extra.sets.push(edge);
            extra.sets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          }
          node = edge.node;
          break;
        }
      }
    }
    return node;
  }
}

const STAR: readonly PatternToken[] = ['*'];

function isEmptyExtra(x: NodeExtra): boolean {
  return x.priority === undefined && x.sharp === undefined && x.under === undefined && x.caret === undefined && x.sets === undefined && x.thatNode === undefined && x.topicNode === undefined;
}

/** Holds no category and leads nowhere: remove() prunes it. */
function isEmptyNode(n: PatternNode): boolean {
  return n.category === undefined && n.lit === undefined && n.litMap === undefined && n.star === undefined && (n.extra === undefined || isEmptyExtra(n.extra));
}

/**
 * Compares two match keys: negative when `a` is the higher-priority match, 0 for the same path. No key is a
 * prefix of another (each ends with the end of the topic), so the first difference decides.
 */
export function compareMatchKeys(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Matches one sentence against a graph. Not re-entrant: one Matcher per graph, used for one match at a
 * time (matching finishes before any template runs, so nested srai can reuse it).
 */
export class Matcher implements CategoryMatcher {
  private words: string[] = [];
  private sectionEnd: number[] = [];
  private thatPos = 0;
  private topicPos = 0;
  private capStart: number[] = [];
  private capEnd: number[] = [];
  private capPhrase: Array<string | undefined> = [];
  private capTop = 0;
  private key: number[] = [];
  private keyTop = 0;
  private recordKey = false;
  /** A match key to beat (see match()); `lead` entries of the current key equal its first ones. */
  private bound: readonly number[] | undefined;
  private lead = 0;
  private aborted = false;
  private failed: Set<number> | undefined;
  private stride = 0;
  private steps = 0;
  private maxSteps = 0;
  private found: Category | undefined;
  private foundPlain = false;

  constructor(private readonly graph: PatternGraph) {}

  get lastSteps(): number {
    return this.steps;
  }

  /** Forgets the last match's steps (a layer above whose base threw never ran this one). */
  resetSteps(): void {
    this.steps = 0;
  }

  /**
   * The first match of the input in priority order, or undefined. With `bound` (a key from matching another graph;
   * needs `recordKey`), only a match whose key is not greater than it is of interest: since paths are tried in key
   * order, the search stops at the first path that sorts after it, and answers undefined (a learned layer on a large
   * bot then does not search its graph past where the bot's own match already lies).
   */
  match(input: MatchInput, maxSteps: number, recordKey = false, bound?: readonly number[]): MatchResult | undefined {
    const words = (this.words = [...input.input, THAT_MARKER, ...input.that, TOPIC_MARKER, ...input.topic]);
    this.thatPos = input.input.length;
    this.topicPos = this.thatPos + 1 + input.that.length;
    const n = words.length;
    const sectionEnd = (this.sectionEnd = new Array<number>(n + 1));
    let end = n;
    for (let i = n; i >= 0; i--) {
      if (i < n && (i === this.thatPos || i === this.topicPos)) end = i;
      sectionEnd[i] = end;
    }
    this.capTop = 0;
    this.keyTop = 0;
    this.recordKey = recordKey;
    this.bound = recordKey ? bound : undefined;
    this.lead = 0;
    this.aborted = false;
    this.failed = undefined;
    this.stride = n + 1;
    this.steps = 0;
    this.maxSteps = maxSteps;
    this.found = undefined;
    this.foundPlain = false;
    if (!this.visit(this.graph.root, 0)) return undefined;
    return this.result(input);
  }

  private result(input: MatchInput): MatchResult {
    const stars: string[] = [];
    const thatStars: string[] = [];
    const topicStars: string[] = [];
    for (let i = 0; i < this.capTop; i++) {
      const start = this.capStart[i]!;
      const end = this.capEnd[i]!;
      const phrase = this.capPhrase[i];
      if (start <= this.thatPos) stars.push(phrase ?? input.original.slice(start, end).join(' '));
      else if (start <= this.topicPos) thatStars.push(phrase ?? this.words.slice(start, end).join(' '));
      else topicStars.push(phrase ?? this.words.slice(start, end).join(' '));
    }
    if (this.foundPlain) {
      thatStars.push(input.that.join(' '));
      topicStars.push(input.topic.join(' '));
    }
    return { category: this.found!, stars, thatStars, topicStars, key: this.key.slice(0, this.keyTop) };
  }

  /** Whether the key entries from `from` on make the current path sort after the bound (then nothing later can win). */
  private beyondBound(from: number): boolean {
    const bound = this.bound;
    if (bound === undefined || this.lead < from) return false;
    const key = this.key;
    for (let i = from; i < this.keyTop; i++) {
      // A key running past an equal bound sorts after it (compareMatchKeys).
      const b = i < bound.length ? bound[i]! : -Infinity;
      const k = key[i]!;
      if (k < b) {
        this.lead = i;
        return false;
      }
      if (k > b) return true;
      this.lead = i + 1;
    }
    return false;
  }

  private truncateKey(top: number): void {
    this.keyTop = top;
    if (this.lead > top) this.lead = top;
  }

  private pushKey(rank: number, sub: number): void {
    this.key[this.keyTop++] = rank;
    this.key[this.keyTop++] = sub;
  }

  /** Set edges are tried by name (as sorted in the node), then longest phrase first. */
  private pushSetKey(name: string, len: number): void {
    const key = this.key;
    key[this.keyTop++] = RANK_SET;
    for (let i = 0; i < name.length; i++) key[this.keyTop++] = name.charCodeAt(i) + 1;
    key[this.keyTop++] = 0;
    key[this.keyTop++] = -len;
  }

  private visit(node: PatternNode, pos: number): boolean {
    if (this.aborted) return false;
    if (++this.steps > this.maxSteps) throw new MatchBudgetExceeded();
    const end = this.sectionEnd[pos]!;
    const word = pos < end ? this.words[pos]! : undefined;
    const x = node.extra;
    let next: PatternNode | undefined;
    if (x !== undefined) {
      if (word !== undefined && x.priority !== undefined && (next = x.priority.get(word)) !== undefined) {
        if (this.edge(next, pos + 1, RANK_PRIORITY, 0)) return true;
      }
      if (x.sharp !== undefined && this.wild(x.sharp, pos, end, 0, RANK_SHARP)) return true;
      if (word !== undefined && x.under !== undefined && this.wild(x.under, pos, end, 1, RANK_UNDER)) return true;
    }
    if (word !== undefined) {
      if ((next = node.literal(word)) !== undefined && this.edge(next, pos + 1, RANK_WORD, 0)) return true;
    } else if (this.sectionBoundary(node, pos)) return true;
    if (x !== undefined) {
      if (word !== undefined && x.sets !== undefined && this.sets(x.sets, pos, end)) return true;
      if (x.caret !== undefined && this.wild(x.caret, pos, end, 0, RANK_CARET)) return true;
    }
    if (word !== undefined && node.star !== undefined && this.wild(node.star, pos, end, 1, RANK_STAR)) return true;
    return false;
  }

  /** At the end of a section: the end of the topic completes a match; a marker moves to the next section. */
  private sectionBoundary(node: PatternNode, pos: number): boolean {
    if (pos === this.words.length) {
      if (node.category === undefined) return false;
      // The end of the topic, tried where a word would be: after `#` of zero words, before `^` of zero words.
      if (this.recordKey && !this.pushKeyWithin(RANK_WORD, 0)) return false;
      this.found = node.category;
      return true;
    }
    if (pos === this.thatPos) {
      const thatNode = node.extra?.thatNode;
      if (thatNode !== undefined && this.edge(thatNode, pos + 1, RANK_WORD, 0)) return true;
      if (node.category !== undefined) {
        if (this.recordKey) {
          const keyTop = this.keyTop;
          this.pushKey(RANK_WORD, 0);
          this.pushKey(RANK_PLAIN, 0);
          if (this.beyondBound(keyTop)) {
            this.aborted = true;
            this.truncateKey(keyTop);
            return false;
          }
        }
        this.found = node.category;
        this.foundPlain = true;
        return true;
      }
      return false;
    }
    const topicNode = node.extra?.topicNode;
    return topicNode !== undefined && this.edge(topicNode, pos + 1, RANK_WORD, 0);
  }

  /** pushKey, unless that takes the path past the bound: then the search is over (see match()). */
  private pushKeyWithin(rank: number, sub: number): boolean {
    const keyTop = this.keyTop;
    this.pushKey(rank, sub);
    if (!this.beyondBound(keyTop)) return true;
    this.aborted = true;
    this.truncateKey(keyTop);
    return false;
  }

  private edge(next: PatternNode, pos: number, rank: number, sub: number): boolean {
    const keyTop = this.keyTop;
    if (this.recordKey && !this.pushKeyWithin(rank, sub)) return false;
    if (this.visit(next, pos)) return true;
    this.truncateKey(keyTop);
    return false;
  }

  private wild(next: PatternNode, pos: number, end: number, min: number, rank: number): boolean {
    const keyTop = this.keyTop;
    const cap = this.capTop++;
    this.capStart[cap] = pos;
    this.capPhrase[cap] = undefined;
    for (let p = pos + min; p <= end; p++) {
      const memo = next.id * this.stride + p;
      if (this.failed !== undefined && this.failed.has(memo)) continue;
      this.capEnd[cap] = p;
      if (this.recordKey && !this.pushKeyWithin(rank, p - pos)) break;
      if (this.visit(next, p)) return true;
      this.truncateKey(keyTop);
      this.capTop = cap + 1;
      if (this.aborted) break;
      (this.failed ??= new Set()).add(memo);
    }
    this.capTop = cap;
    return false;
  }

  private sets(edges: readonly SetEdge[], pos: number, end: number): boolean {
    const words = this.words;
    for (let e = 0; e < edges.length; e++) {
      const edge = edges[e]!;
      const set = edge.set;
      if (set === undefined) continue;
      const longest = Math.min(set.longestFrom(words[pos]!), end - pos);
      for (let len = longest; len >= 1; len--) {
        // As in wild(): a (node, position) that failed once fails again, so several sets in a row cannot multiply.
        const memo = edge.node.id * this.stride + pos + len;
        if (this.failed !== undefined && this.failed.has(memo)) continue;
        const phrase = set.lookup(words, pos, len);
        if (phrase === undefined) continue;
        const keyTop = this.keyTop;
        const cap = this.capTop++;
        this.capStart[cap] = pos;
        this.capEnd[cap] = pos + len;
        this.capPhrase[cap] = phrase;
        if (this.recordKey) {
          this.pushSetKey(edge.name, len);
          if (this.beyondBound(keyTop)) {
            this.aborted = true;
            this.truncateKey(keyTop);
            this.capTop = cap;
            return false;
          }
        }
        if (this.visit(edge.node, pos + len)) return true;
        this.truncateKey(keyTop);
        this.capTop = cap;
        if (this.aborted) return false;
        (this.failed ??= new Set()).add(memo);
      }
    }
    return false;
  }
}
