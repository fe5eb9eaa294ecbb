import type { Logger } from 'pino';
import type { DesignerParams, DesignerResult } from '../../protocol/designer-wire.js';
import { AppError } from '../../protocol/errors.js';
import {
  LearnedConflict,
  LearnedOperation,
  type LearnedChange,
  type LearnedChangedEvent,
  type learnedMethods,
} from '../../protocol/learned.js';
import { LearnedMirror } from './learned-mirror.js';
import { LearnedOutbox, type OutboxEntry, type SendOutcome, type Unsent } from './learned-outbox.js';

export type LearnedMethod = keyof typeof learnedMethods;

/** The designer gateway's learned-category methods, while Studio has a link that is online. */
export interface LearnedRequester {
  request<M extends LearnedMethod>(method: M, params: DesignerParams<M>): Promise<DesignerResult<M>>;
}

export interface BotLearningOptions {
  bot: string;
  mirrorFile: string;
  outboxFile: string;
  /** The Platform's methods when the link is online; undefined while it is down. */
  requester: () => LearnedRequester | undefined;
  /** The Platform the link goes to (the mirror of another Platform's bot is replaced). */
  platformUrl: () => string | undefined;
  newId: () => string;
  now: () => number;
  /** The mirror or the outbox changed: the Training view is told. */
  onChanged: () => void;
  logger?: Logger;
}

/** What an operation came to: applied on the Platform, queued until the link is back, or a conflict to resolve. */
export type AppliedChange = DesignerResult<'learned.apply'>;
export type PerformOutcome = { kind: 'applied'; change: AppliedChange } | { kind: 'queued' } | { kind: 'conflict'; conflict: LearnedConflict };

export type UnsentEdit = Unsent<LearnedOperation, LearnedConflict>;

/** Errors that mean "the Platform could not be reached", not "the Platform said no": the edit waits in the outbox. */
const UNREACHABLE = new Set(['offline', 'closed', 'unconfigured', 'queue_full']);

/**
 * One bot's learned categories in this Studio: the local mirror (learned-mirror.ts), the outbox of edits made while
 * the link was down (learned-outbox.ts), and each operation the designer makes, sent with the version it was based
 * on. A conflict is never resolved here: it is kept, with both versions, until the designer chooses.
 */
export class BotLearning {
  readonly mirror: LearnedMirror;
  readonly outbox: LearnedOutbox<LearnedOperation, LearnedConflict>;
  /** Events that arrived while a full list was running: applied after it, so the list cannot undo them. */
  private buffered: LearnedChange[] | undefined;
  private syncing: Promise<void> | undefined;

  constructor(private readonly o: BotLearningOptions) {
    this.mirror = new LearnedMirror({ file: o.mirrorFile, logger: o.logger, now: o.now });
    this.outbox = new LearnedOutbox({ file: o.outboxFile, op: LearnedOperation, conflict: LearnedConflict, logger: o.logger, now: o.now });
  }

  get bot(): string {
    return this.o.bot;
  }

  /**
   * Lists everything from the Platform into the mirror, then sends the outbox in order. Runs when the link comes up
   * and when a bot is first opened; concurrent calls share one run.
   */
  sync(): Promise<void> {
    this.syncing ??= this.runSync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** Another designer's change (or this one's, echoed): into the mirror, unless a full list is running. */
  async onEvent(event: LearnedChangedEvent): Promise<void> {
    if (this.buffered) {
      this.buffered.push(event.change);
      return;
    }
    if (await this.mirror.apply(event.change)) this.o.onChanged();
  }

  /** A change the Platform answered with directly (the unanswered queue's answer): into the mirror at once. */
  async take(change: Pick<LearnedChange, 'categories' | 'removed'>): Promise<void> {
    if (await this.mirror.apply(change)) this.o.onChanged();
  }

