import type { DesignerRef } from '../../protocol/conversation.js';

export type RuleErrorCode = 'not_found' | 'held_by_other' | 'read_only' | 'conversation_full' | 'invalid';

/** A refusal by the conversation rules: nothing was changed. The gateways turn it into an error frame. */
export class RuleError extends Error {
  constructor(
    readonly code: RuleErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RuleError';
  }

  static notFound(conversationId: string): RuleError {
    return new RuleError('not_found', `no conversation ${conversationId}`);
  }

  static heldByOther(holder: DesignerRef): RuleError {
    return new RuleError('held_by_other', `${holder.name} is handling this conversation`, { holder });
  }

  static readOnly(): RuleError {
    return new RuleError('read_only', 'conversations through the talk API are read-only: they cannot be taken over');
  }

  static full(limit: number): RuleError {
    return new RuleError('conversation_full', `this conversation reached its limit of ${limit} messages; please start a new one`);
  }
}
