import { z } from 'zod';
import { LIMITS } from './limits.js';

/** Bot names as Pandorabots allows them: 3-64 lowercase letters and digits. */
export const BotName = z.string().regex(/^[a-z0-9]{3,64}$/, 'a bot name is 3-64 lowercase letters and digits');
export type BotName = z.infer<typeof BotName>;

export const ConversationId = z.string().min(1).max(64);
export type ConversationId = z.infer<typeof ConversationId>;

export const MessageText = z.string().trim().min(1, 'the message is empty').max(LIMITS.messageChars, `a message is at most ${LIMITS.messageChars} characters`);

/** Where an end user talks from. `api` conversations (Pandorabots talk API) are read-only for designers. */
export const Channel = z.enum(['landing', 'widget', 'api']);
export type Channel = z.infer<typeof Channel>;

/** Who wrote a message: the end user, the bot, a human designer, or the Platform (paused/resumed notices). */
export const Author = z.enum(['user', 'bot', 'human', 'system']);
export type Author = z.infer<typeof Author>;

/** Which of the three configurable Live Training notices a system message is. */
export const SystemNotice = z.enum(['paused', 'reactivated', 'inactivity']);
export type SystemNotice = z.infer<typeof SystemNotice>;

export const DesignerRef = z.object({ id: z.string(), name: z.string() });
export type DesignerRef = z.infer<typeof DesignerRef>;

/** What answered a bot reply: the final category after srai, and whether it was the ultimate default (`*`). */
export const MatchInfo = z.object({
  pattern: z.string(),
  that: z.string(),
  topic: z.string(),
  file: z.string(),
  defaultCategory: z.boolean(),
  /** The srai chain that led to the final category, outermost first. */
  srai: z.array(z.string()).optional(),
  /** Set when an engine limit (srai depth, srai count, time) cut the reply short. */
  limit: z.string().optional(),
});
export type MatchInfo = z.infer<typeof MatchInfo>;

export const Message = z.object({
  id: z.string(),
  conversationId: ConversationId,
  /** Per-conversation sequence number, 1-based, gap-free. */
  seq: z.number().int().positive(),
  author: Author,
  text: z.string(),
  /** Milliseconds since the epoch, Platform clock. */
  at: z.number(),
  /** The designer who wrote a `human` message. End users never see it. */
  designer: DesignerRef.optional(),
  /** Which notice a `system` message is. */
  notice: SystemNotice.optional(),
  /** For `bot` messages: one entry per input sentence answered. */
  match: z.array(MatchInfo).optional(),
  /** For `user` messages from a chat channel: the id the end user's page gave it (a resend is recognised by it). */
  clientId: z.string().optional(),
});
export type Message = z.infer<typeof Message>;

export const ConversationState = z.enum(['active', 'paused']);
export type ConversationState = z.infer<typeof ConversationState>;

/** Why a conversation paused: a designer's reply (takeover) or the designer switching the bot off. */
export const PauseReason = z.enum(['takeover', 'manual']);
/** Why a conversation resumed: the designer switched the bot back on, or the holder was inactive too long. */
export const ResumeReason = z.enum(['designer', 'inactivity']);

/** What designers see of a conversation in a list. */
export const ConversationSummary = z.object({
  id: ConversationId,
  bot: BotName,
  /** The random robot-themed name ("Rusty Sprocket") the Platform chose; the same for every designer. */
  clientName: z.string(),
  channel: Channel,
  startedAt: z.number(),
  lastActivityAt: z.number(),
  state: ConversationState,
  heldBy: DesignerRef.optional(),
  pausedAt: z.number().optional(),
  /** The end user has a channel open right now. */
  online: z.boolean(),
  lastMessage: z.object({ author: Author, text: z.string(), at: z.number(), seq: z.number() }).optional(),
  /** Highest message sequence number so far (0 when empty). */
  lastSeq: z.number().int().nonnegative(),
  /** The bot answered with its ultimate default category at least once. */
  fellBack: z.boolean(),
  /** When the user started waiting for a human (a user message in a paused conversation not yet answered). */
  waitingSince: z.number().optional(),
  /** API conversations are logged and visible but cannot be taken over. */
  readOnly: z.boolean(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

/** Designer-side list filters. `needsHelp`: fell back to the default category, or a user waits on a human. */
export const ConversationFilter = z.enum(['all', 'live', 'paused', 'needsHelp']);
export type ConversationFilter = z.infer<typeof ConversationFilter>;
