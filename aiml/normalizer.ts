/**
 * Input normalisation, the way Pandorabots describes it: normal substitutions on the raw input, split into
 * sentences on the `sentence-splitters` property, punctuation removed, matched case-insensitively.
 *
 * Each word keeps its original spelling too, because <star/> gives back what the user typed ("test2"
 * stays lower case), while matching uses the upper-case form.
 */
import type { TextSubstitution } from './substitutions.js';

export const DEFAULT_SENTENCE_SPLITTERS = '.?!。？！';

export interface Words {
  /** Upper-case words, as the matcher sees them. */
  upper: string[];
  /** The same words as written. */
  original: string[];
}

// Apostrophes join a word ("it's" -> "ITS"); every other punctuation mark separates words. So do the ASCII
// symbols that mean something in a pattern or in XML ($ ^ < > and friends): a normalised input can then
// always be written back as a pattern (Studio does that) without turning a word into a wildcard or markup.
const APOSTROPHES = /['\u2018\u2019`\u00b4]/g;
const PUNCTUATION = /[\p{P}$+<=>^|~]/gu;

// How each ASCII character is treated when splitting into words: 0 = part of a word, 1 = separates words
// (white space and Unicode punctuation, \p{P}), 2 = dropped (apostrophes join: "it's" -> "ITS").
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = c <= 32 || c === 127 || /[\p{P}$+<=>^|~]/u.test(String.fromCharCode(c)) ? 1 : 0;
ASCII_CLASS[39] = 2; // '
ASCII_CLASS[96] = 2; // `

/** Splits text into words after removing punctuation (no substitutions, no sentence splitting). */
export function toWords(text: string): Words {
  const original: string[] = [];
  let word = '';
  let start = -1;
  let pieces = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return toWordsUnicode(text);
    const kind = ASCII_CLASS[c];
    if (kind === 0) {
      if (start === -1) start = i;
    } else {
      if (start !== -1) {
        word = pieces ? word + text.slice(start, i) : text.slice(start, i);
        start = -1;
      }
      if (kind === 2) {
        // An apostrophe inside a word: the word continues after it.
        pieces = word.length > 0;
        continue;
      }
      if (word.length > 0) original.push(word);
      word = '';
      pieces = false;
    }
  }
  if (start !== -1) word = pieces ? word + text.slice(start) : text.slice(start);
  if (word.length > 0) original.push(word);
  const upper = new Array<string>(original.length);
  for (let i = 0; i < original.length; i++) upper[i] = original[i]!.toUpperCase();
  return { upper, original };
}

function toWordsUnicode(text: string): Words {
  const t = text.replace(APOSTROPHES, '').replace(PUNCTUATION, ' ');
  const original = t.split(/\s+/).filter((w) => w.length > 0);
  return { upper: original.map((w) => w.toUpperCase()), original };
}

export class Normalizer {
  /** UTF-16 units that end a sentence (splitters are single BMP characters in practice). */
  private readonly splitterCodes: Set<number>;

  constructor(
    private readonly normal: TextSubstitution,
    splitters: string = DEFAULT_SENTENCE_SPLITTERS,
  ) {
    this.splitterCodes = new Set([...splitters].filter((c) => c.length === 1).map((c) => c.charCodeAt(0)));
  }

  /** The input after normal substitutions, split into sentences (each still with punctuation). */
  splitSentences(input: string): string[] {
    const substituted = this.normal.apply(input);
    const sentences: string[] = [];
    let start = 0;
    for (let i = 0; i < substituted.length; i++) {
      if (this.splitterCodes.has(substituted.charCodeAt(i))) {
        if (i > start) sentences.push(substituted.slice(start, i));
        start = i + 1;
      }
    }
    if (start < substituted.length) sentences.push(substituted.slice(start));
    return sentences;
  }

  /**
   * Every sentence of an input as words, as sentences() gives them, with the text it came from (after normal
   * substitutions) and the splitter that ended it ('' at the end of the input): a caller that needs to know which
   * sentence was a question ("?") sees the one the engine matched.
   */
  sentencesWithText(input: string): Array<{ words: Words; text: string; end: string }> {
    const substituted = this.normal.apply(input);
    const out: Array<{ words: Words; text: string; end: string }> = [];
    let start = 0;
    for (let i = 0; i <= substituted.length; i++) {
      if (i < substituted.length && !this.splitterCodes.has(substituted.charCodeAt(i))) continue;
      if (i > start) {
        const text = substituted.slice(start, i);
        const words = toWords(text);
        if (words.upper.length > 0) out.push({ words, text, end: i < substituted.length ? substituted.charAt(i) : '' });
      }
      start = i + 1;
    }
    return out;
  }

  /** Every sentence of an input as words (sentences without any word are dropped). */
  sentences(input: string): Words[] {
    const out: Words[] = [];
    for (const s of this.splitSentences(input)) {
      const w = toWords(s);
      if (w.upper.length > 0) out.push(w);
    }
    return out;
  }

  /** The last sentence of a bot reply, as <that> is matched: upper-case words, or [] for an empty reply. */
  thatWords(reply: string): string[] {
    // Markup in a reply (rich media, HTML) is not part of what the user read as the last sentence.
    const plain = reply.indexOf('<') === -1 ? reply : reply.replace(/<[^>]*>/g, ' ');
    const sentences = this.sentences(plain);
    return sentences.length === 0 ? [] : sentences[sentences.length - 1]!.upper;
  }
}
