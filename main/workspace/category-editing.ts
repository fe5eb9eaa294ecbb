import { validateCategoryField, type CategoryField } from '../../aiml/index.js';
import type { CategoryFields, ImportConflict, TrainingDiagnostic } from '../../protocol/training.js';
import { AppError } from '../../protocol/errors.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { planImport } from './category-import.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';
import { liveTrainingFileText } from './live-training-file.js';
import type { TrainingHost } from './training-host.js';
import { UndoHistory } from './undo-history.js';
import type { WorkspaceChanges } from './workspace-changes.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

export interface CategoryEditingOptions {
  host: () => TrainingHost | undefined;
  changes: WorkspaceChanges;
  now: () => number;
}

/**
 * The designer's edits in the Training view: edit with the engine's validation, remove, mark reviewed, import and
 * export the learned file, each change undoable (UndoHistory) and announced to the renderer.
 */
export class CategoryEditing {
  constructor(private readonly o: CategoryEditingOptions) {}

  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] } {
    return { diagnostics: validateCategoryField(field, text) };
  }

  async update(state: BotWorkspace, id: string, fields: CategoryFields): Promise<{ id: string }> {
    const next: LearnedCategory = { pattern: tidyPattern(fields.pattern), that: tidyPattern(fields.that) || '*', topic: tidyPattern(fields.topic) || '*', template: fields.template.trim() };
    const problems = (['pattern', 'that', 'topic', 'template'] as CategoryField[]).flatMap((f) =>
      validateCategoryField(f, next[f])
        .filter((d) => d.severity === 'error')
        .map((d) => ({ ...d, file: f })),
    );
    if (problems.length > 0) {
      throw new AppError('invalid_category', `Not saved: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`, { details: { diagnostics: problems } });
    }
    const newKey = categoryKey(next);
    const { before, after } = await state.store.update((categories) => {
      const old = categories.get(id);
      if (!old) throw new AppError('not_found', 'This category is no longer in the workspace (it changed outside Studio?): the list is refreshed.');
      if (newKey !== id && categories.has(newKey)) {
        throw new AppError('duplicate_category', `Another category already has pattern ${next.pattern}, that ${next.that} and topic ${next.topic}: edit or remove that one instead.`);
      }
      categories.delete(id);
      const edited: LearnedCategory = { ...next, state: 'reviewed' };
      if (old.source) edited.source = old.source;
      categories.set(newKey, edited);
    });
    state.undo.record(`Edit of ${next.pattern}`, before, mapOf(after.categories));
    this.o.changes.changed(state, after);
    return { id: newKey };
  }

  async remove(state: BotWorkspace, ids: string[]): Promise<{ removed: number }> {
    const { before, after, result } = await state.store.update((categories) => {
      const gone: LearnedCategory[] = [];
      for (const id of ids) {
        const c = categories.get(id);
        if (c && categories.delete(id)) gone.push(c);
      }
      return gone;
    });
    if (result.length > 0) state.undo.record(result.length === 1 ? `Removal of ${result[0]!.pattern}` : `Removal of ${result.length} categories`, before, mapOf(after.categories));
    this.o.changes.changed(state, after);
    return { removed: result.length };
  }

  async review(state: BotWorkspace, ids: string[], reviewed: boolean): Promise<{ changed: number }> {
    const target = reviewed ? 'reviewed' : 'new';
    const { before, after, result } = await state.store.update((categories) => {
      let n = 0;
      for (const id of ids) {
        const c = categories.get(id);
        if (!c || (c.state ?? 'new') === target) continue;
        categories.set(id, { ...c, state: target });
        n++;
      }
      return n;
    });
    if (result > 0) state.undo.record(`${reviewed ? 'Marked reviewed' : 'Marked new'}: ${result === 1 ? before.get(ids.find((i) => before.has(i))!)!.pattern : `${result} categories`}`, before, mapOf(after.categories));
    this.o.changes.changed(state, after);
    return { changed: result };
  }

  async undo(state: BotWorkspace): Promise<{ undone?: string }> {
    const step = state.undo.pop();
    if (!step) return {};
    try {
      const { after } = await state.store.update((categories) => UndoHistory.apply(step, categories));
      this.o.changes.changed(state, after);
    } catch (error) {
      state.undo.push(step);
      throw error;
    }
    return { undone: step.label };
  }

  async exportFile(state: BotWorkspace): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }> {
    const snapshot = await state.store.snapshot();
    const text = liveTrainingFileText(snapshot.categories, state.bot, new Date(this.o.now()));
    const saveFile = this.o.host()?.saveFile;
    if (!saveFile) return { fileName: LIVE_TRAINING_FILE_NAME, text };
    const outcome = await saveFile.save({ suggestedName: LIVE_TRAINING_FILE_NAME, text, filters: [{ name: 'AIML', extensions: ['aiml'] }] });
    return outcome.saved ? { fileName: LIVE_TRAINING_FILE_NAME, savedTo: outcome.path } : { fileName: LIVE_TRAINING_FILE_NAME, cancelled: true };
  }

  async importFile(state: BotWorkspace, fileName: string, text: string): Promise<{ added: number; unchanged: number; conflicts: ImportConflict[]; errors: TrainingDiagnostic[] }> {
    const shown = fileName.replace(/[^\w.-]/g, '_').slice(0, 120) || 'imported.aiml';
    const { before, after, result } = await state.store.update((categories) => {
      const plan = planImport(categories, shown, text);
      for (const c of plan.additions) categories.set(categoryKey(c), c);
      return plan;
    });
    if (result.additions.length > 0) state.undo.record(`Import of ${shown} (${result.additions.length} ${result.additions.length === 1 ? 'category' : 'categories'})`, before, mapOf(after.categories));
    this.o.changes.changed(state, after);
    return { added: result.additions.length, unchanged: result.unchanged, conflicts: result.conflicts, errors: result.errors };
  }
}

/** Patterns as the matcher reads them: words upper case, single spaces; markup (`<set>name</set>`) left as typed. */
export function tidyPattern(text: string): string {
  return text
    .split(/(<[^>]*>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.toUpperCase()))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function mapOf(categories: LearnedCategory[]): Map<string, LearnedCategory> {
  return new Map(categories.map((c) => [categoryKey(c), c]));
}
