import { z } from 'zod';
import { BotName, ConversationId } from './conversation.js';
import { LearnedContext, LearnedHistoryEntry, LearnedStatus, UnansweredGroup } from './learned.js';

/**
 * The Training part of the Studio API (issue 6): the designer's AIML workspace, where every live answer became a
 * category of `pand_livetraining.aiml`. Review, edit, check against the bot's other files, preview, undo, export,
 * import and publish. `protocol/studio-api.ts` merges these methods and events into the one Studio API.
 */

/** A problem the AIML engine or the Platform found, with where it is. `line`/`column` are 1-based; 0 = whole file. */
export const TrainingDiagnostic = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
export type TrainingDiagnostic = z.infer<typeof TrainingDiagnostic>;

/** A category of the bot's other files (or a learned one), as a finding points at it. */
export const CategoryPointer = z.object({
  pattern: z.string(),
  that: z.string(),
  topic: z.string(),
  file: z.string(),
  line: z.number().int().optional(),
  /** The start of its template as text, for a glance at what it answers. */
  answer: z.string().optional(),
});
export type CategoryPointer = z.infer<typeof CategoryPointer>;

export const FindingKind = z.enum([
  'duplicate', // same pattern, that, topic and template as a category of the bot's files: the learned one adds nothing
  'overrides', // same pattern, that and topic, another answer: the learned one replaces the bot's answer
  'shadows', // the learned category now answers inputs another category of the bot used to answer
  'unreachable', // the input it was learned from is answered by another category: it never answers it
  'matchedBefore', // before it was learned, the input already matched a (non-default) category of the bot
]);
export type FindingKind = z.infer<typeof FindingKind>;

export const Finding = z.object({ kind: FindingKind, message: z.string(), other: CategoryPointer });
export type Finding = z.infer<typeof Finding>;

export const ReviewState = z.enum(['new', 'reviewed']);
export type ReviewState = z.infer<typeof ReviewState>;

/** Pattern, that and topic (normalised AIML pattern syntax) and the template (AIML XML content). */
export const CategoryFields = z.object({
  pattern: z.string().max(2000),
  that: z.string().max(2000),
  topic: z.string().max(2000),
  template: z.string().max(100_000),
});
export type CategoryFields = z.infer<typeof CategoryFields>;

export const TrainingCategory = CategoryFields.extend({
  /** Stable while pattern, that and topic stay the same (the engine's identity of a category). */
  id: z.string(),
  state: ReviewState,
  /** Where it was learned: the live conversation, the user's words, when. Absent for hand-written or imported ones. */
  source: z
    .object({
      conversationId: ConversationId,
      clientName: z.string().optional(),
      /** The user's message as they typed it. */
      input: z.string().optional(),
      capturedAt: z.number(),
    })
    .optional(),
  /** Conflicts and duplicates with the bot's other files; empty when none (or not checked yet, see `analysis`). */
  findings: z.array(Finding),
  /** On the Platform (issue 13): draft (kept for review, the bot does not use it) or approved. */
  status: LearnedStatus.optional(),
  /** The Platform's version of it (+1 per change): what an edit is based on. */
  version: z.number().int().optional(),
  /** Who changed it last, and when. */
  updatedBy: z.string().optional(),
  updatedAt: z.number().optional(),
  /** The other inputs of the reply it was learned from, each one click away from being the pattern instead. */
  candidates: z.array(z.object({ inputSeq: z.number().int(), input: z.string() })).optional(),
});
export type TrainingCategory = z.infer<typeof TrainingCategory>;

export const PublishCredentialsState = z.object({
  /** `local`: Studio's own Platform (read from its data); `saved`: entered by the designer; `missing`: none yet. */
  source: z.enum(['local', 'saved', 'missing']),
  appId: z.string().optional(),
});

export const TrainingWorkspace = z.object({
  bot: BotName,
  /** The file on disk (`<workspace>/<bot>/pand_livetraining.aiml`). */
  file: z.string(),
  categories: z.array(TrainingCategory),
  /** Problems of the file on disk (an edit made outside Studio), and where Studio kept a copy of a broken one. */
  fileProblems: z.array(TrainingDiagnostic),
  /** The designer's last hand edit of the file, taken in as an import: what was added, and what could not be. */
  handEdit: z
    .object({
      at: z.number(),
      added: z.number().int(),
      conflicts: z.array(z.lazy(() => ImportConflict)),
      errors: z.array(TrainingDiagnostic),
      /** Where the edited file was kept when not all of it could be taken in. */
      keptAt: z.string().optional(),
    })
    .optional(),
  brokenCopy: z.string().optional(),
  /** The bot's other files, pulled from the Platform: what conflicts and previews are checked against. */
  botFiles: z.object({
    state: z.enum(['none', 'pulled', 'failed']),
    count: z.number().int().nonnegative(),
    pulledAt: z.number().optional(),
    message: z.string().optional(),
  }),
  /** Whether conflicts were checked against the bot's files (false when none could be pulled yet). */
  analysed: z.boolean(),
  publish: z.object({
    autoPublish: z.boolean(),
    credentials: PublishCredentialsState,
    lastPublishedAt: z.number().optional(),
    /** The last publish's failure, in plain words, until a publish succeeds. */
    lastError: z.string().optional(),
    lastErrors: z.array(TrainingDiagnostic).optional(),
  }),
  /** The link to the Platform as the mirror sees it, and the edits waiting for it (made while it was down). */
  sync: z
    .object({
      online: z.boolean(),
      /** When the mirror last listed everything from the Platform. */
      syncedAt: z.number().optional(),
      queued: z.array(z.object({ opId: z.string(), label: z.string(), queuedAt: z.number() })),
    })
    .optional(),
  /** Edits the Platform did not take: conflicts (both versions, for the designer to choose) and refusals. */
  unsent: z.array(z.lazy(() => UnsentEdit)).optional(),
  /** The bot's setting "Review learned answers before the bot uses them". */
  reviewMode: z.boolean().optional(),
});
export type TrainingWorkspace = z.infer<typeof TrainingWorkspace>;

