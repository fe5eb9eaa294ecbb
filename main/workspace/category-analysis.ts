import type { Bot, CategoryInfo, MatchMeta } from '../../aiml/index.js';
import type { CategoryPointer, Finding } from '../../protocol/training.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';
import { isAllWildcards, literalWords, samplePatternInput, templateGlance } from './pattern-sample.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

/** Shadowed categories listed per learned category before the rest is only counted. */
const MAX_SHADOWS_LISTED = 20;

export interface AnalysisBots {
  /** The bot's other files only: the bot as it was before anything was learned. */
  base: Bot;
  /** The same files plus the workspace's `pand_livetraining.aiml`, loaded last as the Platform loads it. */
  combined: Bot;
}

export function isLiveTrainingFile(file: string): boolean {
  return file === LIVE_TRAINING_FILE_NAME || file.endsWith(`/${LIVE_TRAINING_FILE_NAME}`);
}

function pointer(c: Pick<CategoryInfo, 'pattern' | 'that' | 'topic' | 'file'> & { line?: number; template?: string }): CategoryPointer {
  const p: CategoryPointer = { pattern: c.pattern, that: c.that, topic: c.topic, file: c.file.slice(c.file.lastIndexOf('/') + 1) };
  if (c.line !== undefined && c.line > 0) p.line = c.line;
  if (c.template !== undefined) p.answer = templateGlance(c.template);
  return p;
}

