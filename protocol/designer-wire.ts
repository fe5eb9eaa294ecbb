import { z } from 'zod';
import { LiveTrainingSettings, LiveTrainingSettingsPatch } from './bot-settings.js';
import {
  BotName,
  ConversationFilter,
  ConversationId,
  ConversationSummary,
  DesignerRef,
  Message,
  MessageText,
  PauseReason,
  ResumeReason,
} from './conversation.js';
import { LearnedChangedEvent, learnedMethods } from './learned.js';

/**
 * The designer gateway, WebSocket `/ws/designer` (DESIGN.md sections 4-5).
 *
 * Authentication: the upgrade request carries `Authorization: Bearer <token>`; a missing or wrong token is refused
 * with HTTP 401 before any frame. The client then sends `hello` with the last event id it saw per bot; the Platform
 * answers `welcome`, then per bot either the exact missed `event`s in order or one `snapshot` when the gap is too
 * old, then `synced`. After that, live `event`s follow.
 *
 * Requests carry a client-generated id. Mutating methods (marked below) are applied at most once per designer and
 * id: a retry after a reconnect returns the first result again.
 */
export const DESIGNER_PROTOCOL_VERSION = 1;

export const BotInfo = z.object({
  name: BotName,
  /** Latest event id of this bot (0 when none yet). */
  lastEventId: z.number().int().nonnegative(),
  settings: LiveTrainingSettings,
});
export type BotInfo = z.infer<typeof BotInfo>;

/** Why a visitor reported a bot's Landing Page ("Report content", as on Pandorabots). */
export const ReportReason = z.enum(['spam', 'adult', 'copyright', 'other']);
export type ReportReason = z.infer<typeof ReportReason>;

/** A visitor's report about a bot's content. Anonymous: nothing identifies the visitor. */
export const ContentReport = z.object({
  id: z.number().int().positive(),
  bot: BotName,
  reason: ReportReason,
  details: z.string().max(2000),
  at: z.number(),
});
export type ContentReport = z.infer<typeof ContentReport>;

/** Everything that happens in a bot's conversations, as designers see it. */
export const DomainEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation.started'), conversation: ConversationSummary }),
  z.object({ type: z.literal('message.created'), message: Message }),
  z.object({
    type: z.literal('conversation.paused'),
    conversationId: ConversationId,
    heldBy: DesignerRef,
    at: z.number(),
    reason: PauseReason,
  }),
  z.object({
    type: z.literal('conversation.resumed'),
    conversationId: ConversationId,
    at: z.number(),
    reason: ResumeReason,
    /** The designer who switched the bot back on (reason `designer`). */
    by: DesignerRef.optional(),
  }),
  /**
   * The conversation waits for a human although the bot is active: a reply owed since before a Platform restart was
   * too old to send (see server/conversations/owed-replies.ts). It shows under "Needs help" until a designer answers.
   */
  z.object({ type: z.literal('conversation.waiting'), conversationId: ConversationId, since: z.number() }),
  /** The end user opened or closed their last channel to this conversation. */
  z.object({ type: z.literal('conversation.presence'), conversationId: ConversationId, online: z.boolean() }),
  z.object({ type: z.literal('settings.updated'), bot: BotName, settings: LiveTrainingSettings }),
  /** The bot's files were published and compiled: new conversations and replies use the new version. */
  z.object({ type: z.literal('bot.reloaded'), bot: BotName, at: z.number() }),
  /**
   * A bot appeared on the Platform after designers connected (created and compiled, or a broken bot fixed): add it to
   * the bot list. The first event of a new bot's log, so a designer who sees it needs no snapshot of that bot.
   */
  z.object({ type: z.literal('bot.created'), bot: BotName, at: z.number(), settings: LiveTrainingSettings }),
  /** The bot was deleted: drop it from the bot list. Its conversations stay readable with conversation.list. */
  z.object({ type: z.literal('bot.deleted'), bot: BotName, at: z.number() }),
  /** A visitor reported the bot's content from its Landing Page. */
  z.object({ type: z.literal('content.reported'), report: ContentReport }),
  /** An operation changed the bot's learned categories (protocol/learned.ts). */
  LearnedChangedEvent,
]);
export type DomainEvent = z.infer<typeof DomainEvent>;

