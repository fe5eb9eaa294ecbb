/**
 * The conversation list's `match` arrives as the FTS5 query `conversations/search-query.ts` makes: each word quoted
 * (`"` doubled inside) with a trailing `*`, words separated by spaces, all of which must occur. PostgreSQL gets the
 * same meaning as a tsquery for to_tsquery('simple', ...): `'word':* & 'other':*` (prefix match of every word).
 * Each word is quoted as a tsquery lexeme, so nothing in it is tsquery syntax; the 'simple' configuration lowercases
 * it as it lowercases the indexed text, and its accents are folded as the index folds them (`lts_search_text` in
 * postgres-schema.ts), so "cafe" and "café" find each other as in SQLite.
 *
 * Returns undefined when the input holds no word (then nothing can match).
 */
export function ftsMatchToTsquery(match: string): string | undefined {
  const words: string[] = [];
  // A quoted FTS5 string: `"` then anything with `""` as an escaped quote, then `"`; the `*` is optional.
  const token = /"((?:[^"]|"")*)"\*?|([^\s"*]+)\*?/gu;
  for (const m of match.matchAll(token)) {
    const word = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!;
    if (word.trim().length > 0) words.push(word);
  }
  if (words.length === 0) return undefined;
  return words.map((w) => `'${foldAccents(w).replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`).join(' & ');
}

/** The same folding as `lts_search_text` in the database: decompose, then drop the combining diacritical marks. */
function foldAccents(word: string): string {
  return word.normalize('NFD').replace(/[\u0300-\u036f]+/g, '');
}
