import type { LearnedCategory, LearnedConflict, LearnedOperation } from '../../protocol/learned.js';
import type { ConflictSide, UnsentEdit as UnsentEditView } from '../../protocol/training.js';
import type { UnsentEdit } from './bot-learning.js';

/** An edit the Platform did not take, as the Training view shows it: both versions side by side, or why it was refused. */
export function unsentView(u: UnsentEdit): UnsentEditView {
  const view: UnsentEditView = { opId: u.entry.opId, label: u.entry.label };
  const id = categoryIdOf(u.entry.op) ?? u.conflict?.id ?? u.conflict?.current?.id;
  if (id !== undefined) view.categoryId = id;
  if (u.conflict) view.conflict = { theirs: theirsOf(u.conflict.current), yours: yoursOf(u.conflict), message: u.conflict.message };
  else view.refused = u.message ?? 'The Platform did not take this edit.';
  return view;
}

export function categoryIdOf(op: LearnedOperation): string | undefined {
  return 'id' in op ? op.id : undefined;
}

function theirsOf(c: LearnedCategory | null): ConflictSide | null {
  if (!c) return null;
  return { pattern: c.pattern, that: c.that, topic: c.topic, template: c.template, status: c.status, version: c.version, by: c.updatedBy.name, at: c.updatedAt };
}

function yoursOf(conflict: LearnedConflict): ConflictSide | null {
  const y = conflict.yours;
  if (!y) return null;
  return { pattern: y.pattern, that: y.that, topic: y.topic, template: y.template, status: y.status, version: y.baseVersion };
}