  /** Sends one operation, or queues it while the link is down. */
  async perform(op: LearnedOperation, label: string): Promise<PerformOutcome> {
    await this.mirror.load();
    const entry: OutboxEntry<LearnedOperation> = { opId: this.o.newId(), op, label, queuedAt: this.o.now() };
    const queued = await this.outbox.queued();
    // Behind queued edits, an edit waits its turn: they apply in the order they were made.
    if (queued.length > 0 || !this.o.requester()) {
      await this.outbox.add(entry);
      this.o.onChanged();
      // Online behind a queue (a flush stopped by a dropped request): send it on now rather than at the next connect.
      if (this.o.requester()) void this.flushOutbox().catch((error: unknown) => this.o.logger?.warn({ err: error, bot: this.o.bot }, 'could not send the queued edits'));
      return { kind: 'queued' };
    }
    const outcome = await this.send(entry, true);
    switch (outcome.kind) {
      case 'applied':
        return { kind: 'applied', change: outcome.change };
      case 'offline':
        await this.outbox.add(entry);
        this.o.onChanged();
        return { kind: 'queued' };
      case 'conflict':
        await this.outbox.keepUnsent({ entry, conflict: outcome.conflict });
        this.o.onChanged();
        return { kind: 'conflict', conflict: outcome.conflict };
      case 'refused':
        // send() throws for a direct operation instead: nothing else comes here.
        throw new AppError('invalid', outcome.message);
    }
  }

  /** Forgets an unsent edit: the designer keeps the Platform's version (or dismissed a refusal). */
  async dismiss(opId: string): Promise<void> {
    if (!(await this.outbox.settle(opId))) throw new AppError('not_found', 'This conflict was already resolved.');
    this.o.onChanged();
  }

  async unsent(): Promise<readonly UnsentEdit[]> {
    return this.outbox.unsent();
  }

  async queued(): Promise<readonly OutboxEntry<LearnedOperation>[]> {
    return this.outbox.queued();
  }

  private async runSync(): Promise<void> {
    const requester = this.o.requester();
    const platformUrl = this.o.platformUrl();
    if (!requester || !platformUrl) return;
    await this.mirror.load();
    this.buffered = [];
    try {
      const categories = [];
      let cursor: string | undefined;
      do {
        const page: DesignerResult<'learned.list'> = await requester.request('learned.list', { bot: this.o.bot, limit: 1000, ...(cursor ? { cursor } : {}) });
        categories.push(...page.categories);
        cursor = page.nextCursor;
      } while (cursor);
      await this.mirror.replaceAll(platformUrl, categories, this.o.now());
      for (const change of this.buffered) await this.mirror.apply(change);
    } finally {
      this.buffered = undefined;
    }
    this.o.onChanged();
    await this.flushOutbox();
  }

  /** Sends the outbox in order; the view is told when it is done. */
  private async flushOutbox(): Promise<void> {
    // Edits queued one after another on one category were all made on the version the mirror had then: each one
    // after the first is based on what the one before it made, not on a change by someone else.
    const produced = new Map<string, number>();
    await this.outbox.flush(async (entry) => {
      const op = rebased(entry.op, produced);
      const outcome = await this.send({ ...entry, op }, false);
      if (outcome.kind === 'applied' && 'id' in entry.op) {
        const made = outcome.change.categories.find((c) => c.id === (entry.op as { id: string }).id);
        if (made) produced.set(`${made.id}\u0000${entry.op.baseVersion}`, made.version);
      }
      return outcome;
    });
    this.o.onChanged();
  }

  /** One operation to the Platform; the mirror takes the change at once (the event echo then changes nothing). */
  private async send(entry: OutboxEntry<LearnedOperation>, direct: boolean): Promise<SendOutcome<LearnedConflict, AppliedChange>> {
    const requester = this.o.requester();
    if (!requester) return { kind: 'offline' };
    try {
      const change = await requester.request('learned.apply', { bot: this.o.bot, op: entry.op });
      if (await this.mirror.apply(change)) this.o.onChanged();
      return { kind: 'applied', change };
    } catch (error) {
      if (error instanceof AppError && UNREACHABLE.has(error.code)) return { kind: 'offline' };
      if (error instanceof AppError && error.code === 'conflict') {
        const conflict = LearnedConflict.safeParse({ message: error.message, ...error.details });
        if (conflict.success) return { kind: 'conflict', conflict: conflict.data };
      }
      // Said to the designer's face when they are waiting for it; kept beside the outbox when it was queued.
      if (direct) throw error;
      this.o.logger?.warn({ err: error, bot: this.o.bot, op: entry.op.kind }, 'the Platform refused a learned-category operation');
      return { kind: 'refused', message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** The operation based on the version an earlier queued edit of the same category produced, when it followed it. */
function rebased(op: LearnedOperation, produced: ReadonlyMap<string, number>): LearnedOperation {
  if (!('id' in op)) return op;
  const version = produced.get(`${op.id}\u0000${op.baseVersion}`);
  return version === undefined ? op : { ...op, baseVersion: version };
}
