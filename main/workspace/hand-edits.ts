import { copyFile } from 'node:fs/promises';
import type { ImportConflict, TrainingDiagnostic } from '../../protocol/training.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { importLearnedFile } from './learned-import.js';
import { exportMirror } from './mirror-export.js';
import { LIVE_TRAINING_FILE_NAME } from './workspace-files.js';

/** What became of the designer's last edit of `pand_livetraining.aiml` made outside Studio. */
export interface HandEditOutcome {
  at: number;
  added: number;
  conflicts: ImportConflict[];
  errors: TrainingDiagnostic[];
  /** Where the edited file was kept when not all of it could be taken in. */
  keptAt?: string;
}

/**
 * A hand edit of the workspace's `pand_livetraining.aiml` becomes an `import` operation on the Platform (the file
 * mirrors the Platform, so an edit that only stayed in the file would be overwritten by the next change): new
 * categories are added, one that answers a present pattern differently is a conflict listed with both answers, and
 * invalid AIML is named with its line. When anything could not be taken in, the designer's file is first copied
 * aside (`pand_livetraining.aiml.rejected-<time>`), so nothing is lost when the file is written again from the mirror.
 */
export async function takeHandEdit(state: BotWorkspace, now: () => number): Promise<HandEditOutcome | undefined> {
  const text = await state.store.handEdit();
  if (text === undefined) return undefined;
  const at = now();
  let keptAt: string | undefined;
  const keepAside = async () => {
    keptAt ??= `${state.files.aimlFile}.rejected-${at}`;
    await copyFile(state.files.aimlFile, keptAt);
    state.store.markKeptAside();
  };
  let imported: Awaited<ReturnType<typeof importLearnedFile>>;
  try {
    imported = await importLearnedFile(state, LIVE_TRAINING_FILE_NAME, text);
  } catch (error) {
    await keepAside();
    throw error;
  }
  if (imported.errors.length > 0 || imported.conflicts.length > 0) await keepAside();
  const outcome: HandEditOutcome = { at, added: imported.added, conflicts: imported.conflicts, errors: imported.errors };
  if (keptAt) outcome.keptAt = keptAt;
  state.handEdit = outcome;
  // The file is the mirror again (with what was taken in, once the Platform's change arrives).
  state.exportedRevision = undefined;
  await exportMirror(state);
  // The edit may have changed nothing the mirror holds (an invalid category only): the file is written all the same.
  await state.store.settle();
  return outcome;
}
