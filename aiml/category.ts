/** A compiled category and the tokens of its pattern, that and topic. */
import type { Template } from './template-ast.js';

/**
 * One token of a pattern, that or topic, encoded as a string so that a 99,524-category bot does not
 * allocate an object per word: a word is itself ("HELLO"), a wildcard is `*` `_` `^` `#`, a priority word
 * is "\u0002WORD" and a set is "\u0001name". Normalised words never contain those control characters
 * and a lone `*` `_` `^` `#` in a pattern is always a wildcard.
 */
export type PatternToken = string;

const SET_MARK = '\u0001';
const PRIORITY_MARK = '\u0002';

export type TokenKind = 'word' | 'priority' | 'sharp' | 'underscore' | 'caret' | 'star' | 'set';

export function tokenKind(t: PatternToken): TokenKind {
  if (t.length === 1) {
    switch (t) {
      case '*':
        return 'star';
      case '_':
        return 'underscore';
      case '^':
        return 'caret';
      case '#':
        return 'sharp';
    }
  }
  const c = t.charCodeAt(0);
  return c === 1 ? 'set' : c === 2 ? 'priority' : 'word';
}

export const setToken = (name: string): PatternToken => SET_MARK + name;
export const priorityToken = (word: string): PatternToken => PRIORITY_MARK + word;
/** The word of a word or priority token, the name of a set token. */
export const tokenValue = (t: PatternToken): string => (t.charCodeAt(0) <= 2 ? t.slice(1) : t);

export interface Category {
  /** Normalised display forms, e.g. "MY FAVORITE COLOR IS <set>color</set>", "*". */
  readonly pattern: string;
  readonly that: string;
  readonly topic: string;
  readonly file: string;
  readonly line: number;
  readonly template: Template;
  /** The template's source is sourceText.slice(sourceStart, sourceEnd): slicing on demand keeps memory low. */
  readonly sourceText: string;
  readonly sourceStart: number;
  readonly sourceEnd: number;
  /** Pattern `*`, that `*`, topic `*`: the ultimate default category. */
  readonly isDefault: boolean;
  /** The template is one srai/sr and nothing else that prints: the answer comes from the srai target. */
  readonly isReduction: boolean;
  readonly origin: 'file' | 'learnf' | 'learn';
}

const IDENTITY = (w: string) => w;

export function tokensToText(tokens: readonly PatternToken[], escapeWord: (w: string) => string = IDENTITY): string {
  // join() yields one flat string; `+=` would leave a chain of cons strings per category in memory.
  let plain = true;
  for (let i = 0; plain && i < tokens.length; i++) plain = tokens[i]!.charCodeAt(0) > 2;
  if (plain && escapeWord === IDENTITY) return tokens.join(' ');
  const parts = new Array<string>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const kind = tokenKind(t);
    if (kind === 'word') parts[i] = escapeWord(t);
    else if (kind === 'priority') parts[i] = '$' + escapeWord(tokenValue(t));
    else if (kind === 'set') parts[i] = `<set>${tokenValue(t)}</set>`;
    else parts[i] = t;
  }
  return parts.join(' ');
}

/** The tokens of a pattern, that or topic as tokensToText wrote it (what MatchMeta and CategoryInfo show). */
export function tokensFromText(text: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  for (const m of text.matchAll(/<set>(.*?)<\/set>|\S+/g)) {
    const word = m[0];
    if (m[1] !== undefined) tokens.push(setToken(m[1]));
    else if (word.length > 1 && word.charCodeAt(0) === 36 /* $ */) tokens.push(priorityToken(word.slice(1)));
    else tokens.push(word);
  }
  return tokens;
}

export function isSingleStar(tokens: readonly PatternToken[] | undefined): boolean {
  return tokens === undefined || (tokens.length === 1 && tokens[0] === '*');
}

/** The tokens as the XML content of a <pattern>, <that> or <topic> element. */
export function tokensToXml(tokens: readonly PatternToken[]): string {
  return tokensToText(tokens, (w) => w.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}