function sameAnswer(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/** The input a learned category is checked with: the user's own words when known, else a sample of its pattern. */
export function learnedSample(base: Bot, c: LearnedCategory): string | undefined {
  const typed = c.source?.input;
  if (typed) {
    const last = base.normalize(typed).at(-1);
    if (last) return last;
  }
  return samplePatternInput(c.pattern);
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

const keyOf = (m: Pick<MatchMeta, 'pattern' | 'that' | 'topic'>) => categoryKey(m);

/** What analysing one base bot needs again after every capture, kept as long as that compiled bot is in use. */
interface BaseBotFacts {
  /** The bot's own categories by key (on ALICE listing 100,000 categories took ~160 ms). */
  existing: Map<string, CategoryInfo>;
  /** The words of a category's sample input as the engine matches it (substitutions applied), by category key. */
  sampleWords: Map<string, readonly string[]>;
}

const factsByBot = new WeakMap<Bot, BaseBotFacts>();

function baseBotFacts(base: Bot): BaseBotFacts {
  let facts = factsByBot.get(base);
  if (facts === undefined) {
    const existing = new Map<string, CategoryInfo>();
    for (const c of base.categories()) if (!isLiveTrainingFile(c.file)) existing.set(categoryKey(c), c);
    facts = { existing, sampleWords: new Map() };
    factsByBot.set(base, facts);
  }
  return facts;
}

/** A word the engine's normalisation leaves as it is (a hand-edited WHAT'S is WHATS to it). */
const PLAIN_WORD = /^[A-Z0-9]+$/;

/**
 * Whether a learned pattern could match an input of these words. A pattern's plain words each match one input word,
 * so it can only match an input holding all of them: of ALICE's ~24,000 categories sharing a common word such as
 * "DO" or "YOU" with the learned patterns, most need not be tried. Undefined when no pattern lets anything be left out.
 */
function couldMatchLearned(learned: readonly LearnedCategory[]): ((words: readonly string[]) => boolean) | undefined {
  const required: string[][] = [];
  for (const c of learned) {
    const words = literalWords(c.pattern).filter((w) => PLAIN_WORD.test(w));
    if (words.length === 0) return undefined;
    required.push(words);
  }
  const byFirst = new Map<string, string[][]>();
  for (const words of required) {
    const list = byFirst.get(words[0]!);
    if (list) list.push(words);
    else byFirst.set(words[0]!, [words]);
  }
  return (input) => {
    const have = new Set(input);
    for (const w of have) if (byFirst.get(w)?.some((words) => words.every((x) => have.has(x)))) return true;
    return false;
  };
}

/**
 * Conflicts and duplicates of learned categories with the bot's other files, decided by the engine itself:
 * - duplicate / overrides: a category of the bot's files has the same pattern, that and topic (the learned one is
 *   loaded last, so it wins: with the same answer it adds nothing, with another it replaces the bot's);
 * - unreachable: the input the category was learned from is answered by another category (a `_` or `$` pattern,
 *   say), so the learned category never answers it;
 * - matchedBefore: before it was learned the input already had a (non-default) answer: perhaps an `<srai>` to it,
 *   or an edit of that category, is the better fix;
 * - shadows: a category of the bot's files used to answer its own pattern and now a learned one does (a broadened
 *   pattern took its inputs).
 * Returns findings by category key.
 */
export function analyseCategories(bots: AnalysisBots, learned: readonly LearnedCategory[]): Map<string, Finding[]> {
  const findings = new Map<string, Finding[]>();
  const add = (key: string, f: Finding) => {
    const list = findings.get(key);
    if (list) list.push(f);
    else findings.set(key, [f]);
  };
  const facts = baseBotFacts(bots.base);
  const existing = facts.existing;
  const learnedKeys = new Set<string>();

  for (const c of learned) {
    const key = categoryKey(c);
    learnedKeys.add(key);
    const same = existing.get(key);
    if (same) {
      if (sameAnswer(same.template, c.template)) {
        add(key, { kind: 'duplicate', message: `${pointer(same).file} line ${same.line} has this category with the same answer: the learned one adds nothing.`, other: pointer(same) });
      } else {
        add(key, { kind: 'overrides', message: `Replaces the answer of ${pointer(same).file} line ${same.line} (the learned file loads last, so its answer wins).`, other: pointer(same) });
      }
    }
    const sample = learnedSample(bots.base, c);
    if (sample === undefined) continue;
    const ctx = context(c);
    const now = bots.combined.explain(sample, ctx);
    if (now && (!isLiveTrainingFile(now.file) || keyOf(now) !== key)) {
      const other = existing.get(keyOf(now)) ?? now;
      add(key, {
        kind: 'unreachable',
        message: `“${sample}” is answered by ${now.pattern} (${pointer(now).file}${now.line ? ` line ${now.line}` : ''}), not by this category: it comes first in AIML's match order.`,
        other: pointer({ ...now, template: 'template' in other ? other.template : undefined }),
      });
    }
    const before = c.source?.before;
    if (before && !before.defaultCategory) {
      add(key, { kind: 'matchedBefore', message: `Before, the bot answered this input with ${before.pattern} (${before.file}).`, other: pointer(before) });
    } else if (!same) {
      const was = bots.base.explain(sample, ctx);
      if (was && !was.defaultCategory) {
        const info = existing.get(keyOf(was));
        add(key, {
          kind: 'matchedBefore',
          message: `Without the learned categories the bot answers “${sample}” with ${was.pattern} (${pointer(was).file}${was.line ? ` line ${was.line}` : ''}).`,
          other: pointer({ ...was, template: info?.template }),
        });
      }
    }
  }

  // Which of the bot's own categories lost their inputs to a learned one. Only categories sharing a word with a
  // learned pattern can (unless a learned pattern is all wildcards): the rest are not even sampled.
  const words = new Set<string>();
  let anyWildcardOnly = false;
  for (const c of learned) {
    if (isAllWildcards(c.pattern)) anyWildcardOnly = true;
    for (const w of literalWords(c.pattern)) words.add(w);
  }
  const couldMatch = couldMatchLearned(learned);
  const shadowCount = new Map<string, number>();
  for (const [key, e] of existing) {
    if (learnedKeys.has(key)) continue; // already reported as duplicate/overrides
    if (e.pattern === '*' && e.that === '*' && e.topic === '*') continue; // the default category answers what nothing else does
    if (!anyWildcardOnly && !literalWords(e.pattern).some((w) => words.has(w))) continue;
    const sample = samplePatternInput(e.pattern);
    if (sample === undefined) continue;
    if (couldMatch !== undefined) {
      let input = facts.sampleWords.get(key);
      if (input === undefined) facts.sampleWords.set(key, (input = bots.base.normalize(sample)[0]?.split(' ') ?? []));
      if (!couldMatch(input)) continue;
    }
    const ctx = context(e);
    const was = bots.base.explain(sample, ctx);
    if (!was || keyOf(was) !== key) continue;
    const now = bots.combined.explain(sample, ctx);
    if (!now || !isLiveTrainingFile(now.file)) continue;
    const winner = keyOf(now);
    const n = (shadowCount.get(winner) ?? 0) + 1;
    shadowCount.set(winner, n);
    if (n <= MAX_SHADOWS_LISTED) {
      add(winner, { kind: 'shadows', message: `Now answers “${sample}”, which ${e.pattern} (${pointer(e).file} line ${e.line}) answered before.`, other: pointer(e) });
    }
  }
  for (const [key, n] of shadowCount) {
    if (n <= MAX_SHADOWS_LISTED) continue;
    const list = findings.get(key)!;
    const last = list[list.length - 1]!;
    list.push({ kind: 'shadows', message: `… and ${n - MAX_SHADOWS_LISTED} more categories of the bot's files.`, other: last.other });
  }
  return findings;
}
