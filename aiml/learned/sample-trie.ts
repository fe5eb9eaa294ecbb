/**
 * Inputs in a word trie, for the incremental analysis: a learned pattern that starts with plain words ("WHAT IS A *")
 * can only match inputs that start with them, and those are one subtree here. Each node counts the inputs below it,
 * so the analysis can choose between this subtree and the inputs holding the pattern's rarest word.
 */
export class SampleTrie<T> {
  private readonly root: TrieNode<T> = new TrieNode();

  add(words: readonly string[], item: T): void {
    let node = this.root;
    node.count++;
    for (const w of words) {
      let next = node.children.get(w);
      if (next === undefined) node.children.set(w, (next = new TrieNode()));
      node = next;
      node.count++;
    }
    (node.items ??= new Set()).add(item);
  }

  delete(words: readonly string[], item: T): void {
    const path: TrieNode<T>[] = [this.root];
    let node = this.root;
    for (const w of words) {
      const next = node.children.get(w);
      if (next === undefined) return;
      path.push((node = next));
    }
    if (node.items?.delete(item) !== true) return;
    for (const n of path) n.count--;
    for (let i = path.length - 1; i > 0; i--) {
      if (path[i]!.count > 0) break;
      path[i - 1]!.children.delete(words[i - 1]!);
    }
  }

  /** How many inputs start with `prefix`. */
  countUnder(prefix: readonly string[]): number {
    return this.find(prefix)?.count ?? 0;
  }

  /** Every input that starts with `prefix`. */
  *under(prefix: readonly string[]): Iterable<T> {
    const start = this.find(prefix);
    if (start === undefined) return;
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.items !== undefined) yield* node.items;
      for (const child of node.children.values()) stack.push(child);
    }
  }

  private find(prefix: readonly string[]): TrieNode<T> | undefined {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; node !== undefined && i < prefix.length; i++) node = node.children.get(prefix[i]!);
    return node;
  }
}

class TrieNode<T> {
  readonly children = new Map<string, TrieNode<T>>();
  items: Set<T> | undefined = undefined;
  count = 0;
}
