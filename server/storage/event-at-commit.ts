import type { EventEnvelope } from '../../protocol/designer-wire.js';
import type { EventAtCommit } from './storage.js';

/**
 * An event appended with `appendEventAtCommit`, in both backends: its envelope is given when the transaction commits
 * (before the `afterCommit` work queued after the append runs). Reading it earlier is a bug in the caller, and fails
 * the same way on SQLite, which knows the id at once, as on PostgreSQL, which learns it from the COMMIT's round trip.
 */
export class PendingEvent implements EventAtCommit {
  private committed: EventEnvelope | undefined;

  constructor(
    readonly bot: string,
    readonly at: number,
    readonly event: EventEnvelope['event'],
  ) {}

  get envelope(): EventEnvelope {
    if (!this.committed) throw new Error('an event appended at commit has no id before its transaction commits: read it in afterCommit work');
    return this.committed;
  }

  settle(id: number): void {
    this.committed = { bot: this.bot, id, at: this.at, event: this.event };
  }
}
