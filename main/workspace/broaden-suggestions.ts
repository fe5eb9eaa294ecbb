import { compileBot, type Bot, type CategoryInfo } from '../../aiml/index.js';
import type { PatternSuggestion, SraiSuggestion } from '../../protocol/training.js';
import { isLiveTrainingFile, learnedSample } from './category-analysis.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';
import { literalWords, samplePatternInput, templateGlance } from './pattern-sample.js';

/**
 * Words that carry the grammar of a question rather than its subject. A broadened pattern keeps the other words
 * (the core) and lets wildcards take these, so "DO YOU SHIP TO MARS" also answers "can you ship to Mars please".
 */
const FUNCTION_WORDS = new Set(
  (
    'A AN THE I ME MY YOU YOUR WE US OUR IT ITS HE SHE THEY THEM IS ARE AM WAS WERE BE BEEN DO DOES DID CAN COULD ' +
    'WOULD WILL SHALL SHOULD MAY MIGHT MUST PLEASE HI HELLO HEY OK OKAY SO AND OR BUT JUST REALLY THERE THIS THAT ' +
    'WHAT WHATS HOW WHO WHERE WHEN WHY WHICH TELL KNOW WANT LIKE NEED ANY SOME ALSO THANKS THANK ' +
    'OF TO FOR IN ON AT WITH ABOUT FROM BY'
  ).split(' '),
);

/** Variations of a sentence a broadened pattern should still answer, shown as examples. */
const EXAMPLE_OPENERS = ['CAN YOU', 'PLEASE TELL ME'];

export function coreWords(pattern: string): string[] {
  return literalWords(pattern).filter((w) => !FUNCTION_WORDS.has(w));
}

/**
 * Broader patterns for a learned category: its core words with `^` (zero or more words) around them, and with
 * `^` between them too when there are gaps. Each suggestion is checked with the engine: it must be valid and
 * still answer the input the category was learned from. When the category only answers after a given `that`,
 * dropping that condition is suggested too.
 */
export function suggestPatterns(base: Bot, c: LearnedCategory): PatternSuggestion[] {
  const words = c.pattern.trim().split(/\s+/);
  if (c.pattern.includes('<')) return [];
  const isCore = words.map((w) => /^[\p{L}\p{N}]/u.test(w) && !FUNCTION_WORDS.has(w.toUpperCase()));
  const first = isCore.indexOf(true);
  const last = isCore.lastIndexOf(true);
  const candidates: { pattern: string; why: string }[] = [];
  if (first >= 0) {
    const span = words.slice(first, last + 1).join(' ');
    candidates.push({ pattern: `^ ${span} ^`, why: `Answers any sentence containing “${span}”, whatever comes before or after.` });
    const core = words.filter((_, i) => isCore[i]);
    if (core.length > 1 && core.length < last - first + 1) {
      candidates.push({ pattern: `^ ${core.join(' ^ ')} ^`, why: `Answers any sentence with ${core.map((w) => `“${w}”`).join(', ')} in this order, whatever words are around them.` });
    }
  }
  const input = learnedSample(base, c);
  const out: PatternSuggestion[] = [];
  const seen = new Set<string>([c.pattern.trim()]);
  for (const cand of candidates) {
    if (seen.has(cand.pattern)) continue;
    seen.add(cand.pattern);
    const examples = examplesFor(cand.pattern, input);
    if (examples === undefined) continue;
    out.push({ ...cand, examples });
  }
  if (c.that && c.that.trim() !== '*') {
    out.push({
      pattern: out[0]?.pattern ?? c.pattern,
      that: '*',
      why: `Answers whatever the bot said before (now only after “${c.that}”).`,
      examples: input ? [input] : [],
    });
  }
  return out;
}

/** Inputs the pattern answers (checked by compiling it alone), or undefined when it would not answer `input`. */
function examplesFor(pattern: string, input: string | undefined): string[] | undefined {
  const { bot, diagnostics } = compileBot({ 'aiml/suggestion.aiml': `<aiml version="2.0"><category><pattern>${pattern}</pattern><template>ok</template></category></aiml>` });
  if (diagnostics.some((d) => d.severity === 'error')) return undefined;
  const answers = (text: string) => bot.explain(text) !== undefined;
  if (input !== undefined && !answers(input)) return undefined;
  const core = samplePatternInput(pattern) ?? '';
  const examples = new Set<string>();
  if (input) examples.add(input);
  for (const opener of EXAMPLE_OPENERS) {
    const candidate = `${opener} ${core}`;
    if (answers(candidate)) examples.add(candidate);
  }
  return [...examples].slice(0, 3);
}

/**
 * Existing categories of the bot the input could `<srai>` to instead of a new answer: those sharing the most core
 * words with it. Only categories whose pattern is plain words, with no that or topic, qualify (the srai then says
 * exactly that pattern), never its own input (an srai to itself would loop), and each is checked: the srai input
 * really reaches that category in the bot as it is.
 */
export function suggestSrai(base: Bot, c: LearnedCategory, limit = 3): SraiSuggestion[] {
  const core = new Set(coreWords(c.pattern));
  if (core.size === 0) return [];
  const ownKey = categoryKey(c);
  const ownInput = learnedSample(base, c);
  const ranked: { info: CategoryInfo; target: string; score: number; shared: string[] }[] = [];
  for (const info of base.categories()) {
    if (isLiveTrainingFile(info.file) || info.that !== '*' || info.topic !== '*') continue;
    const target = samplePatternInput(info.pattern);
    if (!target || target !== info.pattern.replace(/\s+/g, ' ').trim()) continue; // wildcards, sets, $ words
    if (categoryKey(info) === ownKey || target === ownInput) continue;
    const words = coreWords(info.pattern);
    const shared = words.filter((w) => core.has(w));
    if (shared.length === 0) continue;
    ranked.push({ info, target, score: shared.length / new Set([...words, ...core]).size, shared });
  }
  ranked.sort((a, b) => b.score - a.score || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const out: SraiSuggestion[] = [];
  for (const r of ranked) {
    if (out.length >= limit) break;
    const reached = base.explain(r.target);
    if (!reached || categoryKey(reached) !== categoryKey(r.info)) continue;
    out.push({
      template: `<srai>${r.target}</srai>`,
      why: `Shares ${r.shared.map((w) => `“${w}”`).join(', ')} with this pattern: the bot's own answer to ${r.target} would be given.`,
      target: { pattern: r.info.pattern, that: r.info.that, topic: r.info.topic, file: r.info.file.slice(r.info.file.lastIndexOf('/') + 1), line: r.info.line, answer: templateGlance(r.info.template) },
    });
  }
  return out;
}
