import { z } from 'zod';
import { BotName, ConversationId } from './conversation.js';

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
  /** What Undo would undo, latest first (empty: nothing). */
  undo: z.array(z.string()),
  publish: z.object({
    autoPublish: z.boolean(),
    credentials: PublishCredentialsState,
    lastPublishedAt: z.number().optional(),
    /** The last publish's failure, in plain words, until a publish succeeds. */
    lastError: z.string().optional(),
    lastErrors: z.array(TrainingDiagnostic).optional(),
  }),
});
export type TrainingWorkspace = z.infer<typeof TrainingWorkspace>;

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
  'training.update': { args: bot.extend({ id: z.string().max(6000), category: CategoryFields }), result: z.object({ id: z.string() }) },
  'training.remove': { args: bot.extend({ ids }), result: z.object({ removed: z.number().int() }) },
  'training.review': { args: bot.extend({ ids, reviewed: z.boolean() }), result: z.object({ changed: z.number().int() }) },
  'training.undo': { args: bot, result: z.object({ undone: z.string().optional() }) },
  'training.suggest': {
    args: bot.extend({ id: z.string().max(6000) }),
    result: z.object({ patterns: z.array(PatternSuggestion), srai: z.array(SraiSuggestion) }),
  },
  'training.preview': { args: bot.extend({ input: z.string().trim().min(1).max(2000), that: z.string().max(2000).optional() }), result: PreviewResult },
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
