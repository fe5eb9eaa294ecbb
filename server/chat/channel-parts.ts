import { readRichReplyForChannel, type RichPart } from '../../protocol/rich-media.js';

/** Characters of replies kept with their parts: a few megabytes at most, whatever the bots say. */
const DEFAULT_BUDGET_CHARS = 2_000_000;

/**
 * The parts the end user's channel shows for a bot reply, read once per distinct reply: a reconnecting widget is sent
 * up to 200 messages of history again, and a bot's menu reaches every user in the same words. The least recently
 * used replies go first once `budgetChars` of replies are kept. A reply without `<` is never read nor kept: it has
 * no rich media and costs nothing.
 *
 * The parts returned are shared between callers: read them, never change them.
 */
export class ChannelParts {
  private readonly kept = new Map<string, { parts: RichPart[] | undefined }>();
  private chars = 0;

  constructor(
    private readonly read: (reply: string) => RichPart[] | undefined = readRichReplyForChannel,
    private readonly budgetChars = DEFAULT_BUDGET_CHARS,
  ) {}

  of(reply: string): RichPart[] | undefined {
    if (!reply.includes('<')) return undefined;
    const hit = this.kept.get(reply);
    if (hit) {
      // Map order is insertion order: moving the hit to the end keeps the least recently used first.
      this.kept.delete(reply);
      this.kept.set(reply, hit);
      return hit.parts;
    }
    const entry = { parts: this.read(reply) };
    if (reply.length > this.budgetChars) return entry.parts;
    this.kept.set(reply, entry);
    this.chars += reply.length;
    for (const oldest of this.kept.keys()) {
      if (this.chars <= this.budgetChars) break;
      this.kept.delete(oldest);
      this.chars -= oldest.length;
    }
    return entry.parts;
  }
}
