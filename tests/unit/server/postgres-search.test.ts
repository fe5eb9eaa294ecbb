import { describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../../server/conversations/search-query.js';
import { ftsMatchToTsquery } from '../../../server/storage/postgres-search.js';

/** The inbox search means the same on PostgreSQL: every typed word, as a prefix, all required. */
describe('ftsMatchToTsquery', () => {
  const translate = (typed: string) => ftsMatchToTsquery(toFtsQuery(typed)!);

  it('turns every word into a required prefix', () => {
    expect(translate('hel wor')).toBe("'hel':* & 'wor':*");
  });

  it('folds accents as the index does, and keeps letters of any script and digits (the database lowercases both sides)', () => {
    expect(translate('Café 42 Ünïcode Ångström')).toBe("'Cafe':* & '42':* & 'Unicode':* & 'Angstrom':*");
    expect(translate('Привет 東京')).toBe("'Привет':* & '東京':*");
  });

  it('takes FTS5 and tsquery syntax in the input literally', () => {
    // toFtsQuery keeps only letters and digits; whatever it passes on is quoted again here.
    expect(translate('hel" & !x : * NEAR(')).toBe("'hel':* & 'x':* & 'NEAR':*");
  });

  it("quotes a word's quote characters instead of letting them end the lexeme", () => {
    expect(ftsMatchToTsquery(`"o'brien"* "say ""hi"""*`)).toBe(`'o''brien':* & 'say "hi"':*`);
    expect(ftsMatchToTsquery('"back\\slash"*')).toBe("'back\\\\slash':*");
  });

  it('has nothing to search for in a match without words', () => {
    expect(ftsMatchToTsquery('')).toBeUndefined();
    expect(ftsMatchToTsquery('"" "  "*')).toBeUndefined();
  });
});