export const EventEnvelope = z.object({
  bot: BotName,
  /** Per-bot, strictly increasing, gap-free. */
  id: z.number().int().positive(),
  at: z.number(),
  event: DomainEvent,
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** Designer API methods: params and results. */
export const designerMethods = {
  /** Send a human reply. In an active conversation this is the takeover: pause, paused notice, reply. Mutating. */
  'conversation.reply': {
    mutating: true,
    params: z.object({ conversationId: ConversationId, text: MessageText }),
    result: z.object({ conversationId: ConversationId, tookOver: z.boolean(), messages: z.array(Message), eventIds: z.array(z.number()) }),
  },
  /** Switch the bot on (resume, reactivated notice) or off (pause without a reply, paused notice). Mutating. */
  'conversation.setBotActive': {
    mutating: true,
    params: z.object({ conversationId: ConversationId, active: z.boolean() }),
    result: z.object({ conversationId: ConversationId, changed: z.boolean(), messages: z.array(Message), eventIds: z.array(z.number()) }),
  },
  /** The designer is active (throttled by the client): renews the inactivity lease on everything they hold. */
  'designer.activity': {
    mutating: false,
    params: z.object({}),
    result: z.object({ holds: z.array(z.object({ conversationId: ConversationId, bot: BotName, expiresAt: z.number() })) }),
  },
  /**
   * Studio saw its designer inactive for the bot's timeout: resume everything they hold with the inactivity notice,
   * now. The Platform applies the same rule on its own lease when Studio is gone; whichever comes first wins and the
   * other is a no-op. Mutating.
   */
  'designer.idle': {
    mutating: true,
    params: z.object({}),
    result: z.object({ resumed: z.array(ConversationId), eventIds: z.array(z.number()) }),
  },
  'conversation.list': {
    mutating: false,
    params: z.object({
      bot: BotName.optional(),
      filter: ConversationFilter.default('all'),
      /** Full-text search over the messages of the conversations. */
      search: z.string().max(200).optional(),
      /** Opaque cursor from a previous page. */
      cursor: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    result: z.object({ conversations: z.array(ConversationSummary), nextCursor: z.string().optional() }),
  },
  'conversation.get': {
    mutating: false,
    params: z.object({ conversationId: ConversationId }),
    result: z.object({ conversation: ConversationSummary }),
  },
  /** Messages of one conversation, newest first page by default; `beforeSeq` pages back in time. */
  'conversation.transcript': {
    mutating: false,
    params: z.object({ conversationId: ConversationId, beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({ messages: z.array(Message), hasMore: z.boolean() }),
  },
  /** The whole conversation as a file to save: plain text (default) or JSON with all metadata. */
  'conversation.export': {
    mutating: false,
    params: z.object({ conversationId: ConversationId, format: z.enum(['text', 'json']).default('text') }),
    result: z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() }),
  },
  'bot.list': {
    mutating: false,
    params: z.object({}),
    result: z.object({ bots: z.array(BotInfo) }),
  },
  'bot.settings': {
    mutating: false,
    params: z.object({ bot: BotName }),
    result: z.object({ settings: LiveTrainingSettings }),
  },
  /** Visitors' reports about the bot's content, newest first. */
  'bot.reports': {
    mutating: false,
    params: z.object({ bot: BotName, limit: z.number().int().min(1).max(500).default(100) }),
    result: z.object({ reports: z.array(ContentReport) }),
  },
  /** Mutating. */
  'bot.updateSettings': {
    mutating: true,
    params: z.object({ bot: BotName, patch: LiveTrainingSettingsPatch }),
    result: z.object({ settings: LiveTrainingSettings, eventId: z.number() }),
  },
  /** The bot's learned categories and its unanswered queue (protocol/learned.ts). */
  ...learnedMethods,
} as const;

export type DesignerMethod = keyof typeof designerMethods;
export type DesignerParams<M extends DesignerMethod> = z.input<(typeof designerMethods)[M]['params']>;
export type DesignerResult<M extends DesignerMethod> = z.infer<(typeof designerMethods)[M]['result']>;

export const DesignerErrorCode = z.enum([
  'bad_frame', // not JSON, or not a known frame shape
  'too_large', // over LIMITS.frameBytes or a text limit
  'unknown_method',
  'invalid_params',
  'not_found',
  'held_by_other', // details.holder: DesignerRef
  'read_only', // API conversations cannot be taken over
  'rate_limited', // retryAfterMs (and details.retryAfterMs); the request was not applied, so it may be sent again
  'not_ready', // request before hello
  'conflict', // a learned-category operation based on a stale version: details carry `current` and `yours` (protocol/learned.ts)
  'internal',
]);
export type DesignerErrorCode = z.infer<typeof DesignerErrorCode>;

export const DesignerError = z.object({
  code: DesignerErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** On refusals that may be retried (`rate_limited`): wait this long, then send the same request again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type DesignerError = z.infer<typeof DesignerError>;

// ---- frames, client to Platform ----

/** Longest request id the Platform accepts (and answers a refusal to). */
export const designerRequestIdMax = 100;

export const DesignerClientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.literal(DESIGNER_PROTOCOL_VERSION),
    /** Last event id seen per bot; bots not listed get a snapshot. */
    resume: z.record(z.string(), z.number().int().nonnegative()).default({}),
  }),
  z.object({
    type: z.literal('request'),
    /** Client-generated, unique per designer (a UUID); the at-most-once key for mutating methods. */
    id: z.string().min(1).max(designerRequestIdMax),
    method: z.string().max(100),
    params: z.unknown(),
  }),
]);
export type DesignerClientFrame = z.infer<typeof DesignerClientFrame>;

// ---- frames, Platform to client ----

export const DesignerServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocol: z.literal(DESIGNER_PROTOCOL_VERSION),
    designer: DesignerRef,
    serverTime: z.number(),
    bots: z.array(BotInfo),
  }),
  /** Sent instead of a replay when the client is new to the bot or missed more than the Platform keeps. */
  z.object({
    type: z.literal('snapshot'),
    bot: BotName,
    lastEventId: z.number().int().nonnegative(),
    /** The most recently active conversations (the rest are reachable with conversation.list). */
    conversations: z.array(ConversationSummary),
  }),
  /** The client is caught up on this bot: what follows is live. */
  z.object({ type: z.literal('synced'), bot: BotName, lastEventId: z.number().int().nonnegative() }),
  z.object({ type: z.literal('event') }).extend(EventEnvelope.shape),
  z.object({
    type: z.literal('response'),
    id: z.string(),
    ok: z.boolean(),
    /** Present when ok. */
    result: z.unknown().optional(),
    /** Present when not ok. */
    error: DesignerError.optional(),
  }),
  /** A frame the Platform could not use; the connection stays open. */
  z.object({ type: z.literal('error'), error: DesignerError }),
]);
export type DesignerServerFrame = z.infer<typeof DesignerServerFrame>;
