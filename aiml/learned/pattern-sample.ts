/**
 * Turning patterns into inputs that match them, so that the engine itself says which category answers (conflict
 * checks): the matcher decides, not a second reading of AIML's priority rules. Studio's
 * main/workspace/pattern-sample.ts re-exports these, so both analyses sample patterns alike.
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
