import { readFileSync } from 'node:fs';
import { resourcePath } from '../resources/resource-root.js';

export interface WordLists {
  adjectives: readonly string[];
  nouns: readonly string[];
}

/** Reads resources/names/{adjectives,nouns}.txt: one word a line, `#` comments and blank lines ignored. */
export function loadWordLists(dir = resourcePath('names')): WordLists {
  const read = (file: string) => {
    const words = readFileSync(`${dir}/${file}`, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    return [...new Set(words)];
  };
  const lists = { adjectives: read('adjectives.txt'), nouns: read('nouns.txt') };
  if (lists.adjectives.length === 0 || lists.nouns.length === 0) throw new Error(`the name word lists in ${dir} are empty`);
  return lists;
}

/**
 * Random robot-themed client names ("Rusty Sprocket") for end users, so designers can tell conversations apart.
 * `inUse` says whether a live conversation already has a name. A few random tries find a free name quickly while
 * most are free; when the lists are nearly exhausted a scan from a random start finds any free pair; only when every
 * pair is taken does a number tell two live conversations apart ("Rusty Sprocket 2").
 */
export class RobotNameGenerator {
  private static readonly RANDOM_TRIES = 8;

  constructor(
    private readonly words: WordLists,
    private readonly random: () => number,
  ) {}

  get combinations(): number {
    return this.words.adjectives.length * this.words.nouns.length;
  }

  next(inUse: (name: string) => boolean): string {
    for (const name of this.candidates()) if (!inUse(name)) return name;
    throw new Error('unreachable: the candidates never end');
  }

  /**
   * The names to try, in order: random picks, then a scan from a random start, then numbered names. For a caller
   * whose "in use" check is asynchronous (the Platform asks its storage): it stops at the first free one.
   */
  *candidates(): Generator<string, never> {
    const { adjectives, nouns } = this.words;
    const total = this.combinations;
    const nameAt = (i: number) => `${adjectives[Math.floor(i / nouns.length)]} ${nouns[i % nouns.length]}`;
    const pick = () => Math.min(total - 1, Math.floor(this.random() * total));
    for (let t = 0; t < RobotNameGenerator.RANDOM_TRIES; t++) yield nameAt(pick());
    const start = pick();
    for (let k = 0; k < total; k++) yield nameAt((start + k) % total);
    const base = nameAt(start);
    for (let n = 2; ; n++) yield `${base} ${n}`;
  }
}
