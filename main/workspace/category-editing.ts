import { validateCategoryField, type CategoryField } from '../../aiml/index.js';
import type { TrainingDiagnostic } from '../../protocol/training.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { liveTrainingFileText } from './live-training-file.js';
import type { TrainingHost } from './training-host.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

export interface CategoryEditingOptions {
  host: () => TrainingHost | undefined;
  now: () => number;
}

/**
 * The engine's live validation of a field while the designer types, and the export of the learned file (written
 * from the mirror: see mirror-export.ts). Changes themselves are operations on the Platform (learned-editing.ts).
 */
export class CategoryEditing {
  constructor(private readonly o: CategoryEditingOptions) {}

  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] } {
    return { diagnostics: validateCategoryField(field, text) };
  }

  async exportFile(state: BotWorkspace): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }> {
    const snapshot = await state.store.snapshot();
    const text = liveTrainingFileText(snapshot.categories, state.bot, new Date(this.o.now()));
    const saveFile = this.o.host()?.saveFile;
    if (!saveFile) return { fileName: LIVE_TRAINING_FILE_NAME, text };
    const outcome = await saveFile.save({ suggestedName: LIVE_TRAINING_FILE_NAME, text, filters: [{ name: 'AIML', extensions: ['aiml'] }] });
    return outcome.saved ? { fileName: LIVE_TRAINING_FILE_NAME, savedTo: outcome.path } : { fileName: LIVE_TRAINING_FILE_NAME, cancelled: true };
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

