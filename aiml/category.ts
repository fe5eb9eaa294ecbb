/** A compiled category and the tokens of its pattern, that and topic. */
import type { Template } from './template-ast.js';

export type PatternToken =
  | { kind: 'word'; word: string }
  | { kind: 'priority'; word: string }
  | { kind: 'sharp' }
  | { kind: 'underscore' }
  | { kind: 'caret' }
  | { kind: 'star' }
  | { kind: 'set'; name: string };

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

export function tokensToText(tokens: readonly PatternToken[], escapeWord: (w: string) => string = (w) => w): string {
  return tokens
    .map((t) => {
      switch (t.kind) {
        case 'word':
          return escapeWord(t.word);
        case 'priority':
          return '$' + escapeWord(t.word);
        case 'sharp':
          return '#';
        case 'underscore':
          return '_';
        case 'caret':
          return '^';
        case 'star':
          return '*';
        case 'set':
          return `<set>${t.name}</set>`;
      }
    })
    .join(' ');
}

export function isSingleStar(tokens: readonly PatternToken[] | undefined): boolean {
  return tokens === undefined || (tokens.length === 1 && tokens[0]!.kind === 'star');
}

/** The tokens as the XML content of a <pattern>, <that> or <topic> element. */
export function tokensToXml(tokens: readonly PatternToken[]): string {
  return tokensToText(tokens, (w) => w.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}
