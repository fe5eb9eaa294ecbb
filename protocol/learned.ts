import { z } from 'zod';
import { BotName, ConversationId, DesignerRef } from './conversation.js';

/**
 * Learned categories on the Platform (issue 13, DESIGN.md sections 3.5 and 6): every designer reply that answers a user
 * input becomes a category of the bot, kept by the Platform per bot, versioned, with history. Designers change them
 * with operations that carry the version they were based on (compare-and-set): a stale one is a `conflict` whose
 * details carry both versions, never a silent overwrite. The bot's `pand_livetraining.aiml` is the approved set.
 *
 * Over the designer gateway (protocol/designer-wire.ts merges `learnedMethods` and `LearnedEvent`): `learned.list`,
 * `learned.apply`, `learned.history`, `unanswered.list`, `unanswered.answer`, `unanswered.ignore`, and the event
 * `learned.changed` in the bot's event log (so a reconnecting designer resumes it from its last event id).
 */

/** Stable for the life of the category, whatever its pattern becomes. */
export const LearnedCategoryId = z.string().min(1).max(64);
export type LearnedCategoryId = z.infer<typeof LearnedCategoryId>;

/** `draft`: kept for review, the bot does not use it; `approved`: live in the bot and in `pand_livetraining.aiml`. */
export const LearnedStatus = z.enum(['draft', 'approved']);
export type LearnedStatus = z.infer<typeof LearnedStatus>;

/** Longest template a learned category may have (an answer over it is refused with a clear message). */
export const LEARNED_TEMPLATE_MAX = 20_000;
/** Longest pattern, that or topic. */
export const LEARNED_PATTERN_MAX = 2_000;

const Pattern = z.string().max(LEARNED_PATTERN_MAX, `a pattern is at most ${LEARNED_PATTERN_MAX} characters`);
const Template = z.string().max(LEARNED_TEMPLATE_MAX, `an answer is at most ${LEARNED_TEMPLATE_MAX} characters`);

/** Another input that could have been captured from the same reply (the designer can pick it in one click). */
export const CaptureCandidate = z.object({
  inputSeq: z.number().int().positive(),
  /** The sentence or message as the user typed it. */
  input: z.string(),
});
export type CaptureCandidate = z.infer<typeof CaptureCandidate>;

/** Where a captured category came from. Absent for imported or hand-written ones. */
export const LearnedSource = z.object({
  conversationId: ConversationId,
  /** The user message the pattern was taken from. */
  inputSeq: z.number().int().positive(),
  /** The designer reply that became the template (the first one when several replies in a row extended it). */
  replySeq: z.number().int().positive(),
  /** The captured input as the user typed it. */
  input: z.string(),
  /** The conversation's robot-themed client name ("Rusty Sprocket"). */
  clientName: z.string(),
  candidates: z.array(CaptureCandidate).optional(),
});
export type LearnedSource = z.infer<typeof LearnedSource>;

/** Pattern, that and topic in normalised AIML pattern syntax (`*` = any), the template as AIML XML content. */
export const LearnedFields = z.object({ pattern: Pattern, that: Pattern, topic: Pattern, template: Template });
export type LearnedFields = z.infer<typeof LearnedFields>;

/**
 * The bot's category a learned one was given priority over ("Given priority over <pattern>"): it answered the input
 * the learned category was learned from, so the learned pattern's first word was marked `$` (AIML 2.0's priority
 * marker), which makes the learned category answer it.
 */
export const LearnedPriority = z.object({ pattern: z.string(), that: z.string(), topic: z.string(), file: z.string(), line: z.number().int().optional() });
export type LearnedPriority = z.infer<typeof LearnedPriority>;

