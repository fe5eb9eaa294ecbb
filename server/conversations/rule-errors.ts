import type { DesignerRef } from '../../protocol/conversation.js';
import { AppError, isAppErrorOf, RuleErrorCode } from '../../protocol/errors.js';

/**
 * A refusal by the conversation rules: nothing was changed. One `AppError` (protocol/errors.ts) with a
 * `RuleErrorCode`; the gateways turn it into an error frame.
 */
export type RuleError = AppError<RuleErrorCode>;

export const RuleError = {
  notFound(conversationId: string): RuleError {
    return new AppError('not_found', `no conversation ${conversationId}`);
  },

  heldByOther(holder: DesignerRef): RuleError {
    return new AppError('held_by_other', `${holder.name} is handling this conversation`, { details: { holder } });
  },

  readOnly(): RuleError {
    return new AppError('read_only', 'conversations through the talk API are read-only: they cannot be taken over');
  },

  full(limit: number): RuleError {
    return new AppError('conversation_full', `this conversation reached its limit of ${limit} messages; please start a new one`);
  },

  /** A field or cursor is wrong; `message` says which. */
  invalid(message: string): RuleError {
    return new AppError('invalid', message);
  },

  is(error: unknown): error is RuleError {
    return isAppErrorOf(RuleErrorCode, error);
  },
};
