/**
 * Keys whose token bucket was found empty, with the time its next token comes. A failed take consumes nothing and
 * the bucket refills at a fixed rate, so until then every take of that key fails too: whoever holds this can refuse
 * as the bucket would, without asking it (the chat accept gate, before a request is parsed). Bounded: past
 * `maxKeys` the oldest entry goes first (forgetting one only means that key's next refusal comes from the bucket).
 */
export class SpentAllowances {
  private readonly until = new Map<string, number>();

  constructor(private readonly maxKeys: number) {}

  /** The bucket of `key` has no token before `refillsAt` (ms, on the bucket's clock). */
  note(key: string, refillsAt: number): void {
    this.until.delete(key);
    if (this.until.size >= this.maxKeys) this.until.delete(this.until.keys().next().value!);
    this.until.set(key, refillsAt);
  }

  /** Milliseconds until `key`'s bucket has a token again, or 0 when it may have one now. */
  remainingMs(key: string, now: number): number {
    const at = this.until.get(key);
    if (at === undefined) return 0;
    if (at <= now) {
      this.until.delete(key);
      return 0;
    }
    return at - now;
  }
}
