import { compileBot, validateCategoryField, type Bot, type CategoryField } from '../../aiml/index.js';
import { AppError } from '../../protocol/errors.js';
import type { LearnedCategory, LearnedContext, LearnedFields, LearnedOperation } from '../../protocol/learned.js';
import type { CategoryFields, EditOutcome, HistoryEntry } from '../../protocol/training.js';
import type { PerformOutcome } from './bot-learning.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { tidyPattern } from './category-editing.js';
import type { TrainingHost } from './training-host.js';
import { describeChange, lastOwnChange, undoBaseVersion } from './undo-last.js';

/**
 * The designer's changes in Training, each an operation on the Platform based on the version the mirror holds:
 * edit, remove, approve, switch the context, pick another captured input, undo a history entry, resolve a conflict.
 * While the link is down they queue (learned-outbox.ts); a conflict is kept for the designer's choice.
 */
export class LearnedEditing {
  private readonly fallback: Bot = compileBot({}).bot;

  constructor(private readonly host: () => TrainingHost | undefined) {}

  /** An edit based on the version the designer started from (by default the mirror's): never over a newer one. */
  async update(state: BotWorkspace, id: string, fields: CategoryFields, baseVersion?: number): Promise<EditOutcome> {
    const current = await this.category(state, id);
    const next = checkedFields(fields);
    return outcome(await state.learning.perform({ kind: 'edit', id, baseVersion: baseVersion ?? current.version, fields: next }, `Edit of ${next.pattern}`), id);
  }

  async remove(state: BotWorkspace, ids: string[]): Promise<{ removed: number }> {
    let removed = 0;
    for (const id of ids) {
      const c = state.learning.mirror.get(id);
      if (!c) continue;
      const o = await state.learning.perform({ kind: 'delete', id, baseVersion: c.version }, `Removal of ${c.pattern}`);
      if (o.kind !== 'conflict') removed++;
    }
    return { removed };
  }

  async approve(state: BotWorkspace, ids: string[]): Promise<{ outcomes: EditOutcome[] }> {
    const outcomes: EditOutcome[] = [];
    for (const id of ids) {
      const c = await this.category(state, id);
      if (c.status === 'approved') continue;
      outcomes.push(outcome(await state.learning.perform({ kind: 'approve', id, baseVersion: c.version }, `Approval of ${c.pattern}`), id));
    }
    return { outcomes };
  }

  async setContext(state: BotWorkspace, id: string, context: LearnedContext): Promise<EditOutcome> {
    const c = await this.category(state, id);
    const that = context.kind === 'after' ? checkedFields({ ...c, that: context.that }).that : '*';
    const label = context.kind === 'any' ? `${c.pattern}: any context` : `${c.pattern}: only after ${that}`;
    const op: LearnedOperation = { kind: 'setContext', id, baseVersion: c.version, context: context.kind === 'any' ? { kind: 'any' } : { kind: 'after', that } };
    return outcome(await state.learning.perform(op, label), id);
  }

  /** What was said just before the category's input, as `<that>` reads it (for "Only after: ..."). */
  async contextOf(state: BotWorkspace, id: string): Promise<{ that?: string }> {
    const c = await this.category(state, id);
    if (c.that && c.that !== '*') return { that: c.that };
    const source = c.source;
    const before = this.host()?.messagesBefore;
    if (!source || !before) return {};
    const messages = await before(source.conversationId, source.inputSeq);
    const said = messages.filter((m) => m.author === 'bot' || m.author === 'human').at(-1);
    if (!said) return {};
    const that = (await this.normalizer(state)).normalizeThat(said.text).trim();
    return that ? { that } : {};
  }

  /** "Use this input instead": another input of the same reply, normalised as the bot does, becomes the pattern. */
  async useInput(state: BotWorkspace, id: string, input: string): Promise<EditOutcome> {
    const c = await this.category(state, id);
    const candidate = c.source?.candidates?.find((x) => x.input === input);
    if (!candidate) throw new AppError('not_found', 'That input is not one this category could have been learned from.');
    const sentences = (await this.normalizer(state)).normalize(candidate.input).filter((s) => s.trim() !== '');
    const pattern = sentences.at(-1);
    if (!pattern) throw new AppError('invalid_category', `“${candidate.input}” has no words to match.`);
    return outcome(await state.learning.perform({ kind: 'edit', id, baseVersion: c.version, fields: { pattern } }, `Edit of ${c.pattern}: learned from “${candidate.input}”`), id);
  }

  async history(state: BotWorkspace, id: string): Promise<{ entries: HistoryEntry[] }> {
    const requester = this.host()?.learned?.();
    if (!requester) throw new AppError('offline', 'The history is kept on the Platform: it shows once Studio is connected again.');
    const { entries } = await requester.request('learned.history', { bot: state.bot, categoryId: id, limit: 100 });
    return {
      entries: entries.map((e) => {
        const entry: HistoryEntry = { opId: e.opId, kind: e.kind, designer: e.designer.name, at: e.at, before: sideOf(e.before), after: e.after ? { ...sideOf(e.after)!, version: e.after.version } : null };
        if (e.undoes !== undefined) entry.undoes = e.undoes;
        return entry;
      }),
    };
  }

