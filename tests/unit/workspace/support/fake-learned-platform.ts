import { escapeXmlText } from '../../../../aiml/xml.js';
import type { DesignerParams, DesignerResult } from '../../../../protocol/designer-wire.js';
import { AppError } from '../../../../protocol/errors.js';
import type { LearnedCategory, LearnedChange, LearnedChangedEvent, LearnedFields, LearnedHistoryEntry, LearnedOperation, UnansweredGroup } from '../../../../protocol/learned.js';
import type { LearnedMethod, LearnedRequester } from '../../../../main/workspace/bot-learning.js';

type Designer = { id: string; name: string };

/**
 * The Platform's side of learned categories as the designer wire promises it (protocol/learned.ts), in memory, for
 * unit tests of Studio's mirror: versions with compare-and-set, conflicts carrying both versions, history and undo,
 * and a `learned.changed` event to every connected designer. The real Platform is exercised by the e2e stories.
 */
export class FakeLearnedPlatform {
  private readonly categories = new Map<string, LearnedCategory>();
  private readonly history: LearnedHistoryEntry[] = [];
  private readonly listeners = new Set<(e: LearnedChangedEvent) => Promise<void> | void>();
  private nextId = 1;
  private nextOp = 1;
  private eventId = 0;
  private clock = 1_000;
  readonly groups: UnansweredGroup[] = [];
  readonly sentTo: string[] = [];
  /** The bot's "Review learned answers before the bot uses them": new categories are drafts. */
  reviewFirst = false;

  constructor(readonly bot = 'starter') {}

  /** Events reach designers; the promise resolves when their mirrors took it. */
  subscribe(listener: (e: LearnedChangedEvent) => Promise<void> | void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): LearnedCategory[] {
    return [...this.categories.values()];
  }

  /** A designer's requester on this Platform (`online()` false: every call fails as an offline link does). */
  as(designer: Designer, online: () => boolean = () => true): LearnedRequester {
    return {
      request: <M extends LearnedMethod>(method: M, params: DesignerParams<M>): Promise<DesignerResult<M>> => {
        if (!online()) return Promise.reject(new AppError('offline', 'Studio is not connected to the Platform.'));
        return this.handle(designer, method, params) as Promise<DesignerResult<M>>;
      },
    };
  }

  /** What the Platform does on a designer reply: a new category from the user's input. */
  async capture(designer: Designer, fields: Partial<LearnedFields> & { pattern: string; template: string }, source?: LearnedCategory['source']): Promise<LearnedCategory> {
    const op: LearnedOperation = { kind: 'capture', baseVersion: 0, fields: { that: '*', topic: '*', ...fields } };
    if (source) op.source = source;
    const change = await this.apply(designer, op);
    return change.categories[0]!;
  }

  private async handle(designer: Designer, method: LearnedMethod, params: unknown): Promise<unknown> {
    const p = params as Record<string, unknown>;
    switch (method) {
      case 'learned.list':
        return { categories: this.all(), lastEventId: this.eventId };
      case 'learned.apply':
        return { ...(await this.apply(designer, p.op as LearnedOperation)), conflicts: [], eventId: this.eventId };
      case 'learned.history':
        return { entries: this.history.filter((h) => p.categoryId === undefined || h.categoryId === p.categoryId).reverse() };
      case 'unanswered.list':
        return { groups: this.groups.filter((g) => p.includeIgnored || !g.ignored) };
      case 'unanswered.answer': {
        const group = this.groups.find((g) => g.groupKey === p.groupKey)!;
        const change = await this.apply(designer, { kind: 'capture', baseVersion: 0, fields: { pattern: group.groupKey, that: '*', topic: '*', template: escapeXmlText(p.template as string) } });
        const sentTo = p.sendToOnline ? group.conversations : [];
        this.sentTo.push(...sentTo);
        this.groups.splice(this.groups.indexOf(group), 1);
        return { ...change, sentTo, eventId: this.eventId };
      }
      case 'unanswered.ignore': {
        const group = this.groups.find((g) => g.groupKey === p.groupKey)!;
        group.ignored = p.ignored as boolean;
        return { group };
      }
    }
  }

