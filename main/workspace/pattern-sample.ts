/**
 * Turning patterns into inputs that match them, so that the engine itself can say which category answers
 * (conflict checks, suggestions): the matcher, not a second reading of AIML's priority rules, decides. The sample
 * rules are the engine's (aiml/learned/pattern-sample.ts, which the Platform's incremental analysis uses too), so
 * Studio and the Platform agree finding for finding; what only Studio needs is here.
 */
export { FILLER_WORD, samplePatternInput, templateGlance } from '../../aiml/learned/pattern-sample.js';

/** The plain words of a pattern (no wildcards, no markup). */
export function literalWords(pattern: string): string[] {
  return pattern
    .replace(/<[^>]*>[^<]*<\/[^>]*>|<[^>]*\/>/g, ' ')
    .trim()
    .split(/\s+/)
    .map((w) => (w.startsWith('$') ? w.slice(1) : w))
    .filter((w) => w !== '' && !['*', '_', '^', '#'].includes(w))
    .map((w) => w.toUpperCase());
}

/** Whether a pattern has no plain word at all (`*`, `^ *`, ...): it can take inputs from any category. */
export function isAllWildcards(pattern: string): boolean {
  return literalWords(pattern).length === 0 && !pattern.includes('<');
}