  async undoEntry(state: BotWorkspace, opId: string, baseVersion: number): Promise<EditOutcome> {
    return outcome(await state.learning.perform({ kind: 'undo', opId, baseVersion }, 'Undo of a change'));
  }

  /**
   * "Undo last change": the designer's own most recent change of this bot still in effect, undone through the
   * Platform with the version that change produced, so a category someone changed since is a conflict, not a loss.
   * The history lives on the Platform, so this works across restarts and needs the link.
   */
  async undoLast(state: BotWorkspace, designerId: string): Promise<EditOutcome & { undone: string }> {
    const requester = this.host()?.learned?.();
    if (!requester) throw new AppError('offline', 'Undo needs the Platform, where the history is kept: try again once Studio is connected.');
    const { entries } = await requester.request('learned.history', { bot: state.bot, limit: 1000 });
    const last = lastOwnChange(entries, designerId);
    if (!last) throw new AppError('not_found', `You have no change on ${state.bot} left to undo.`);
    const undone = describeChange(last);
    return { ...outcome(await state.learning.perform({ kind: 'undo', opId: last.opId, baseVersion: undoBaseVersion(entries, last) }, `Undo of ${undone}`)), undone };
  }

  /** The designer's choice on a conflict: keep theirs (forget mine), use mine on the current version, or a merge. */
  async resolve(state: BotWorkspace, opId: string, choice: 'theirs' | 'mine' | 'merge', fields?: CategoryFields): Promise<EditOutcome> {
    const unsent = (await state.learning.unsent()).find((u) => u.entry.opId === opId);
    if (!unsent) throw new AppError('not_found', 'This conflict was already resolved.');
    if (choice === 'theirs') {
      await state.learning.dismiss(opId);
      return { outcome: 'applied' };
    }
    const current = unsent.conflict?.current ?? null;
    const mine = choice === 'merge' ? (fields ? checkedFields(fields) : undefined) : yoursFields(unsent.conflict?.yours ?? null);
    if (choice === 'merge' && !mine) throw new AppError('invalid_category', 'A merge needs the fields you want.');
    const op = reapply(unsent.entry.op, current, mine);
    if (!op) {
      // Nothing left to do (the category is gone and yours removed it too): the conflict is settled.
      await state.learning.dismiss(opId);
      return { outcome: 'applied' };
    }
    const label = `${unsent.entry.label} (${choice === 'merge' ? 'merged' : 'yours'})`;
    // Sent first: if the Platform refuses it, the conflict stays for another choice (a new conflict is kept on its own).
    const sent = await state.learning.perform(op, label);
    await state.learning.dismiss(opId);
    return outcome(sent, current?.id);
  }

  private async category(state: BotWorkspace, id: string): Promise<LearnedCategory> {
    await state.learning.mirror.load();
    const c = state.learning.mirror.get(id);
    if (!c) throw new AppError('not_found', 'This category is no longer there (removed by another designer?): the list is refreshed.');
    return c;
  }

  private async normalizer(state: BotWorkspace): Promise<Bot> {
    try {
      const other = await state.botFiles.files();
      return other.real ? state.models.baseBot(other) : this.fallback;
    } catch {
      return this.fallback;
    }
  }
}

/** The fields as the matcher reads them, refused with every problem named when the engine cannot use them. */
export function checkedFields(fields: CategoryFields): LearnedFields {
  const next = { pattern: tidyPattern(fields.pattern), that: tidyPattern(fields.that) || '*', topic: tidyPattern(fields.topic) || '*', template: fields.template.trim() };
  const problems = (['pattern', 'that', 'topic', 'template'] as CategoryField[]).flatMap((f) =>
    validateCategoryField(f, next[f])
      .filter((d) => d.severity === 'error')
      .map((d) => ({ ...d, file: f })),
  );
  if (problems.length > 0) {
    throw new AppError('invalid_category', `Not saved: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`, { details: { diagnostics: problems } });
  }
  return next;
}

/** "Use mine" or a merge on the category as it is now: what to send, or nothing when there is nothing left to do. */
function reapply(op: LearnedOperation, current: LearnedCategory | null, mine: LearnedFields | undefined): LearnedOperation | undefined {
  if (!mine) {
    // Yours removed it: remove the current version (when there still is one).
    return current ? { kind: 'delete', id: current.id, baseVersion: current.version } : undefined;
  }
  if (!current) return { kind: 'capture', baseVersion: 0, fields: mine };
  if (op.kind === 'approve') return { kind: 'approve', id: current.id, baseVersion: current.version };
  return { kind: 'edit', id: current.id, baseVersion: current.version, fields: mine };
}

function yoursFields(y: { pattern: string; that: string; topic: string; template: string } | null): LearnedFields | undefined {
  return y ? { pattern: y.pattern, that: y.that, topic: y.topic, template: y.template } : undefined;
}

function sideOf(c: LearnedCategory | null): HistoryEntry['before'] {
  return c ? { pattern: c.pattern, that: c.that, topic: c.topic, template: c.template, status: c.status } : null;
}

function outcome(o: PerformOutcome, id?: string): EditOutcome {
  const result: EditOutcome = { outcome: o.kind };
  if (id !== undefined) result.id = id;
  return result;
}
