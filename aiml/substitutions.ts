/**
 * Applies a substitution list (normal, denormal, person, person2, gender) in one left-to-right pass:
 * at each position the longest matching `from` wins, compared case-insensitively, and the text it
 * replaced is not looked at again (so "I" -> "you" -> "me" chains cannot happen).
 *
 * Pandorabots' lists pad words with spaces (" with you "). Adjacent padded words share one space
 * ("are you with you" has " you " and " with you " touching), so when a `from` and its `to` both end
 * in a space, that space is handed back to the scan instead of being consumed.
 *
 * A character trie keeps this linear in the input length, whatever the list size: no regex per pair.
 */

interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  /** Replacement when a `from` ends here. */
  to: string | undefined;
  fromLength: number;
}

function newNode(): TrieNode {
  return { next: undefined, to: undefined, fromLength: 0 };
}

/** Lower-cases one UTF-16 unit without changing the string length (keeps offsets aligned). */
function fold(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  const s = String.fromCharCode(c).toLowerCase();
  return s.length === 1 ? s.charCodeAt(0) : c;
}

export class Substituter {
  private readonly root = newNode();
  private count = 0;

  constructor(pairs: ReadonlyArray<readonly [string, string]> = []) {
    for (const [from, to] of pairs) this.add(from, to);
  }

  get size(): number {
    return this.count;
  }

  /** Adds one pair (the loader adds a long list a slice at a time). */
  add(from: string, to: string): void {
    if (from.length === 0) return;
    let node = this.root;
    for (let i = 0; i < from.length; i++) {
      const c = fold(from.charCodeAt(i));
      node.next ??= new Map();
      let child = node.next.get(c);
      if (!child) {
        child = newNode();
        node.next.set(c, child);
      }
      node = child;
    }
    // The first of two identical `from`s wins, as in a file read top to bottom by a first-match engine.
    if (node.to === undefined) {
      node.to = to;
      node.fromLength = from.length;
      this.count++;
    }
  }

  /** Substitutes in `text` padded with one space on each side, then removes the padding. */
  apply(text: string): string {
    if (this.size === 0) return text;
    const padded = ' ' + text + ' ';
    const out = this.run(padded);
    return out.slice(out.startsWith(' ') ? 1 : 0, out.endsWith(' ') ? -1 : undefined);
  }

  private run(s: string): string {
    let out = '';
    let copiedTo = 0;
    let i = 0;
    const n = s.length;
    const rootNext = this.root.next!;
    while (i < n) {
      let node = rootNext.get(fold(s.charCodeAt(i)));
      if (node === undefined) {
        i++;
        continue;
      }
      let best: TrieNode | undefined;
      let j = i + 1;
      for (;;) {
        if (node.to !== undefined) best = node;
        if (j >= n || node.next === undefined) break;
        const child: TrieNode | undefined = node.next.get(fold(s.charCodeAt(j)));
        if (child === undefined) break;
        node = child;
        j++;
      }
      if (best === undefined) {
        i++;
        continue;
      }
      const end = i + best.fromLength;
      let to = best.to!;
      let resume = end;
      if (best.fromLength > 1 && s.charCodeAt(end - 1) === 32 && to.endsWith(' ')) {
        to = to.slice(0, -1);
        resume = end - 1;
      }
      out += s.slice(copiedTo, i) + to;
      copiedTo = resume;
      i = resume;
    }
    return copiedTo === 0 ? s : out + s.slice(copiedTo);
  }
}

/**
 * Applies the pairs one after another, each to the whole text, as Program AB does. Lists written for that
 * behaviour (person files that swap "my" -> "your2" and later "your2" -> "your") need it. Used for the
 * short template-side lists (person, person2, gender, denormal); `normal` runs on every input and uses the
 * single-pass Substituter.
 */
export class SequentialSubstituter {
  private readonly pairs: Array<{ from: string; lower: string; to: string }>;

  constructor(pairs: ReadonlyArray<readonly [string, string]> = []) {
    this.pairs = [];
    for (const [from, to] of pairs) this.add(from, to);
  }

  get size(): number {
    return this.pairs.length;
  }

  add(from: string, to: string): void {
    if (from.length > 0) this.pairs.push({ from, lower: from.toLowerCase(), to });
  }

  apply(text: string): string {
    if (this.pairs.length === 0) return text;
    let s = ' ' + text + ' ';
    for (const { from, lower: key, to } of this.pairs) {
      let lower = s.toLowerCase();
      if (lower.length !== s.length) lower = s; // case folding changed lengths: compare as written
      let idx = lower.indexOf(key);
      if (idx === -1) continue;
      const shareSpace = from.length > 1 && from.endsWith(' ') && to.endsWith(' ');
      const piece = shareSpace ? to.slice(0, -1) : to;
      let out = '';
      let last = 0;
      while (idx !== -1) {
        out += s.slice(last, idx) + piece;
        last = idx + from.length - (shareSpace ? 1 : 0);
        idx = lower.indexOf(key, last);
      }
      s = out + s.slice(last);
    }
    return s.slice(s.startsWith(' ') ? 1 : 0, s.endsWith(' ') ? -1 : undefined);
  }
}

export interface TextSubstitution {
  apply(text: string): string;
  add(from: string, to: string): void;
  readonly size: number;
}
