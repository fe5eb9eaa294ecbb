import type { ImportConflict, TrainingDiagnostic } from '../../protocol/training.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { planImport } from './category-import.js';
import { categoryKey } from './learned-category.js';
import { toWorkspaceCategory } from './mirror-export.js';

/** The Platform takes at most this many categories in one `import` operation. */
const IMPORT_BATCH = 10_000;

export interface ImportOutcome {
  added: number;
  unchanged: number;
  conflicts: ImportConflict[];
  errors: TrainingDiagnostic[];
}

/**
 * An imported `pand_livetraining.aiml` becomes `import` operations on the Platform: new categories are added (as
 * drafts or approved, as the bot's review setting decides on the Platform), identical ones change nothing, and one
 * that answers the same pattern, that and topic differently is a conflict listed with both answers; the present one
 * is kept. Broken categories are named with their lines and left out; the rest is imported.
 */
export async function importLearnedFile(state: BotWorkspace, fileName: string, text: string): Promise<ImportOutcome> {
  const shown = fileName.replace(/[^\w.-]/g, '_').slice(0, 120) || 'imported.aiml';
  await state.learning.mirror.load();
  const present = state.learning.mirror.all();
  const byKey = new Map(present.map((c) => [categoryKey(c), toWorkspaceCategory(c)]));
  const idOf = new Map(present.map((c) => [categoryKey(c), c.id]));
  const plan = planImport(byKey, shown, text);
  const conflicts = plan.conflicts.map((c) => ({ ...c, id: idOf.get(c.id) ?? c.id }));
  let added = 0;
  for (let i = 0; i < plan.additions.length; i += IMPORT_BATCH) {
    const batch = plan.additions.slice(i, i + IMPORT_BATCH).map((c) => ({ pattern: c.pattern, that: c.that, topic: c.topic, template: c.template }));
    const label = `Import of ${shown} (${batch.length} ${batch.length === 1 ? 'category' : 'categories'})`;
    const outcome = await state.learning.perform({ kind: 'import', baseVersion: 0, categories: batch, approve: false }, label);
    if (outcome.kind === 'applied') {
      added += outcome.change.categories.length;
      for (const c of outcome.change.conflicts) {
        if (!c.current || !c.yours) continue;
        conflicts.push({ id: c.current.id, pattern: c.current.pattern, that: c.current.that, topic: c.current.topic, current: c.current.template, imported: c.yours.template });
      }
    } else if (outcome.kind === 'queued') {
      added += batch.length;
    }
  }
  return { added, unchanged: plan.unchanged, conflicts, errors: plan.errors };
}
