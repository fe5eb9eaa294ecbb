import type { LearnedHistoryEntry } from '../../protocol/learned.js';

/** How the toolbar's "Undo last change" names what it undid. */
const DONE: Record<LearnedHistoryEntry['kind'], string> = {
  capture: 'capture',
  edit: 'edit',
  broaden: 'broadening',
  approve: 'approval',
  delete: 'removal',
  import: 'import',
  setContext: 'change of context',
  undo: 'undo',
};

/**
 * The designer's own most recent change of the bot that is still in effect, from the bot's history (newest first):
 * undos themselves are not undone again, and a change already undone (by anyone) is passed over, so pressing
 * "Undo last change" again goes one change further back.
 */
export function lastOwnChange(entries: readonly LearnedHistoryEntry[], designerId: string): LearnedHistoryEntry | undefined {
  const undone = new Set(entries.flatMap((e) => (e.undoes === undefined ? [] : [e.undoes])));
  return entries.find((e) => e.designer.id === designerId && e.kind !== 'undo' && !undone.has(e.opId));
}

/**
 * The version the undo is based on: the one the change produced, unless the only changes of the category since are
 * changes that were undone and their undos (the designer's own Ctrl+Z twice): those cancel out, so the undo is based
 * on the category's latest version. Any other change since leaves the change's own version: the Platform answers with
 * a conflict instead of overwriting it.
 */
export function undoBaseVersion(entries: readonly LearnedHistoryEntry[], change: LearnedHistoryEntry): number {
  const own = change.after?.version ?? 0;
  const since = entries.slice(0, entries.indexOf(change)).filter((e) => e.categoryId === change.categoryId);
  if (since.length === 0) return own;
  const ops = new Set(since.filter((e) => e.kind !== 'undo').map((e) => e.opId));
  const undoneSince = new Set(since.flatMap((e) => (e.undoes !== undefined && ops.has(e.undoes) ? [e.undoes] : [])));
  const cancelledOut = since.every((e) => (e.undoes !== undefined ? ops.has(e.undoes) : undoneSince.has(e.opId)));
  return cancelledOut ? (since[0]!.after?.version ?? own) : own;
}

/** "your edit of HELLO" */
export function describeChange(entry: LearnedHistoryEntry): string {
  const category = entry.after ?? entry.before;
  return `your ${DONE[entry.kind]}${category ? ` of ${category.pattern}` : ''}`;
}
