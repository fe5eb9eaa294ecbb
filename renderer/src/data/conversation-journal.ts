import type { ConversationView } from '../../../protocol/studio-api.js';

/**
 * Remembers recent `conversations.upsert` payloads so that a list fetch which was already on its way when they
 * arrived can replay them on its (older) answer instead of silently undoing them.
 */
export class ConversationJournal {
  private entries: ConversationView[] = [];
  private dropped = 0;

  constructor(private readonly capacity = 20_000) {}

  /** A position to replay from later. */
  mark(): number {
    return this.dropped + this.entries.length;
  }

  record(conversations: readonly ConversationView[]): void {
    this.entries.push(...conversations);
    const excess = this.entries.length - this.capacity;
    if (excess > 0) {
      this.entries.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Upserts recorded since `mark`, or undefined when some were already forgotten (the caller should refetch). */
  since(mark: number): ConversationView[] | undefined {
    if (mark < this.dropped) return undefined;
    return this.entries.slice(mark - this.dropped);
  }
}
