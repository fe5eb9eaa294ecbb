import type { LearnedCategory as PlatformCategory } from '../../protocol/learned.js';
import type { TrainingCategory, TrainingWorkspace as TrainingWorkspaceView } from '../../protocol/training.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { categoryKey } from './learned-category.js';
import { exportMirror } from './mirror-export.js';
import { unsentView } from './unsent-view.js';
import type { PlatformAccess } from './platform-access.js';
import type { TrainingHost } from './training-host.js';
import { readPreferences } from './workspace-preferences.js';

export interface WorkspaceViewOptions {
  host: () => TrainingHost | undefined;
  access: PlatformAccess;
  /** The bot's setting "Review learned answers before the bot uses them". */
  reviewMode: (bot: string) => boolean | undefined;
}

/**
 * What the Training view shows for one bot: its learned categories as the mirror has them (newest first) with their
 * conflicts with the bot's other files, the state of those files (pulled on first look), the link and the edits
 * waiting for it, the conflicts to resolve, and publishing state.
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
    const snapshot = await exportMirror(state);
    const other = await state.botFiles.files();
    const findings = other.real ? await state.findings.of(other.stamp, () => state.models.baseBot(other), snapshot.version, snapshot.categories) : undefined;
    const prefs = await readPreferences(state.files.preferencesFile);
    const learning = state.learning;
    const view: TrainingWorkspaceView = {
      bot: state.bot,
      file: state.files.aimlFile,
      categories: learning.mirror
        .all()
        .map((c) => toView(c, c.status === 'approved' ? (findings?.get(categoryKey(c)) ?? []) : []))
        .sort(byNewestFirst),
      fileProblems: snapshot.problems,
      botFiles: record
        ? { state: 'pulled', count: record.files.length, pulledAt: record.pulledAt }
        : state.botFiles.failure !== undefined
          ? { state: 'failed', count: 0, message: state.botFiles.failure }
          : { state: 'none', count: 0 },
      analysed: findings !== undefined,
      sync: {
        online: this.o.host()?.learned?.() !== undefined,
        queued: (await learning.queued()).map((q) => ({ opId: q.opId, label: q.label, queuedAt: q.queuedAt })),
      },
      unsent: (await learning.unsent()).map(unsentView),
      publish: {
        autoPublish: prefs.autoPublish,
        credentials: credentials ? { source: credentials.source, appId: credentials.appId } : { source: 'missing' },
      },
    };
    if (learning.mirror.syncedAt !== undefined) view.sync!.syncedAt = learning.mirror.syncedAt;
    const reviewMode = this.o.reviewMode(state.bot);
    if (reviewMode !== undefined) view.reviewMode = reviewMode;
    if (snapshot.brokenCopy) view.brokenCopy = snapshot.brokenCopy;
    if (state.handEdit) view.handEdit = state.handEdit;
    if (prefs.lastPublishedAt !== undefined) view.publish.lastPublishedAt = prefs.lastPublishedAt;
    if (state.lastPublish) {
      view.publish.lastError = state.lastPublish.error;
      view.publish.lastErrors = state.lastPublish.errors;
    }
    return view;
  }
}

function toView(c: PlatformCategory, findings: TrainingCategory['findings']): TrainingCategory {
  const view: TrainingCategory = {
    id: c.id,
    pattern: c.pattern,
    that: c.that || '*',
    topic: c.topic || '*',
    template: c.template,
    // New until a designer changed it after it was learned.
    state: c.version > 1 ? 'reviewed' : 'new',
    findings,
    status: c.status,
    version: c.version,
    updatedBy: c.updatedBy.name,
    updatedAt: c.updatedAt,
  };
  if (c.source) {
    view.source = { conversationId: c.source.conversationId, clientName: c.source.clientName, input: c.source.input, capturedAt: c.createdAt };
    const others = (c.source.candidates ?? []).filter((x) => x.input !== c.source!.input);
    if (others.length > 0) view.candidates = others;
  }
  return view;
}

/** Newest first (by when they were learned or written); the same time by pattern. */
function byNewestFirst(a: TrainingCategory, b: TrainingCategory): number {
  const ta = a.source?.capturedAt ?? a.updatedAt ?? -1;
  const tb = b.source?.capturedAt ?? b.updatedAt ?? -1;
  return tb - ta || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0);
}
