/**
 * Pandorabots' built-in maps: `successor` and `predecessor` (integers), `plural` and `singular` (English
 * nouns by the usual spelling rules plus the common irregular words). A bot's own map file of the same
 * name is consulted first.
 */

const IRREGULAR_PLURALS: Record<string, string> = {
  man: 'men', woman: 'women', child: 'children', person: 'people', mouse: 'mice', foot: 'feet', tooth: 'teeth',
  goose: 'geese', ox: 'oxen', louse: 'lice', die: 'dice', criterion: 'criteria', phenomenon: 'phenomena',
  cactus: 'cacti', fungus: 'fungi', nucleus: 'nuclei', analysis: 'analyses', crisis: 'crises', thesis: 'theses',
  leaf: 'leaves', knife: 'knives', wife: 'wives', life: 'lives', wolf: 'wolves', half: 'halves', shelf: 'shelves',
  potato: 'potatoes', tomato: 'tomatoes', hero: 'heroes', echo: 'echoes', sheep: 'sheep', fish: 'fish', deer: 'deer',
  series: 'series', species: 'species', aircraft: 'aircraft',
};
const IRREGULAR_SINGULARS: Record<string, string> = Object.fromEntries(Object.entries(IRREGULAR_PLURALS).map(([s, p]) => [p, s]));

/** Keeps the case style of `model` (all caps, capitalised, lower) on `word`. */
function likeCase(model: string, word: string): string {
  if (model.length > 1 && model === model.toUpperCase() && model !== model.toLowerCase()) return word.toUpperCase();
  if (model[0] !== undefined && model[0] === model[0].toUpperCase() && model[0] !== model[0].toLowerCase()) {
    return word[0]!.toUpperCase() + word.slice(1);
  }
  return word;
}

export function pluralOf(word: string): string {
  const w = word.toLowerCase();
  if (w.length === 0) return word;
  const irregular = IRREGULAR_PLURALS[w];
  if (irregular) return likeCase(word, irregular);
  let p: string;
  if (/(s|x|z|ch|sh)$/.test(w)) p = w + 'es';
  else if (/[^aeiou]y$/.test(w)) p = w.slice(0, -1) + 'ies';
  else p = w + 's';
  return likeCase(word, p);
}

export function singularOf(word: string): string {
  const w = word.toLowerCase();
  if (w.length === 0) return word;
  const irregular = IRREGULAR_SINGULARS[w];
  if (irregular) return likeCase(word, irregular);
  let s: string;
  if (/[^aeiou]ies$/.test(w)) s = w.slice(0, -3) + 'y';
  else if (/(s|x|z|ch|sh)es$/.test(w)) s = w.slice(0, -2);
  else if (/[^s]s$/.test(w)) s = w.slice(0, -1);
  else s = w;
  return likeCase(word, s);
}

function integerStep(key: string, step: number): string | undefined {
  const t = key.trim();
  if (!/^-?\d{1,15}$/.test(t)) return undefined;
  return String(Number(t) + step);
}

/** The value of a built-in map for `key`, or undefined when the map does not exist or has no value. */
export function builtinMap(name: string, key: string): string | undefined {
  switch (name) {
    case 'successor':
      return integerStep(key, 1);
    case 'predecessor':
      return integerStep(key, -1);
    case 'plural':
      return key.trim().length === 0 ? undefined : key.trim().split(/\s+/).map((w, i, all) => (i === all.length - 1 ? pluralOf(w) : w)).join(' ');
    case 'singular':
      return key.trim().length === 0 ? undefined : key.trim().split(/\s+/).map((w, i, all) => (i === all.length - 1 ? singularOf(w) : w)).join(' ');
    default:
      return undefined;
  }
}
