import type { Bot } from '../../aiml/index.js';
import type { Clock } from '../../protocol/clock.js';
import type { DesignerRef } from '../../protocol/conversation.js';
import type { DomainEvent } from '../../protocol/designer-wire.js';
import type { LearnedCategory, LearnedChange, LearnedConflict, LearnedFields, LearnedHistoryEntry, LearnedOperation, LearnedOperationKind, LearnedSource } from '../../protocol/learned.js';
import { LearnedErrors } from './learned-errors.js';
import { checkFields, sameKey } from './learned-fields.js';
import { prioritise, type PriorityCandidate, type PriorityOutcome } from './learned-priority.js';
import { DuplicateKeyError, StaleVersionError, type LearnedCommit, type LearnedStore } from './learned-store.js';

export interface LearnedServiceDeps {
  store: LearnedStore;
  clock: Clock;
  newId: () => string;
  /** Appends to the bot's event log (designers get it live and on resume); returns the event id. */
  publish: (bot: string, event: DomainEvent) => number | Promise<number>;
  /** The bot's "Review learned answers before the bot uses them" setting. */
  reviewFirst: (bot: string) => boolean;
  /** Called after each commit with what changed (before and after of each category): the bot and its file follow. */
  onChanged: (bot: string, entries: readonly LearnedHistoryEntry[]) => void;
  /** The bot without its learned categories, to tell whether a category answers its own input (learned-priority.ts). */
  baseBot?: (bot: string) => Bot | undefined;
}

export type AppliedChange = LearnedChange & { conflicts: LearnedConflict[]; eventId: number };

/** What a planned change writes and reports, before it is committed. */
interface Plan {
  commit: LearnedCommit;
  categories: LearnedCategory[];
  removed: string[];
  conflicts: LearnedConflict[];
  /** Whether the approved set changes (the bot and its file must follow). */
  approvedChanged: boolean;
}

/**
 * The bot's learned categories as designers change them: each operation is compare-and-set on the version it was based
 * on, written with its history in one commit, and announced as `learned.change` in the bot's event log. Operations of
 * one bot run one at a time here, and the store checks the versions again inside its transaction (for other
 * instances).
 */
