/**
 * A set of phrases for `<set>NAME</set>` in patterns. Matching a phrase of n words is one hash lookup on
 * the words joined with spaces (no regex); the first word tells the longest phrase worth trying, so the
 * matcher tries lengths longest first without wasted joins.
 */
export interface PhraseSet {
  readonly name: string;
  /** Longest phrase length (in words) that could start with `firstWord`; 0 when none can. */
  longestFrom(firstWord: string): number;
  /** The phrase as written in the set when words[pos..pos+len) is a member, else undefined. */
  lookup(words: readonly string[], pos: number, len: number): string | undefined;
  /** Membership of a whole phrase (any case), for <condition> and templates. */
  has(phrase: string): boolean;
  readonly size: number;
}

export class WordSet implements PhraseSet {
  private readonly phrases = new Map<string, string>();
  private readonly longestByFirst = new Map<string, number>();

  constructor(
    readonly name: string,
    phrases: Iterable<string> = [],
  ) {
    for (const phrase of phrases) this.add(phrase);
  }

  /**
   * Adds one phrase (words separated by white space); the loader adds a large set a slice at a time. Returns the
   * phrase's key (upper case, single spaces) when it is new to the set, else undefined.
   */
  add(phrase: string): string | undefined {
    const words = phrase.split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0) return undefined;
    const written = words.join(' ');
    const key = written.toUpperCase();
    // Keep the first spelling: "Red" and "RED" in one set are the same member.
    if (this.phrases.has(key)) return undefined;
    this.phrases.set(key, written);
    const first = words[0]!.toUpperCase();
    if ((this.longestByFirst.get(first) ?? 0) < words.length) this.longestByFirst.set(first, words.length);
    return key;
  }

  get size(): number {
    return this.phrases.size;
  }

  longestFrom(firstWord: string): number {
    return this.longestByFirst.get(firstWord) ?? 0;
  }

  lookup(words: readonly string[], pos: number, len: number): string | undefined {
    if (len === 1) return this.phrases.get(words[pos]!);
    let key = words[pos]!;
    for (let i = 1; i < len; i++) key += ' ' + words[pos + i]!;
    return this.phrases.get(key);
  }

  has(phrase: string): boolean {
    return this.phrases.has(phrase.trim().split(/\s+/).join(' ').toUpperCase());
  }
}

function isDigits(word: string): boolean {
  if (word.length === 0 || word.length > 15) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Pandorabots' built-in set `number`: one word of decimal digits. */
export const NUMBER_SET: PhraseSet = {
  name: 'number',
  size: Infinity,
  longestFrom: (firstWord) => (isDigits(firstWord) ? 1 : 0),
  lookup: (words, pos, len) => (len === 1 && isDigits(words[pos]!) ? words[pos] : undefined),
  has: (phrase) => isDigits(phrase.trim()),
};
