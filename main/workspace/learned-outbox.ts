import type { Logger } from 'pino';
import { z } from 'zod';
import { JsonStateFile } from './json-state-file.js';

/** An edit made in Training that has not reached the Platform yet (the link was down), in the order it was made. */
export interface OutboxEntry<Op> {
  /** The client id the Platform applies at most once (a retry after a lost acknowledgement is safe). */
  opId: string;
  op: Op;
  /** What the designer did, in their words ("Edit of HELLO"). */
  label: string;
  queuedAt: number;
}

/** What the Platform said when a queued edit was sent: applied, a conflict (both versions), refused, or unreachable. */
export type SendOutcome<Conflict, Applied = unknown> =
  | { kind: 'applied'; change: Applied }
  | { kind: 'conflict'; conflict: Conflict }
  | { kind: 'refused'; message: string }
  | { kind: 'offline' };

/** A queued edit the Platform did not take: shown to the designer until they resolve or dismiss it. */
export interface Unsent<Op, Conflict> {
  entry: OutboxEntry<Op>;
  conflict?: Conflict;
  /** Why it was refused (a conflict has `conflict` instead). */
  message?: string;
}

export interface LearnedOutboxOptions<Op, Conflict> {
  file: string;
  op: z.ZodType<Op>;
  conflict: z.ZodType<Conflict>;
  logger?: Logger;
  now?: () => number;
}

/**
 * One bot's edits made while the link to the Platform is down, persisted in the workspace folder so that they survive
 * a restart, sent in order when the link is back (each with the `baseVersion` it was made on). An edit the Platform
 * refuses or finds in conflict stops being sent and is kept, with what the Platform said, for the designer to
 * resolve: nothing the designer did is dropped without their say.
 */
export class LearnedOutbox<Op, Conflict> {
  private readonly file: JsonStateFile<z.ZodTypeAny>;
  private state: { queue: OutboxEntry<Op>[]; unsent: Unsent<Op, Conflict>[] } | undefined;
  private loading: Promise<{ queue: OutboxEntry<Op>[]; unsent: Unsent<Op, Conflict>[] }> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(o: LearnedOutboxOptions<Op, Conflict>) {
    const entry = z.object({ opId: z.string(), op: o.op, label: z.string(), queuedAt: z.number() });
    const schema = z.object({
      version: z.literal(1),
      queue: z.array(entry),
      unsent: z.array(z.object({ entry, conflict: o.conflict.optional(), message: z.string().optional() })),
    });
    this.file = new JsonStateFile({ path: o.file, schema, empty: () => ({ version: 1 as const, queue: [], unsent: [] }), logger: o.logger, now: o.now });
  }

  async queued(): Promise<readonly OutboxEntry<Op>[]> {
    return (await this.load()).queue;
  }

  async unsent(): Promise<readonly Unsent<Op, Conflict>[]> {
    return (await this.load()).unsent;
  }

  async add(entry: OutboxEntry<Op>): Promise<void> {
    const s = await this.load();
    s.queue.push(entry);
    await this.save();
  }

  /** Keeps an edit the Platform did not take (sent directly, not through the queue) for the designer to resolve. */
  async keepUnsent(unsent: Unsent<Op, Conflict>): Promise<void> {
    const s = await this.load();
    s.unsent.push(unsent);
    await this.save();
  }

  /** Forgets an unsent edit (resolved or dismissed by the designer). */
  async settle(opId: string): Promise<Unsent<Op, Conflict> | undefined> {
    const s = await this.load();
    const i = s.unsent.findIndex((u) => u.entry.opId === opId);
    if (i < 0) return undefined;
    const [gone] = s.unsent.splice(i, 1);
    await this.save();
    return gone;
  }

  /**
   * Sends the queue in order, one at a time, until it is empty or the link drops again (the rest stays queued).
   * Concurrent calls share one run.
   */
  flush(send: (entry: OutboxEntry<Op>) => Promise<SendOutcome<Conflict>>): Promise<void> {
    this.flushing ??= this.run(send).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async run(send: (entry: OutboxEntry<Op>) => Promise<SendOutcome<Conflict>>): Promise<void> {
    const s = await this.load();
    while (s.queue.length > 0) {
      const entry = s.queue[0]!;
      const outcome = await send(entry);
      if (outcome.kind === 'offline') return;
      s.queue.shift();
      if (outcome.kind === 'conflict') s.unsent.push({ entry, conflict: outcome.conflict });
      else if (outcome.kind === 'refused') s.unsent.push({ entry, message: outcome.message });
      await this.save();
    }
  }

  private async load(): Promise<{ queue: OutboxEntry<Op>[]; unsent: Unsent<Op, Conflict>[] }> {
    this.loading ??= this.file.read().then((read) => {
      this.state = read as { queue: OutboxEntry<Op>[]; unsent: Unsent<Op, Conflict>[] };
      return this.state;
    });
    return this.loading;
  }

  private save(): Promise<void> {
    return this.file.write({ version: 1, ...this.state });
  }
}
