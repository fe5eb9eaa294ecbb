import type { DesignerRef } from '../../protocol/conversation.js';
import type { ConversationRow } from '../storage/rows.js';
import { RuleError } from './rule-errors.js';

/**
 * The Live Training rules of DESIGN.md section 4 as pure decisions over a conversation's stored state. The service
 * applies them inside one transaction, so the state a decision reads is the state it changes.
 */

export type ReplyDecision = { kind: 'takeover' } | { kind: 'continue' };

/** A designer's reply: takes the conversation over when the bot is active; a holder simply continues. */
export function decideReply(c: ConversationRow, designer: DesignerRef): ReplyDecision {
  if (c.readOnly) throw RuleError.readOnly();
  if (c.state === 'paused') {
    if (c.heldBy && c.heldBy.id !== designer.id) throw RuleError.heldByOther(c.heldBy);
    return { kind: 'continue' };
  }
  return { kind: 'takeover' };
}

export type ToggleDecision = { kind: 'pause' } | { kind: 'resume' } | { kind: 'unchanged' };

/** The "Bot active" switch. Nobody switches the bot back on in, or off from, a conversation someone else holds. */
export function decideToggle(c: ConversationRow, designer: DesignerRef, active: boolean): ToggleDecision {
  if (c.readOnly) throw RuleError.readOnly();
  if (c.state === 'paused' && c.heldBy && c.heldBy.id !== designer.id) throw RuleError.heldByOther(c.heldBy);
  if (active) return c.state === 'paused' ? { kind: 'resume' } : { kind: 'unchanged' };
  return c.state === 'active' ? { kind: 'pause' } : { kind: 'unchanged' };
}

/** What a bot reply remembers of the moment its user message was accepted. */
export interface ReplyTicket {
  conversationId: string;
  bot: string;
  /** The seq of the user message it answers. */
  inputSeq: number;
  input: string;
  pauseEpoch: number;
}

/**
 * A bot reply may be committed only if the conversation is still active and has not been paused (and perhaps resumed)
 * since the user message was accepted: otherwise a human may have answered in between, and the bot's reply lost the
 * race. It is dropped, never sent.
 */
export function mayCommitBotReply(c: ConversationRow, ticket: ReplyTicket): boolean {
  return c.state === 'active' && c.pauseEpoch === ticket.pauseEpoch;
}

/** When the holder's lease ends: their last sign of activity (or the pause itself, if later) plus the bot's timeout. */
export function leaseExpiry(pausedAt: number, holderLastActivity: number | null, timeoutMs: number): number {
  return Math.max(pausedAt, holderLastActivity ?? 0) + timeoutMs;
}