export const LearnedCategory = LearnedFields.extend({
  id: LearnedCategoryId,
  bot: BotName,
  status: LearnedStatus,
  /** 1 when created, +1 per change. */
  version: z.number().int().positive(),
  source: LearnedSource.optional(),
  /** Set when the Platform marked the pattern's first word `$` so that it answers its own input (see LearnedPriority). */
  priorityOver: LearnedPriority.optional(),
  createdBy: DesignerRef,
  createdAt: z.number(),
  updatedBy: DesignerRef,
  updatedAt: z.number(),
});
export type LearnedCategory = z.infer<typeof LearnedCategory>;

/** `any`: answers the input whatever was said before (`<that>` is `*`); `after`: only after the bot said `that`. */
export const LearnedContext = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('any') }),
  z.object({ kind: z.literal('after'), that: Pattern.min(1) }),
]);
export type LearnedContext = z.infer<typeof LearnedContext>;

const existing = { id: LearnedCategoryId, baseVersion: z.number().int().positive() };

/**
 * A change to a bot's learned categories. Operations on one category carry the version they were based on; creating
 * ones (`capture`, `import`) carry `baseVersion: 0` (nothing yet), and meet a category with the same pattern, that and
 * topic as a conflict rather than overwriting it.
 */
export const LearnedOperation = z.discriminatedUnion('kind', [
  /** A category written by hand, or from a conversation's input the designer picked (the Platform captures replies by itself). */
  z.object({ kind: z.literal('capture'), baseVersion: z.literal(0), fields: LearnedFields, source: LearnedSource.optional() }),
  /** Change any of pattern, that, topic, template. */
  z.object({ kind: z.literal('edit'), ...existing, fields: LearnedFields.partial() }),
  /** A wider pattern (wildcards, a set) for the same answer. */
  z.object({ kind: z.literal('broaden'), ...existing, pattern: Pattern.min(1) }),
  z.object({ kind: z.literal('approve'), ...existing }),
  z.object({ kind: z.literal('delete'), ...existing }),
  /** Categories from a file; the ones colliding with a present category come back as conflicts, the rest are added. */
  z.object({ kind: z.literal('import'), baseVersion: z.literal(0), categories: z.array(LearnedFields).min(1).max(10_000), approve: z.boolean().default(false) }),
  z.object({ kind: z.literal('setContext'), ...existing, context: LearnedContext }),
  /**
   * Undo an earlier operation (by anyone, also before a restart): itself an operation. `baseVersion` is the version
   * the designer saw, normally the one the undone operation produced; a category changed since is a conflict.
   */
  z.object({ kind: z.literal('undo'), opId: z.string().min(1).max(64), baseVersion: z.number().int().nonnegative() }),
]);
export type LearnedOperation = z.infer<typeof LearnedOperation>;
export type LearnedOperationKind = LearnedOperation['kind'];
export const LearnedOperationKind = z.enum(['capture', 'edit', 'broaden', 'approve', 'delete', 'import', 'setContext', 'undo']);

/**
 * The refusal of a stale operation (designer error code `conflict`, these in `details`): `current` is the category as
 * the Platform has it (null: deleted since), `yours` is what the operation would have made of it. Nothing was changed.
 */
export const LearnedConflict = z.object({
  id: LearnedCategoryId.optional(),
  current: LearnedCategory.nullable(),
  yours: LearnedFields.extend({ status: LearnedStatus, baseVersion: z.number().int().nonnegative() }).nullable(),
  message: z.string(),
});
export type LearnedConflict = z.infer<typeof LearnedConflict>;

/** What an applied operation changed. */
export const LearnedChange = z.object({
  opId: z.string(),
  kind: LearnedOperationKind,
  /** The categories as they are now. */
  categories: z.array(LearnedCategory),
  /** Ids of the categories the operation removed. */
  removed: z.array(LearnedCategoryId),
});
export type LearnedChange = z.infer<typeof LearnedChange>;

