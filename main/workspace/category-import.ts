import { parseCategories, validateCategoryField, type CategoryField } from '../../aiml/index.js';
import type { ImportConflict, TrainingDiagnostic } from '../../protocol/training.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';

export interface ImportPlan {
  /** Categories to add (keys the workspace does not have yet). */
  additions: LearnedCategory[];
  unchanged: number;
  /** Same pattern, that and topic as a workspace category, another answer: the workspace's is kept. */
  conflicts: ImportConflict[];
  /** What is wrong with the file (with line numbers); broken categories are left out, the rest imported. */
  errors: TrainingDiagnostic[];
}

function sameTemplate(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/**
 * How an existing `pand_livetraining.aiml` merges into the workspace: new categories are added (as `new`, to be
 * reviewed), identical ones change nothing, and one that answers the same pattern, that and topic differently is a
 * conflict: the workspace keeps its answer and the conflict is listed with both, for the designer to choose.
 * Within the file, a later category with the same key replaces an earlier one, as the engine loads it.
 */
export function planImport(current: ReadonlyMap<string, LearnedCategory>, fileName: string, text: string): ImportPlan {
  const parsed = parseCategories(text, fileName);
  const errors: TrainingDiagnostic[] = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (parsed.categories.length === 0 && errors.length === 0) {
    errors.push({ file: fileName, line: 0, column: 0, message: 'the file holds no categories', severity: 'error' });
  }
  const incoming = new Map<string, LearnedCategory>();
  for (const c of parsed.categories) {
    const category: LearnedCategory = { pattern: c.pattern.replace(/\s+/g, ' ').trim(), that: c.that?.trim() || '*', topic: c.topic?.trim() || '*', template: c.template };
    let valid = true;
    for (const field of ['pattern', 'that', 'topic', 'template'] as CategoryField[]) {
      for (const d of validateCategoryField(field, category[field])) {
        if (d.severity !== 'error') continue;
        errors.push({ file: fileName, line: c.line, column: 0, message: `${field}: ${d.message}`, severity: 'error' });
        valid = false;
      }
    }
    if (valid) incoming.set(categoryKey(category), category);
  }
  const plan: ImportPlan = { additions: [], unchanged: 0, conflicts: [], errors };
  for (const [key, c] of incoming) {
    const mine = current.get(key);
    if (!mine) plan.additions.push({ ...c, state: 'new' });
    else if (sameTemplate(mine.template, c.template)) plan.unchanged++;
    else plan.conflicts.push({ id: key, pattern: mine.pattern, that: mine.that, topic: mine.topic, current: mine.template, imported: c.template });
  }
  return plan;
}
