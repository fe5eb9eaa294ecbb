import type { CategoryField } from '../../aiml/index.js';
import type {
  CategoryFields,
  ImportConflict,
  PatternSuggestion,
  PreviewResult,
  PublishResult,
  SraiSuggestion,
  TrainingDiagnostic,
  TrainingWorkspace as TrainingWorkspaceView,
} from '../../protocol/training.js';
import type { ApiCredentials } from './pandorabots-client.js';

/**
 * What the Studio API's `training.*` handlers need from the AIML workspace, and nothing more: the composition hands
 * this interface to the handlers, so they never need to know which class serves it (TrainingWorkspace does).
 */
export interface TrainingWorkspacePort {
  workspace(bot: string): Promise<TrainingWorkspaceView>;
  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] };
  update(bot: string, id: string, fields: CategoryFields): Promise<{ id: string }>;
  remove(bot: string, ids: string[]): Promise<{ removed: number }>;
  review(bot: string, ids: string[], reviewed: boolean): Promise<{ changed: number }>;
  undo(bot: string): Promise<{ undone?: string }>;
  suggest(bot: string, id: string): Promise<{ patterns: PatternSuggestion[]; srai: SraiSuggestion[] }>;
  preview(bot: string, input: string, that?: string): Promise<PreviewResult>;
  exportFile(bot: string): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }>;
  importFile(bot: string, fileName: string, text: string): Promise<{ added: number; unchanged: number; conflicts: ImportConflict[]; errors: TrainingDiagnostic[] }>;
  refresh(bot: string): Promise<{ count: number }>;
  publish(bot: string): Promise<PublishResult>;
  setAutoPublish(bot: string, enabled: boolean): Promise<Record<string, never>>;
  setCredentials(credentials: ApiCredentials): Record<string, never>;
}