/** One change of one category: who, when, before and after (null before a creation, after a deletion). */
export const LearnedHistoryEntry = z.object({
  opId: z.string(),
  categoryId: LearnedCategoryId,
  kind: LearnedOperationKind,
  designer: DesignerRef,
  at: z.number(),
  before: LearnedCategory.nullable(),
  after: LearnedCategory.nullable(),
  /** For an undo: the operation it undid. */
  undoes: z.string().optional(),
});
export type LearnedHistoryEntry = z.infer<typeof LearnedHistoryEntry>;

/** User inputs of one bot that fell back to the default category, grouped by the input as the bot normalises it. */
export const UnansweredGroup = z.object({
  bot: BotName,
  /** The input as the bot normalises it (what a category's pattern would be). */
  groupKey: z.string(),
  /** The latest input of the group as the user typed it. */
  example: z.string(),
  count: z.number().int().positive(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  /** The conversations it was asked in, most recent first (at most 100). */
  conversations: z.array(ConversationId),
  ignored: z.boolean(),
});
export type UnansweredGroup = z.infer<typeof UnansweredGroup>;

const bot = z.object({ bot: BotName });

/** Designer gateway methods (merged into `designerMethods`). */
export const learnedMethods = {
  /**
   * A bot's learned categories in id order, a page at a time. `lastEventId` is the bot's event id when the page was
   * read: a mirror lists everything, then follows `learned.changed` events after the first page's `lastEventId`.
   */
  'learned.list': {
    mutating: false,
    params: bot.extend({
      status: LearnedStatus.optional(),
      /** Opaque cursor from a previous page. */
      cursor: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).default(500),
    }),
    result: z.object({ categories: z.array(LearnedCategory), nextCursor: z.string().optional(), lastEventId: z.number().int().nonnegative() }),
  },
  /** Apply one operation (compare-and-set on its `baseVersion`). Mutating. */
  'learned.apply': {
    mutating: true,
    params: bot.extend({ op: LearnedOperation }),
    result: LearnedChange.extend({
      /** `import` only: the categories that collided with present ones, not applied. */
      conflicts: z.array(LearnedConflict),
      eventId: z.number().int().nonnegative(),
    }),
  },
  /** History of one category (or of the whole bot), newest first. */
  'learned.history': {
    mutating: false,
    params: bot.extend({ categoryId: LearnedCategoryId.optional(), limit: z.number().int().min(1).max(1000).default(100) }),
    result: z.object({ entries: z.array(LearnedHistoryEntry) }),
  },
  /** The unanswered queue, most asked first. */
  'unanswered.list': {
    mutating: false,
    params: bot.extend({ includeIgnored: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({ groups: z.array(UnansweredGroup) }),
  },
  /**
   * Answer a group once: one category (pattern = the group key). With `sendToOnline`, the answer also goes, as a
   * designer reply (the normal takeover rule), to the users still online in the group's conversations that this
   * designer may take over. `template` is the answer as the designer typed it (plain text: escaped into the
   * category's template, sent as is). Mutating.
   */
  'unanswered.answer': {
    mutating: true,
    params: bot.extend({ groupKey: z.string().min(1).max(LEARNED_PATTERN_MAX), template: Template.min(1), sendToOnline: z.boolean().default(false) }),
    result: LearnedChange.extend({ sentTo: z.array(ConversationId), eventId: z.number().int().nonnegative() }),
  },
  /** Ignore a group (or stop ignoring it). Mutating. */
  'unanswered.ignore': {
    mutating: true,
    params: bot.extend({ groupKey: z.string().min(1).max(LEARNED_PATTERN_MAX), ignored: z.boolean().default(true) }),
    result: z.object({ group: UnansweredGroup }),
  },
} as const;

/** Designer events (merged into `DomainEvent`): an operation changed the bot's learned categories. */
export const LearnedChangedEvent = z.object({
  type: z.literal('learned.changed'),
  bot: BotName,
  by: DesignerRef,
  at: z.number(),
  change: LearnedChange,
});
export type LearnedChangedEvent = z.infer<typeof LearnedChangedEvent>;