export class LearnedService {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly d: LearnedServiceDeps) {}

  /** Runs `fn` after every earlier piece of work on this bot (captures and operations take turns). */
  serial<T>(bot: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(bot) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.queues.set(bot, settled);
    void settled.then(() => {
      if (this.queues.get(bot) === settled) this.queues.delete(bot);
    });
    return next;
  }

  /** Waits for every piece of work queued so far (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  /**
   * Applies one designer operation. `opId` is the at-most-once key: a retry of an operation already applied answers
   * what it did and changes nothing.
   */
  apply(designer: DesignerRef, bot: string, op: LearnedOperation, opId: string): Promise<AppliedChange> {
    return this.serial(bot, async () => {
      const earlier = await this.d.store.operation(bot, opId);
      if (earlier.length > 0) return replayed(opId, earlier);
      const plan = await this.plan(designer, bot, op, opId);
      return this.commit(designer, bot, op.kind, opId, plan);
    });
  }

  /** Creates one category (a capture from a live reply, an answered unanswered group), in the caller's turn. */
  newCategory(designer: DesignerRef, bot: string, fields: LearnedFields, source: LearnedSource | undefined, status?: LearnedCategory['status']): LearnedCategory {
    const at = this.d.clock.now();
    return {
      ...fields,
      id: this.d.newId(),
      bot,
      status: status ?? (this.d.reviewFirst(bot) ? 'draft' : 'approved'),
      version: 1,
      ...(source ? { source } : {}),
      createdBy: designer,
      createdAt: at,
      updatedBy: designer,
      updatedAt: at,
    };
  }

  /** A new version of `current` by `designer` now. */
  changed(designer: DesignerRef, current: LearnedCategory, patch: Partial<LearnedCategory>): LearnedCategory {
    return { ...current, ...patch, version: current.version + 1, updatedBy: designer, updatedAt: this.d.clock.now() };
  }

  /** The fields a category needs to answer its own input: its first word marked `$` when a bot category would win. */
  priorityFor(bot: string, c: PriorityCandidate): PriorityOutcome {
    return prioritise(this.d.baseBot?.(bot), c);
  }

  /** `c` with the priority it needs (or none: a `$` this Platform added and no longer needed is taken off). */
  withPriority(bot: string, c: LearnedCategory): LearnedCategory {
    return withPriorityOf(c, this.priorityFor(bot, { ...c, input: c.source?.input }));
  }

  historyEntry(designer: DesignerRef, opId: string, kind: LearnedOperationKind, before: LearnedCategory | null, after: LearnedCategory | null, undoes?: string): LearnedHistoryEntry {
    const categoryId = (after ?? before)!.id;
    return { opId, categoryId, kind, designer, at: this.d.clock.now(), before, after, ...(undoes !== undefined ? { undoes } : {}) };
  }

  /** Commits a plan (in the caller's turn on this bot) and tells designers, the bot and its file. */
  async commit(designer: DesignerRef, bot: string, kind: LearnedOperationKind, opId: string, plan: Plan): Promise<AppliedChange> {
    const change: LearnedChange = { opId, kind, categories: plan.categories, removed: plan.removed };
    if (plan.categories.length === 0 && plan.removed.length === 0) {
      if (plan.commit.watermark !== undefined || plan.commit.unanswered?.length || plan.commit.ignoreGroup) await this.d.store.commit(bot, plan.commit);
      return { ...change, conflicts: plan.conflicts, eventId: 0 };
    }
    try {
      await this.d.store.commit(bot, plan.commit);
    } catch (error) {
      throw await this.refusalOf(bot, error);
    }
    const eventId = await this.d.publish(bot, { type: 'learned.changed', bot, by: designer, at: this.d.clock.now(), change });
    if (plan.approvedChanged) this.d.onChanged(bot, plan.commit.history ?? []);
    return { ...change, conflicts: plan.conflicts, eventId };
  }

  /** A plan that creates `category` (or extends/replaces, when `before` is given). */
  planOf(designer: DesignerRef, opId: string, kind: LearnedOperationKind, before: LearnedCategory | null, after: LearnedCategory | null, commit: LearnedCommit = {}): Plan {
    const id = (after ?? before)!.id;
    return {
      commit: {
        ...commit,
        expect: [...(commit.expect ?? []), { id, version: before?.version ?? null }],
        ...(after ? { upserts: [...(commit.upserts ?? []), after] } : { removes: [...(commit.removes ?? []), id] }),
        history: [...(commit.history ?? []), this.historyEntry(designer, opId, kind, before, after)],
      },
      categories: after ? [after] : [],
      removed: after ? [] : [id],
      conflicts: [],
      approvedChanged: before?.status === 'approved' || after?.status === 'approved',
    };
  }

  private async plan(designer: DesignerRef, bot: string, op: LearnedOperation, opId: string): Promise<Plan> {
    const { store } = this.d;
    switch (op.kind) {
      case 'capture': {
        checkFields(op.fields);
        // An input the designer picked that a bot category takes first (ALICE's `_ HAS LIVED`) gets its `$`.
        const priority = this.priorityFor(bot, { ...op.fields, input: op.source?.input });
        const existing = await store.byKey(bot, priority.fields);
        if (existing) throw LearnedErrors.conflict(existing, { ...priority.fields, status: existing.status, baseVersion: 0 }, existing.id);
        return this.planOf(designer, opId, 'capture', null, withPriorityOf(this.newCategory(designer, bot, priority.fields, op.source), priority));
      }
      case 'import':
        return this.planImport(designer, bot, op.categories, op.approve, opId);
      case 'undo':
        return this.planUndo(designer, bot, op.opId, op.baseVersion, opId);
      case 'edit':
      case 'broaden':
      case 'approve':
      case 'delete':
      case 'setContext': {
        const current = await store.get(bot, op.id);
        const changed = current ? this.next(designer, current, op) : null;
        // A new pattern, that or topic must still answer the input it was learned from.
        const next = changed && current && !sameKey(current, changed) ? this.withPriority(bot, changed) : changed;
        if (!current || current.version !== op.baseVersion) {
          const yours = next ? { ...fieldsOf(next), status: next.status, baseVersion: op.baseVersion } : null;
          throw LearnedErrors.conflict(current ?? null, yours, op.id);
        }
        if (next) {
          checkFields(next);
          if (!sameKey(current, next)) await this.refuseTakenKey(bot, next);
        }
        return this.planOf(designer, opId, op.kind, current, next);
      }
    }
  }

  /** The category after an operation on one existing category (null: deleted). */
  private next(designer: DesignerRef, current: LearnedCategory, op: Extract<LearnedOperation, { id: string }>): LearnedCategory | null {
    switch (op.kind) {
      case 'edit':
        return this.changed(designer, current, definedOf(op.fields));
      case 'broaden':
        return this.changed(designer, current, { pattern: op.pattern });
      case 'setContext':
        return this.changed(designer, current, { that: op.context.kind === 'any' ? '*' : op.context.that });
      case 'approve':
        return this.changed(designer, current, { status: 'approved' });
      case 'delete':
        return null;
    }
  }

  private async refuseTakenKey(bot: string, next: LearnedCategory): Promise<void> {
    const taken = await this.d.store.byKey(bot, next);
    if (taken && taken.id !== next.id) {
      throw LearnedErrors.invalid(`Another learned category already answers ${next.pattern}${next.that !== '*' ? ` after ${next.that}` : ''} ("${taken.template.slice(0, 80)}"): edit or delete that one instead.`);
    }
  }

  private async planImport(designer: DesignerRef, bot: string, items: LearnedFields[], approve: boolean, opId: string): Promise<Plan> {
    const plan: Plan = { commit: {}, categories: [], removed: [], conflicts: [], approvedChanged: false };
    const seen = new Set<string>();
    for (const [index, fields] of items.entries()) {
      try {
        checkFields(fields);
      } catch (error) {
        throw LearnedErrors.invalid(`Category ${index + 1} of the import (${fields.pattern}): ${(error as Error).message}`);
      }
      const key = `${fields.pattern}\u0000${fields.that}\u0000${fields.topic}`;
      if (seen.has(key)) continue; // the last one of a file wins when it loads; here, the first one given
      seen.add(key);
      const existing = await this.d.store.byKey(bot, fields);
      if (existing) {
        if (existing.template !== fields.template) {
          plan.conflicts.push({ id: existing.id, current: existing, yours: { ...fields, status: existing.status, baseVersion: existing.version }, message: `${fields.pattern}: a learned category already answers it differently` });
        }
        continue;
      }
      const created = this.newCategory(designer, bot, fields, undefined, approve ? 'approved' : undefined);
      const one = this.planOf(designer, opId, 'import', null, created, plan.commit);
      plan.commit = one.commit;
      plan.categories.push(created);
      plan.approvedChanged ||= one.approvedChanged;
    }
    return plan;
  }

  private async planUndo(designer: DesignerRef, bot: string, undone: string, baseVersion: number, opId: string): Promise<Plan> {
    const entries = await this.d.store.operation(bot, undone);
    if (entries.length === 0) throw LearnedErrors.notFound(`no operation ${undone} on ${bot}'s learned categories`);
    const plan: Plan = { commit: {}, categories: [], removed: [], conflicts: [], approvedChanged: false };
    for (const entry of [...entries].reverse()) {
      const current = (await this.d.store.get(bot, entry.categoryId)) ?? null;
      const left = entry.after?.version ?? null;
      const yours = entry.before ? { ...fieldsOf(entry.before), status: entry.before.status, baseVersion } : null;
      // Changed by anyone since the undone operation (or since the designer looked): a conflict, not a loss.
      if ((current?.version ?? null) !== left || (entries.length === 1 && baseVersion > 0 && current !== null && current.version !== baseVersion)) {
        throw LearnedErrors.conflict(current, yours, entry.categoryId);
      }
      const restored = entry.before
        ? { ...entry.before, version: Math.max(current?.version ?? 0, entry.before.version, entry.after?.version ?? 0) + 1, updatedBy: designer, updatedAt: this.d.clock.now() }
        : null;
      if (restored && !current) await this.refuseTakenKey(bot, restored);
      const expect = [...(plan.commit.expect ?? []), { id: entry.categoryId, version: current?.version ?? null }];
      const history = [...(plan.commit.history ?? []), this.historyEntry(designer, opId, 'undo', current, restored, undone)];
      plan.commit = {
        ...plan.commit,
        expect,
        history,
        ...(restored ? { upserts: [...(plan.commit.upserts ?? []), restored] } : { removes: [...(plan.commit.removes ?? []), entry.categoryId] }),
      };
      if (restored) plan.categories.push(restored);
      else plan.removed.push(entry.categoryId);
      plan.approvedChanged ||= current?.status === 'approved' || restored?.status === 'approved';
    }
    return plan;
  }

  /** A store refusal as the designer's error: a version that moved is a conflict with both versions. */
  private async refusalOf(bot: string, error: unknown): Promise<unknown> {
    if (error instanceof StaleVersionError) return LearnedErrors.conflict((await this.d.store.get(bot, error.id)) ?? null, null, error.id);
    if (error instanceof DuplicateKeyError) {
      const current = (await this.d.store.byKey(bot, error.key)) ?? null;
      return LearnedErrors.conflict(current, null, current?.id);
    }
    return error;
  }
}

/** `c` with the fields and priority of `outcome` (a priority it no longer needs is dropped). */
export function withPriorityOf(c: LearnedCategory, outcome: PriorityOutcome): LearnedCategory {
  const { priorityOver: _dropped, ...rest } = c;
  return { ...rest, ...outcome.fields, ...(outcome.priorityOver ? { priorityOver: outcome.priorityOver } : {}) };
}

function fieldsOf(c: LearnedFields): LearnedFields {
  return { pattern: c.pattern, that: c.that, topic: c.topic, template: c.template };
}

function definedOf(fields: Partial<LearnedFields>): Partial<LearnedFields> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<LearnedFields>;
}

/** What an operation already applied did, from its history (a retry gets the same answer). */
function replayed(opId: string, entries: LearnedHistoryEntry[]): AppliedChange {
  return {
    opId,
    kind: entries[0]!.kind,
    categories: entries.flatMap((e) => (e.after ? [e.after] : [])),
    removed: entries.flatMap((e) => (e.after ? [] : [e.categoryId])),
    conflicts: [],
    eventId: 0,
  };
}
