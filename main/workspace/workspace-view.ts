import type { TrainingCategory, TrainingWorkspace as TrainingWorkspaceView } from '../../protocol/training.js';
import { learnedFileText, type BotWorkspace } from './bot-workspaces.js';
import { analyseCategories } from './category-analysis.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';
import type { StoreSnapshot } from './live-training-store.js';
import type { PlatformAccess } from './platform-access.js';
import type { TrainingHost } from './training-host.js';
import type { OtherFiles } from './workspace-bots.js';
import { readPreferences } from './workspace-preferences.js';

export interface WorkspaceViewOptions {
  host: () => TrainingHost | undefined;
  access: PlatformAccess;
}

/**
 * What the Training view shows for one bot: its learned categories (newest captures first) with their conflicts
 * with the bot's other files, the state of those files (pulled on first look), undo steps, and publishing state.
 * Changes when the view shows something new.
 */
export class WorkspaceView {
  constructor(private readonly o: WorkspaceViewOptions) {}

  async view(state: BotWorkspace): Promise<TrainingWorkspaceView> {
    const credentials = await this.o.access.credentials();
    let record = await state.botFiles.record();
    const platformUrl = this.o.host()?.platform()?.url;
    const stale = record?.platformUrl !== undefined && platformUrl !== undefined && record.platformUrl !== platformUrl;
    if ((!record || stale) && credentials && state.botFiles.failure === undefined && !state.botFiles.isPulling) {
      // First look at this bot (or Studio now talks to another Platform): fetch its files so that conflicts and
      // previews see the real bot.
      record = (await state.botFiles.pull().catch(() => undefined)) ?? record;
    }
    const snapshot = await state.store.snapshot();
    const other = await state.botFiles.files();
    const findings = findingsOf(state, snapshot, other);
    const prefs = await readPreferences(state.files.preferencesFile);
    const view: TrainingWorkspaceView = {
      bot: state.bot,
      file: state.files.aimlFile,
      categories: snapshot.categories.map((c) => toView(c, findings?.get(categoryKey(c)) ?? [])).sort(byNewestFirst),
      fileProblems: snapshot.problems,
      botFiles: record
        ? { state: 'pulled', count: record.files.length, pulledAt: record.pulledAt }
        : state.botFiles.failure !== undefined
          ? { state: 'failed', count: 0, message: state.botFiles.failure }
          : { state: 'none', count: 0 },
      analysed: findings !== undefined,
      undo: state.undo.labels(),
      publish: {
        autoPublish: prefs.autoPublish,
        credentials: credentials ? { source: credentials.source, appId: credentials.appId } : { source: 'missing' },
      },
    };
    if (snapshot.brokenCopy) view.brokenCopy = snapshot.brokenCopy;
    if (prefs.lastPublishedAt !== undefined) view.publish.lastPublishedAt = prefs.lastPublishedAt;
    if (state.lastPublish) {
      view.publish.lastError = state.lastPublish.error;
      view.publish.lastErrors = state.lastPublish.errors;
    }
    return view;
  }
}

/** Conflicts with the bot's other files, analysed once per pull and learned-file version (none without the files). */
function findingsOf(state: BotWorkspace, snapshot: StoreSnapshot, other: OtherFiles): Map<string, TrainingCategory['findings']> | undefined {
  if (!other.real) return undefined;
  if (state.analysis?.stamp === other.stamp && state.analysis.version === snapshot.version) return state.analysis.findings;
  const bots = state.models.bots(other, snapshot.categories, snapshot.version, () => learnedFileText(state));
  const findings = analyseCategories(bots, snapshot.categories);
  state.analysis = { stamp: other.stamp, version: snapshot.version, findings };
  return findings;
}

function toView(c: LearnedCategory, findings: TrainingCategory['findings']): TrainingCategory {
  const view: TrainingCategory = { id: categoryKey(c), pattern: c.pattern, that: c.that, topic: c.topic, template: c.template, state: c.state ?? 'new', findings };
  if (c.source) {
    const source: NonNullable<TrainingCategory['source']> = { conversationId: c.source.conversationId, capturedAt: c.source.capturedAt };
    if (c.source.clientName) source.clientName = c.source.clientName;
    if (c.source.input) source.input = c.source.input;
    view.source = source;
  }
  return view;
}

/** Newest captures first; categories without a source (hand-written, imported) after them, by pattern. */
function byNewestFirst(a: TrainingCategory, b: TrainingCategory): number {
  const ta = a.source?.capturedAt ?? -1;
  const tb = b.source?.capturedAt ?? -1;
  return tb - ta || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0);
}
