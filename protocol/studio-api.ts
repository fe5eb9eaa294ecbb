import { z } from 'zod';
import { LiveTrainingSettings, LiveTrainingSettingsPatch } from './bot-settings.js';
import { BotName, ConversationId, ConversationSummary, DesignerRef, Message, MessageText } from './conversation.js';
import { DesignerError } from './designer-wire.js';
import { TrainingEvent, trainingMethods } from './training.js';
import { StudioErrorCode } from './errors.js';

/**
 * The Studio API: the one contract between the renderer and Studio's main-process services (DESIGN.md section 5).
 * Served by one dispatcher over two transports: Electron IPC (preload bridge) and, in browser mode, a loopback
 * WebSocket. Every call is `invoke(method, args)`; only the methods listed here exist, and args are validated
 * by the dispatcher with these schemas before any service sees them.
 */

/** How Studio's link to the Platform is doing; drives the banner. */
export const LinkStatus = z.enum([
  'unconfigured', // first run: no Platform chosen yet
  'connecting',
  'online',
  'reconnecting', // lost it; retrying with backoff (see retryAt)
  'unauthorized', // the Platform refused the token: needs the designer's attention
]);
export type LinkStatus = z.infer<typeof LinkStatus>;

export const AppState = z.object({
  link: z.object({
    status: LinkStatus,
    platformUrl: z.string().optional(),
    /** When the next reconnect attempt happens (ms epoch), while reconnecting. */
    retryAt: z.number().optional(),
    /** Plain words on the last failure, for the banner. */
    lastError: z.string().optional(),
    /** Whether Studio runs its own local Platform. */
    embedded: z.boolean(),
  }),
  designer: DesignerRef.optional(),
  bots: z.array(z.object({ name: BotName, settings: LiveTrainingSettings })),
  /** Where pand_livetraining.aiml is written. */
  workspaceDir: z.string().optional(),
  /** `electron` or `browser`: the renderer uses it to pick native vs Web notifications and file dialogs. */
  host: z.enum(['electron', 'browser']),
  /** The current hand-back deadline (as the last `activity.deadline` event said), for a renderer that (re)loads. */
  activityDeadline: z.number().nullable().optional(),
});
export type AppState = z.infer<typeof AppState>;

/** A conversation as this designer sees it: the Platform's summary plus what is local to this designer. */
export const ConversationView = ConversationSummary.extend({
  unread: z.number().int().nonnegative(),
  heldByMe: z.boolean(),
});
export type ConversationView = z.infer<typeof ConversationView>;

export const NotificationSettings = z.object({
  newConversation: z.boolean(),
  heldConversationMessage: z.boolean(),
  badge: z.boolean(),
});

/** Studio's own settings (electron-store in Electron, conf in Node: one schema). Tokens never reach the renderer. */
export const StudioSettingsView = z.object({
  platformUrl: z.string().optional(),
  hasToken: z.boolean(),
  embedded: z.boolean(),
  designerName: z.string().optional(),
  notifications: NotificationSettings,
});
export type StudioSettingsView = z.infer<typeof StudioSettingsView>;

/** Longest unsent draft Studio keeps (a draft may run over the message limit; the reply box says so). */
export const DRAFT_MAX_CHARS = 20_000;

/**
 * How the designer left Studio (issue 10, point 6), kept by main so a reload or a restart opens it the same way in
 * Electron and in browser mode alike: the view, the open conversation, unsent drafts and transcript scroll.
 */
export const ViewMemory = z.object({
  view: z.string().max(40).optional(),
  conversationId: ConversationId.optional(),
  drafts: z.record(ConversationId, z.string().max(DRAFT_MAX_CHARS)),
  /** How far above the newest message each transcript was scrolled, in pixels (absent: following the newest). */
  scroll: z.record(ConversationId, z.number().nonnegative()),
});
export type ViewMemory = z.infer<typeof ViewMemory>;

/** One change to the view memory; an empty draft or a scroll of 0 forgets that entry. */
export const ViewMemoryPatch = z.object({
  view: z.string().max(40).optional(),
  conversationId: ConversationId.nullable().optional(),
  draft: z.object({ conversationId: ConversationId, text: z.string().max(DRAFT_MAX_CHARS) }).optional(),
  scroll: z.object({ conversationId: ConversationId, fromBottom: z.number().nonnegative().max(100_000_000) }).optional(),
});
export type ViewMemoryPatch = z.infer<typeof ViewMemoryPatch>;

const empty = z.object({});