/** One side of a conflict: the category's fields as the Platform has them now, or as this designer's edit made them. */
export const ConflictSide = CategoryFields.extend({ status: LearnedStatus, version: z.number().int().optional(), by: z.string().optional(), at: z.number().optional() });
export type ConflictSide = z.infer<typeof ConflictSide>;

/** An edit the Platform did not take: a conflict (`theirs` null: deleted since; `yours` null: you deleted it) or a refusal. */
export const UnsentEdit = z.object({
  opId: z.string(),
  /** What the designer did ("Edit of HELLO"). */
  label: z.string(),
  categoryId: z.string().optional(),
  conflict: z.object({ theirs: ConflictSide.nullable(), yours: ConflictSide.nullable(), message: z.string() }).optional(),
  /** Why the Platform refused it (when not a conflict). */
  refused: z.string().optional(),
});
export type UnsentEdit = z.infer<typeof UnsentEdit>;

/** One change of a category as Training's history shows it. */
export const HistoryEntry = z.object({
  opId: z.string(),
  kind: LearnedHistoryEntry.shape.kind,
  designer: z.string(),
  at: z.number(),
  before: CategoryFields.extend({ status: LearnedStatus }).nullable(),
  after: CategoryFields.extend({ status: LearnedStatus, version: z.number().int() }).nullable(),
  undoes: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** What an edit came to: applied on the Platform, queued (the link is down), or a conflict now shown to resolve. */
export const EditOutcome = z.object({ outcome: z.enum(['applied', 'queued', 'conflict']), id: z.string().optional() });
export type EditOutcome = z.infer<typeof EditOutcome>;

export const PatternSuggestion = z.object({ pattern: z.string(), that: z.string().optional(), why: z.string(), examples: z.array(z.string()) });
export const SraiSuggestion = z.object({ template: z.string(), why: z.string(), target: CategoryPointer });
export type PatternSuggestion = z.infer<typeof PatternSuggestion>;
export type SraiSuggestion = z.infer<typeof SraiSuggestion>;

export const PreviewResult = z.object({
  /** What the bot would answer (all sentences joined). */
  text: z.string(),
  sentences: z.array(
    z.object({
      input: z.string(),
      text: z.string(),
      answeredBy: CategoryPointer,
      /** A learned category of this workspace answered. */
      learned: z.boolean(),
      defaultCategory: z.boolean(),
      srai: z.array(z.string()),
    }),
  ),
  /** Whether the bot's other files took part (false: only the learned categories were there to answer). */
  withBotFiles: z.boolean(),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const ImportConflict = z.object({ id: z.string(), pattern: z.string(), that: z.string(), topic: z.string(), current: z.string(), imported: z.string() });
export type ImportConflict = z.infer<typeof ImportConflict>;

export const PublishResult = z.object({
  published: z.boolean(),
  /** Plain words on the outcome. */
  message: z.string(),
  errors: z.array(TrainingDiagnostic),
  warnings: z.array(TrainingDiagnostic),
});
export type PublishResult = z.infer<typeof PublishResult>;

const bot = z.object({ bot: BotName });
const ids = z.array(z.string().max(6000)).min(1).max(100_000);

/** An imported file: Pandorabots' limit for one bot file is 2 MB. */
export const MAX_IMPORT_CHARS = 2 * 1024 * 1024;

export const trainingMethods = {
  'training.workspace': { args: bot, result: TrainingWorkspace },
  /** Live validation of one field while the designer types, by the AIML engine. */
  'training.validate': {
    args: z.object({ field: z.enum(['pattern', 'that', 'topic', 'template']), text: z.string().max(100_000) }),
    result: z.object({ diagnostics: z.array(TrainingDiagnostic) }),
  },
  /** An edit, sent to the Platform with the version it was based on (or queued while the link is down). */
  'training.update': {
    /** `baseVersion`: the version the designer started editing from (another designer's change since is a conflict). */
    args: bot.extend({ id: z.string().max(6000), category: CategoryFields, baseVersion: z.number().int().positive().optional() }),
    result: EditOutcome,
  },
  'training.remove': { args: bot.extend({ ids }), result: z.object({ removed: z.number().int() }) },
  'training.suggest': {
    args: bot.extend({ id: z.string().max(6000) }),
    result: z.object({ patterns: z.array(PatternSuggestion), srai: z.array(SraiSuggestion) }),
  },
  'training.preview': {
    args: bot.extend({ input: z.string().trim().min(1).max(2000), that: z.string().max(2000).optional(), includeDrafts: z.boolean().optional() }),
    result: PreviewResult,
  },
  /** Who changed a category, when, before and after (from the Platform). */
  'training.history': { args: bot.extend({ id: z.string().max(64) }), result: z.object({ entries: z.array(HistoryEntry) }) },
  /** Undo one history entry (anyone's): a conflict when the category changed since `baseVersion`. */
  'training.undoEntry': { args: bot.extend({ opId: z.string().min(1).max(64), baseVersion: z.number().int().nonnegative() }), result: EditOutcome },
  /**
   * "Undo last change": undo this designer's own most recent change of the bot still in effect (from the Platform's
   * history, so across restarts); a conflict when someone changed the category since. `undone` says what it undid.
   */
  'training.undoLast': { args: bot.extend({ designerId: z.string().min(1).max(64) }), result: EditOutcome.extend({ undone: z.string() }) },
  'training.approve': { args: bot.extend({ ids }), result: z.object({ outcomes: z.array(EditOutcome) }) },
  /** "Any context" or "Only after: <that>". */
  'training.setContext': { args: bot.extend({ id: z.string().max(64), context: LearnedContext }), result: EditOutcome },
  /** What the bot (or designer) said just before the input a category was learned from, as `<that>` would read it. */
  'training.contextOf': { args: bot.extend({ id: z.string().max(64) }), result: z.object({ that: z.string().optional() }) },
  /** Another input of the reply becomes the pattern ("Use this input instead"). */
  'training.useInput': { args: bot.extend({ id: z.string().max(64), input: z.string().min(1).max(2000) }), result: EditOutcome },
  /** A conflict resolved: keep theirs, use mine (re-applied on the current version), or a merge the designer edited. */
  'training.resolve': {
    args: bot.extend({ opId: z.string().min(1).max(64), choice: z.enum(['theirs', 'mine', 'merge']), category: CategoryFields.optional() }),
    result: EditOutcome,
  },
  /** The unanswered queue: inputs the bot fell back on, grouped as it normalises them. */
  'training.unanswered': { args: bot.extend({ includeIgnored: z.boolean().optional() }), result: z.object({ groups: z.array(UnansweredGroup) }) },
  'training.answerUnanswered': {
    args: bot.extend({ groupKey: z.string().min(1).max(2000), template: z.string().trim().min(1).max(20_000), sendToOnline: z.boolean() }),
    result: z.object({ id: z.string().optional(), sentTo: z.array(ConversationId) }),
  },
  'training.ignoreUnanswered': { args: bot.extend({ groupKey: z.string().min(1).max(2000), ignored: z.boolean() }), result: z.object({}) },
  /** Electron: the save dialog writes it (`savedTo`, or `cancelled`); browser mode: `text` comes back for a download. */
  'training.export': {
    args: bot,
    result: z.object({ fileName: z.string(), text: z.string().optional(), savedTo: z.string().optional(), cancelled: z.boolean().optional() }),
  },
  'training.import': {
    args: bot.extend({ fileName: z.string().max(255), text: z.string().max(MAX_IMPORT_CHARS) }),
    result: z.object({
      added: z.number().int(),
      unchanged: z.number().int(),
      conflicts: z.array(ImportConflict),
      errors: z.array(TrainingDiagnostic),
    }),
  },
  /** Pulls the bot's other files from the Platform again. */
  'training.refresh': { args: bot, result: z.object({ count: z.number().int() }) },
  'training.publish': { args: bot, result: PublishResult },
  'training.setAutoPublish': { args: bot.extend({ enabled: z.boolean() }), result: z.object({}) },
  /** The Pandorabots API app id and user key of the (remote) Platform Studio is connected to. */
  'training.setCredentials': {
    args: z.object({ appId: z.string().trim().min(1).max(64), userKey: z.string().trim().min(1).max(128) }),
    result: z.object({}),
  },
} as const;

export const TrainingEvent = z.discriminatedUnion('type', [
  /** Something in this bot's workspace changed (a capture, an edit, an edit made outside Studio, a pull, a publish). */
  z.object({ type: z.literal('training.changed'), bot: BotName }),
  /** How a publish is going. `done`/`total` count bytes while uploading. */
  z.object({
    type: z.literal('training.progress'),
    bot: BotName,
    phase: z.enum(['checking', 'uploading', 'verifying', 'done', 'failed']),
    done: z.number().nonnegative(),
    total: z.number().nonnegative(),
  }),
]);
export type TrainingEvent = z.infer<typeof TrainingEvent>;
