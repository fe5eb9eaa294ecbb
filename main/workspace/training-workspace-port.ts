import type { CategoryField } from '../../aiml/index.js';
import type { LearnedChangedEvent, LearnedContext, UnansweredGroup } from '../../protocol/learned.js';
import type {
  CategoryFields,
  EditOutcome,
  HistoryEntry,
  ImportConflict,
  PatternSuggestion,
  PreviewResult,
  PublishResult,
  SraiSuggestion,
  TrainingDiagnostic,
  TrainingWorkspace as TrainingWorkspaceView,
} from '../../protocol/training.js';
import type { ApiCredentials } from './pandorabots-client.js';
import type { TrainingHost } from './training-host.js';

/**
 * What the Studio API's `training.*` handlers need from the AIML workspace, and nothing more: the composition hands
 * this interface to the handlers, so they never need to know which class serves it (TrainingWorkspace does).
 */
export interface TrainingWorkspacePort {
  workspace(bot: string): Promise<TrainingWorkspaceView>;
  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] };
  update(bot: string, id: string, fields: CategoryFields, baseVersion?: number): Promise<EditOutcome>;
  remove(bot: string, ids: string[]): Promise<{ removed: number }>;
  approve(bot: string, ids: string[]): Promise<{ outcomes: EditOutcome[] }>;
  setContext(bot: string, id: string, context: LearnedContext): Promise<EditOutcome>;
  contextOf(bot: string, id: string): Promise<{ that?: string }>;
  useInput(bot: string, id: string, input: string): Promise<EditOutcome>;
  history(bot: string, id: string): Promise<{ entries: HistoryEntry[] }>;
  undoEntry(bot: string, opId: string, baseVersion: number): Promise<EditOutcome>;
  /** The designer's own most recent change of the bot still in effect, undone (Training's "Undo last change"). */
  undoLast(bot: string, designerId: string): Promise<EditOutcome & { undone: string }>;
  resolve(bot: string, opId: string, choice: 'theirs' | 'mine' | 'merge', fields?: CategoryFields): Promise<EditOutcome>;
  suggest(bot: string, id: string): Promise<{ patterns: PatternSuggestion[]; srai: SraiSuggestion[] }>;
  preview(bot: string, input: string, that?: string, includeDrafts?: boolean): Promise<PreviewResult>;
  exportFile(bot: string): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }>;
  importFile(bot: string, fileName: string, text: string): Promise<{ added: number; unchanged: number; conflicts: ImportConflict[]; errors: TrainingDiagnostic[] }>;
  unansweredGroups(bot: string, includeIgnored?: boolean): Promise<{ groups: UnansweredGroup[] }>;
  answerUnanswered(bot: string, groupKey: string, template: string, sendToOnline: boolean): Promise<{ id?: string; sentTo: string[] }>;
  ignoreUnanswered(bot: string, groupKey: string, ignored: boolean): Promise<Record<string, never>>;
  refresh(bot: string): Promise<{ count: number }>;
  publish(bot: string): Promise<PublishResult>;
  setAutoPublish(bot: string, enabled: boolean): Promise<Record<string, never>>;
  setCredentials(credentials: ApiCredentials): Record<string, never>;
  /** Studio hands the workspace what it needs (the link, events, settings) once composed. */
  attach?(host: TrainingHost): void;
  /** The link to the Platform came up or went down. */
  linkChanged?(online: boolean): Promise<void>;
  /** The Platform's bots changed (a welcome, a bot created). */
  botsChanged?(): Promise<void>;
  /** A `learned.changed` event from the Platform. */
  learnedChanged?(event: LearnedChangedEvent): Promise<void>;
  close?(): void;
}