export const studioMethods = {
  'app.state': { args: empty, result: AppState },
  /** The renderer window gained or lost focus (drives notifications for held conversations). */
  'app.focus': { args: z.object({ focused: z.boolean() }), result: empty },

  /** Every conversation Studio knows of, most recent activity first; the renderer filters and searches locally. */
  'conversations.list': { args: empty, result: z.object({ conversations: z.array(ConversationView) }) },
  /** Full-text search over all history on the Platform. */
  'conversations.search': {
    args: z.object({ query: z.string().min(1).max(200), cursor: z.string().optional() }),
    result: z.object({ conversations: z.array(ConversationView), nextCursor: z.string().optional() }),
  },
  'conversation.transcript': {
    args: z.object({ conversationId: ConversationId, beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(1000).optional() }),
    result: z.object({ messages: z.array(Message), hasMore: z.boolean() }),
  },
  'conversation.reply': { args: z.object({ conversationId: ConversationId, text: MessageText }), result: z.object({ tookOver: z.boolean() }) },
  'conversation.setBotActive': { args: z.object({ conversationId: ConversationId, active: z.boolean() }), result: z.object({ changed: z.boolean() }) },
  'conversation.markRead': { args: z.object({ conversationId: ConversationId, seq: z.number().int().nonnegative() }), result: empty },
  'conversation.exportTranscript': { args: z.object({ conversationId: ConversationId }), result: z.object({ fileName: z.string(), text: z.string() }) },

  /** Designer input in the app (throttled by the renderer): renews the inactivity lease. */
  'activity.report': {
    args: empty,
    /** `platformReportFailed`: main's last report of activity to the Platform failed (the lease may not be renewed). */
    result: z.object({ platformReportFailed: z.boolean().optional() }),
  },

  'settings.get': { args: empty, result: StudioSettingsView },
  'settings.update': {
    args: z.object({ notifications: NotificationSettings.partial().optional(), designerName: z.string().max(80).optional() }),
    result: StudioSettingsView,
  },
  /** What Studio remembers of how the designer left it (view, open conversation, drafts, scroll). */
  'memory.get': { args: empty, result: ViewMemory },
  /** Saved as the designer goes (drafts debounced while typing, and on unload); resolves once it is on disk. */
  'memory.update': { args: ViewMemoryPatch, result: empty },
  /** First run or a change of Platform: a remote one with a token, or Studio's embedded local one. */
  'platform.configure': {
    args: z.union([z.object({ embedded: z.literal(true) }), z.object({ embedded: z.literal(false), url: z.string().url(), token: z.string().min(1).max(500) })]),
    result: AppState,
  },
  'bot.settings.update': { args: z.object({ bot: BotName, patch: LiveTrainingSettingsPatch }), result: z.object({ settings: LiveTrainingSettings }) },
  /** The AIML workspace (Training view): see protocol/training.ts. */
  ...trainingMethods,
} as const;

export type StudioMethod = keyof typeof studioMethods;
export type StudioArgs<M extends StudioMethod> = z.input<(typeof studioMethods)[M]['args']>;
export type StudioResult<M extends StudioMethod> = z.infer<(typeof studioMethods)[M]['result']>;

/** Pushed from main to the renderer. */
export const StudioEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('app.state'), state: AppState }),
  /** Conversations that changed (new, new message, paused, resumed, presence, read): replace by id. */
  z.object({ type: z.literal('conversations.upsert'), conversations: z.array(ConversationView) }),
  /** Studio's cache was rebuilt from a snapshot: refetch the list. */
  z.object({ type: z.literal('conversations.reset') }),
  z.object({ type: z.literal('messages.appended'), conversationId: ConversationId, messages: z.array(Message) }),
  /** When inactivity hands back what this designer holds (ms epoch), or null when they hold nothing. */
  z.object({ type: z.literal('activity.deadline'), deadline: z.number().nullable() }),
  /** Show this conversation (a notification was clicked). */
  z.object({ type: z.literal('navigate'), conversationId: ConversationId }),
  /** Browser mode: main decided a notification is due; the renderer shows it with the Web Notifications API. */
  z.object({ type: z.literal('notify'), title: z.string(), body: z.string(), conversationId: ConversationId }),
  z.object({ type: z.literal('badge'), count: z.number().int().nonnegative() }),
  ...TrainingEvent.options,
]);
export type StudioEvent = z.infer<typeof StudioEvent>;

/** A failed call, as the renderer receives it: one of the closed set of codes (protocol/errors.ts). */
export const StudioError = DesignerError.extend({ code: StudioErrorCode });
export type StudioError = z.infer<typeof StudioError>;

/** Wire frames of the browser-mode transport (loopback WebSocket); Electron IPC carries the same payloads. */
export const StudioCallFrame = z.object({ id: z.number().int(), method: z.string().max(100), args: z.unknown() });
export const StudioReplyFrame = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: StudioError }),
]);
export const StudioEventFrame = z.object({ event: StudioEvent });

/** One call's outcome as both transports deliver it (the browser-mode reply frame adds its `id`). */
export type StudioReply = { ok: true; result: unknown } | { ok: false; error: StudioError };

/**
 * What the Electron preload exposes as `window.studio`. `invoke` resolves with a `StudioReply` envelope rather than
 * rejecting, because an Error crossing Electron's contextBridge keeps only its message and would lose `code`.
 * The renderer unwraps it exactly as it unwraps a `StudioReplyFrame` in browser mode.
 */
export interface StudioBridge {
  invoke(method: string, args?: unknown): Promise<StudioReply>;
  onEvent(listener: (event: StudioEvent) => void): () => void;
}
