import type { AimlDiagnostic } from '../../aiml/index.js';
import { AppError } from '../../protocol/errors.js';
import type { LearnedCategory, LearnedConflict, LearnedFields, LearnedStatus } from '../../protocol/learned.js';

/** Refusals of learned-category operations: nothing was changed. The designer gateway sends each as its error. */
export const LearnedErrors = {
  /** A stale `baseVersion`: both versions go to the designer, who chooses. */
  conflict(current: LearnedCategory | null, yours: (LearnedFields & { status: LearnedStatus; baseVersion: number }) | null, id?: string): AppError<'conflict'> {
    const message = current
      ? `${current.updatedBy.name} changed this learned category since you loaded it (version ${current.version}); compare both versions and choose`
      : 'this learned category was deleted since you loaded it; compare and choose';
    const conflict: LearnedConflict = { current, yours, message, ...(id !== undefined ? { id } : {}) };
    return new AppError('conflict', message, { details: conflict });
  },

  notFound(what: string): AppError<'not_found'> {
    return new AppError('not_found', what);
  },

  invalid(message: string, diagnostics?: AimlDiagnostic[]): AppError<'invalid_params'> {
    return new AppError('invalid_params', message, diagnostics ? { details: { diagnostics } } : {});
  },
};