  async apply(designer: Designer, op: LearnedOperation): Promise<LearnedChange> {
    const at = this.clock++;
    const opId = `op${this.nextOp++}`;
    if (op.kind === 'capture' || op.kind === 'import') {
      const list = op.kind === 'capture' ? [op.fields] : op.categories;
      const made: LearnedCategory[] = [];
      for (const fields of list) {
        const clash = this.all().find((c) => c.pattern === fields.pattern && c.that === fields.that && c.topic === fields.topic);
        if (clash) this.conflict(clash, { ...fields, status: 'approved', baseVersion: 0 });
        const status = this.reviewFirst && !(op.kind === 'import' && op.approve) ? 'draft' : 'approved';
        const c: LearnedCategory = { ...fields, id: `L${this.nextId++}`, bot: this.bot, status, version: 1, createdBy: designer, createdAt: at, updatedBy: designer, updatedAt: at };
        if (op.kind === 'capture' && op.source) c.source = op.source;
        this.categories.set(c.id, c);
        this.history.push({ opId, categoryId: c.id, kind: op.kind, designer, at, before: null, after: c });
        made.push(c);
      }
      return this.announce(designer, at, { opId, kind: op.kind, categories: made, removed: [] });
    }
    if (op.kind === 'undo') {
      const entry = this.history.find((h) => h.opId === op.opId)!;
      const current = this.categories.get(entry.categoryId) ?? null;
      if ((current?.version ?? 0) !== op.baseVersion) this.conflict(current, entry.before ? { ...entry.before, baseVersion: op.baseVersion } : null);
      // As the Platform numbers it: newer than any version the category had.
      const next = entry.before ? { ...entry.before, version: Math.max(current?.version ?? 0, entry.before.version, entry.after?.version ?? 0) + 1, updatedBy: designer, updatedAt: at } : null;
      return this.change(designer, at, opId, 'undo', entry.categoryId, current, next, op.opId);
    }
    const current = this.categories.get(op.id) ?? null;
    if (!current) throw new AppError('not_found', 'No such learned category.');
    let next: LearnedCategory | null = { ...current, version: current.version + 1, updatedBy: designer, updatedAt: at };
    if (op.kind === 'edit') next = { ...next, ...op.fields };
    else if (op.kind === 'broaden') next = { ...next, pattern: op.pattern };
    else if (op.kind === 'approve') next = { ...next, status: 'approved' };
    else if (op.kind === 'setContext') next = { ...next, that: op.context.kind === 'any' ? '*' : op.context.that };
    else if (op.kind === 'delete') next = null;
    if (current.version !== op.baseVersion) this.conflict(current, next ? { ...next, baseVersion: op.baseVersion } : null);
    return this.change(designer, at, opId, op.kind, op.id, current, next);
  }

  private change(designer: Designer, at: number, opId: string, kind: LearnedChange['kind'], id: string, before: LearnedCategory | null, after: LearnedCategory | null, undoes?: string): Promise<LearnedChange> {
    if (after) this.categories.set(id, after);
    else this.categories.delete(id);
    const entry: LearnedHistoryEntry = { opId, categoryId: id, kind, designer, at, before, after };
    if (undoes) entry.undoes = undoes;
    this.history.push(entry);
    return this.announce(designer, at, { opId, kind, categories: after ? [after] : [], removed: after ? [] : [id] });
  }

  private conflict(current: LearnedCategory | null, yours: (LearnedFields & { status: 'draft' | 'approved'; baseVersion: number }) | null): never {
    const message = current ? `${current.updatedBy.name} changed this category since you saw it.` : 'This category was removed since you saw it.';
    const pick = yours ? { pattern: yours.pattern, that: yours.that, topic: yours.topic, template: yours.template, status: yours.status, baseVersion: yours.baseVersion } : null;
    throw new AppError('conflict', message, { details: { id: current?.id, current, yours: pick } });
  }

  private async announce(by: Designer, at: number, change: LearnedChange): Promise<LearnedChange> {
    this.eventId++;
    await Promise.all([...this.listeners].map((l) => l({ type: 'learned.changed', bot: this.bot, by, at, change })));
    return change;
  }
}
