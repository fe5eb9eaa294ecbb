/**
 * Turning patterns into inputs that match them, so that the engine itself can say which category answers
 * (conflict checks, suggestions): the matcher, not a second reading of AIML's priority rules, decides.
 */

/** A word no real category is about, standing for what a `*` or `_` takes. */
export const FILLER_WORD = 'XYZZY';

/**
 * An input the pattern matches: words as they are, `*` and `_` as one filler word, `^` and `#` as nothing, `$WORD`
 * as WORD. Undefined for patterns with sets or other markup (no general sample exists for those).
 */
export function samplePatternInput(pattern: string): string | undefined {
  if (pattern.includes('<')) return undefined;
  const words: string[] = [];
  for (const token of pattern.trim().split(/\s+/)) {
    if (token === '') continue;
    if (token === '*' || token === '_') words.push(FILLER_WORD);
    else if (token === '^' || token === '#') continue;
    else if (token.startsWith('$') && token.length > 1) words.push(token.slice(1));
    else words.push(token);
  }
  return words.length > 0 ? words.join(' ') : FILLER_WORD;
}

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

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" };

/** A template's answer at a glance, for lists: markup dropped, entities read, cut to `max` characters. */
export function templateGlance(templateXml: string, max = 140): string {
  const text = templateXml
    .replace(/<srai>([\s\S]*?)<\/srai>/g, ' → $1 ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e]!)
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
