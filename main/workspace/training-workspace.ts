import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { compileBot, validateCategoryField, type Bot, type CategoryField } from '../../aiml/index.js';
import { escapeXmlText } from '../../aiml/xml.js';
import type { Message } from '../../protocol/conversation.js';
import type {
  CategoryFields,
  ImportConflict,
  PatternSuggestion,
  PreviewResult,
  PublishResult,
  SraiSuggestion,
  TrainingCategory,
  TrainingDiagnostic,
  TrainingWorkspace as TrainingWorkspaceView,
} from '../../protocol/training.js';
import { AppError } from '../../protocol/errors.js';
import type { ReplyCapturePort } from '../studio.js';
import { suggestPatterns, suggestSrai } from './broaden-suggestions.js';
import { BotFilesSource } from './bot-files-source.js';
import { analyseCategories, isLiveTrainingFile } from './category-analysis.js';
import { planImport } from './category-import.js';
import { watchFiles, type WatchHandle } from './file-watcher.js';
import { categoryKey, type CategorySource, type LearnedCategory } from './learned-category.js';
import { liveTrainingFileText } from './live-training-file.js';
import { LiveTrainingStore, type StoreSnapshot } from './live-training-store.js';
import { readLocalPlatformCredentials } from './local-credentials.js';
import { PandorabotsClient, type ApiCredentials } from './pandorabots-client.js';
import { publishLearnedFile } from './publisher.js';
import { decideCategory } from './reply-decision.js';
import type { TrainingHost } from './training-host.js';
import { UndoHistory } from './undo-history.js';
import { WorkspaceBotCache, type OtherFiles } from './workspace-bots.js';
import { botWorkspace, LIVE_TRAINING_FILE_NAME, SOURCES_FILE_NAME, type BotWorkspaceFiles } from './workspace-files.js';
import { readPreferences, writePreferences } from './workspace-preferences.js';

export interface TrainingWorkspaceOptions {
  logger?: Logger;
  /**
   * Where a bot's files are on this machine, when they are (the embedded Platform's bots): captured patterns use
   * the bot's own substitutions even before its files were pulled through the API.
   */
  botDirectory?: (bot: string) => string | undefined;
  /** The data folder of Studio's own Platform (its API credentials are read there), when it runs one. */
  localPlatformDir?: () => string | undefined;
  now?: () => number;
  /** Watch workspace files for edits made outside Studio (default true once attached to a Studio). */
  watch?: boolean;
}

interface BotState {
  bot: string;
  files: BotWorkspaceFiles;
  store: LiveTrainingStore;
  undo: UndoHistory;
  models: WorkspaceBotCache;
  botFiles: BotFilesSource;
  analysis?: { stamp: string; version: number; findings: Map<string, TrainingCategory['findings']> };
  watcher?: WatchHandle;
  lastEmittedVersion?: number;
  publishing?: Promise<PublishResult>;
  publishAgain?: boolean;
  lastPublish?: { error: string; errors: TrainingDiagnostic[] };
}

/**
 * Studio's AIML workspace (issue 6): one folder per bot with its `pand_livetraining.aiml`. It captures each designer
 * reply as a category (the Studio's ReplyCapturePort), and serves the Training view: review and edit with the
 * engine's validation, conflicts with the bot's other files (pulled from the Platform), suggestions to broaden a
 * pattern, previews, undo, export, import, and publishing through the Platform's Pandorabots API.
 */
export class TrainingWorkspace implements ReplyCapturePort {
  private readonly states = new Map<string, BotState>();
  private readonly now: () => number;
  private readonly fallback: Bot = compileBot({}).bot;
  private host: TrainingHost | undefined;
  private closed = false;

  constructor(private readonly o: TrainingWorkspaceOptions = {}) {
    this.now = o.now ?? Date.now;
  }

  /** Connects the workspace to the Studio it serves (events, Platform, settings). */
  attach(host: TrainingHost): void {
    this.host = host;
  }

  close(): void {
    this.closed = true;
    for (const s of this.states.values()) s.watcher?.close();
  }

  // ---- capture -------------------------------------------------------------------------------------------------

  async captureReply({ bot, conversationId, message, captureThat, workspaceDir, messagesBefore }: Parameters<ReplyCapturePort['captureReply']>[0]): Promise<void> {
    if (message.author !== 'human') return; // only designer replies teach the bot
    const state = this.state(bot, workspaceDir);
    const before = await messagesBefore(message.seq);
    const decision = decideCategory(before, await this.normalizer(state), captureThat);
    if (!decision.capture) {
      this.o.logger?.info({ conversationId, seq: message.seq }, `reply not captured: ${decision.reason}`);
      return;
    }
    // Text content needs only & < > escaped; quotes stay readable in the file.
    const text = escapeXmlText(message.text.trim());
    const input = before.find((m) => m.seq === decision.inputSeq)?.text;
    const answered = botAnswerAfter(before, decision.inputSeq);
    const clientName = this.host?.conversationName(conversationId);
    const { after } = await state.store.update((categories) => {
      const key = categoryKey(decision);
      const existing = categories.get(key);
      const sameInput = existing?.source?.conversationId === conversationId && existing.source.inputSeq === decision.inputSeq;
      if (sameInput && existing.source!.replySeqs.includes(message.seq)) return; // captured already
      if (sameInput) {
        categories.set(key, {
          ...existing,
          template: `${existing.template} ${text}`,
          source: { ...existing.source!, replySeqs: [...existing.source!.replySeqs, message.seq], capturedAt: message.at },
        });
        return;
      }
      const source: CategorySource = { conversationId, inputSeq: decision.inputSeq, replySeqs: [message.seq], capturedAt: message.at };
      if (input !== undefined) source.input = input;
      if (clientName !== undefined) source.clientName = clientName;
      if (answered) source.before = answered;
      categories.set(key, { pattern: decision.pattern, that: decision.that, topic: decision.topic, template: text, source, state: 'new' });
    });
    this.changed(state, after);
    if ((await readPreferences(state.files.preferencesFile)).autoPublish && this.host) this.autoPublish(state);
  }

  // ---- the Training view ---------------------------------------------------------------------------------------

  async workspace(bot: string): Promise<TrainingWorkspaceView> {
    const state = this.state(bot);
    this.watch(state);
    const credentials = await this.credentials();
    let record = await state.botFiles.record();
    const platformUrl = this.host?.platform()?.url;
    const stale = record?.platformUrl !== undefined && platformUrl !== undefined && record.platformUrl !== platformUrl;
    if ((!record || stale) && credentials && state.botFiles.failure === undefined && !state.botFiles.isPulling) {
      // First look at this bot (or Studio now talks to another Platform): fetch its files so that conflicts and
      // previews see the real bot.
      record = (await state.botFiles.pull().catch(() => undefined)) ?? record;
    }
    const snapshot = await state.store.snapshot();
    const other = await state.botFiles.files();
    const findings = this.findings(state, snapshot, other);
    const prefs = await readPreferences(state.files.preferencesFile);
    const view: TrainingWorkspaceView = {
      bot,
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

  validate(field: CategoryField, text: string): { diagnostics: TrainingDiagnostic[] } {
    return { diagnostics: validateCategoryField(field, text) };
  }

  async update(bot: string, id: string, fields: CategoryFields): Promise<{ id: string }> {
    const state = this.state(bot);
    const next: LearnedCategory = { pattern: tidyPattern(fields.pattern), that: tidyPattern(fields.that) || '*', topic: tidyPattern(fields.topic) || '*', template: fields.template.trim() };
    const problems = (['pattern', 'that', 'topic', 'template'] as CategoryField[]).flatMap((f) =>
      validateCategoryField(f, next[f])
        .filter((d) => d.severity === 'error')
        .map((d) => ({ ...d, file: f })),
    );
    if (problems.length > 0) {
      throw new AppError('invalid_category', `Not saved: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`, { details: { diagnostics: problems } });
    }
    const newKey = categoryKey(next);
    const { before, after } = await state.store.update((categories) => {
      const old = categories.get(id);
      if (!old) throw new AppError('not_found', 'This category is no longer in the workspace (it changed outside Studio?): the list is refreshed.');
      if (newKey !== id && categories.has(newKey)) {
        throw new AppError('duplicate_category', `Another category already has pattern ${next.pattern}, that ${next.that} and topic ${next.topic}: edit or remove that one instead.`);
      }
      categories.delete(id);
      const edited: LearnedCategory = { ...next, state: 'reviewed' };
      if (old.source) edited.source = old.source;
      categories.set(newKey, edited);
    });
    state.undo.record(`Edit of ${next.pattern}`, before, mapOf(after.categories));
    this.changed(state, after);
    return { id: newKey };
  }

  async remove(bot: string, ids: string[]): Promise<{ removed: number }> {
    const state = this.state(bot);
    const { before, after, result } = await state.store.update((categories) => {
      const gone: LearnedCategory[] = [];
      for (const id of ids) {
        const c = categories.get(id);
        if (c && categories.delete(id)) gone.push(c);
      }
      return gone;
    });
    if (result.length > 0) state.undo.record(result.length === 1 ? `Removal of ${result[0]!.pattern}` : `Removal of ${result.length} categories`, before, mapOf(after.categories));
    this.changed(state, after);
    return { removed: result.length };
  }

  async review(bot: string, ids: string[], reviewed: boolean): Promise<{ changed: number }> {
    const state = this.state(bot);
    const target = reviewed ? 'reviewed' : 'new';
    const { before, after, result } = await state.store.update((categories) => {
      let n = 0;
      for (const id of ids) {
        const c = categories.get(id);
        if (!c || (c.state ?? 'new') === target) continue;
        categories.set(id, { ...c, state: target });
        n++;
      }
      return n;
    });
    if (result > 0) state.undo.record(`${reviewed ? 'Marked reviewed' : 'Marked new'}: ${result === 1 ? before.get(ids.find((i) => before.has(i))!)!.pattern : `${result} categories`}`, before, mapOf(after.categories));
    this.changed(state, after);
    return { changed: result };
  }

  async undo(bot: string): Promise<{ undone?: string }> {
    const state = this.state(bot);
    const step = state.undo.pop();
    if (!step) return {};
    try {
      const { after } = await state.store.update((categories) => UndoHistory.apply(step, categories));
      this.changed(state, after);
    } catch (error) {
      state.undo.push(step);
      throw error;
    }
    return { undone: step.label };
  }

  async suggest(bot: string, id: string): Promise<{ patterns: PatternSuggestion[]; srai: SraiSuggestion[] }> {
    const state = this.state(bot);
    const snapshot = await state.store.snapshot();
    const c = snapshot.categories.find((x) => categoryKey(x) === id);
    if (!c) throw new AppError('not_found', 'This category is no longer in the workspace.');
    const base = state.models.baseBot(await state.botFiles.files());
    return { patterns: suggestPatterns(base, c), srai: suggestSrai(base, c) };
  }

  async preview(bot: string, input: string, that?: string): Promise<PreviewResult> {
    const state = this.state(bot);
    const snapshot = await state.store.snapshot();
    const other = await state.botFiles.files();
    const { combined, withBotFiles } = state.models.bots(other, snapshot.categories, snapshot.version, () => readText(state.files.aimlFile));
    const options: { that?: string; now: number } = { now: this.now() };
    if (that?.trim()) options.that = that;
    const reply = combined.respond(combined.createSession(`studio-preview-${this.now()}`), input, options);
    return {
      text: reply.text,
      withBotFiles,
      sentences: reply.sentences.map((s) => {
        const file = s.match.file.slice(s.match.file.lastIndexOf('/') + 1);
        const answeredBy: PreviewResult['sentences'][number]['answeredBy'] = { pattern: s.match.pattern, that: s.match.that, topic: s.match.topic, file };
        if (s.match.line) answeredBy.line = s.match.line;
        return { input: s.input, text: s.text, answeredBy, learned: isLiveTrainingFile(s.match.file), defaultCategory: s.match.defaultCategory, srai: s.match.srai };
      }),
    };
  }

  async exportFile(bot: string): Promise<{ fileName: string; text?: string; savedTo?: string; cancelled?: boolean }> {
    const state = this.state(bot);
    const snapshot = await state.store.snapshot();
    const text = liveTrainingFileText(snapshot.categories, bot, new Date(this.now()));
    const saveFile = this.host?.saveFile;
    if (!saveFile) return { fileName: LIVE_TRAINING_FILE_NAME, text };
    const outcome = await saveFile.save({ suggestedName: LIVE_TRAINING_FILE_NAME, text, filters: [{ name: 'AIML', extensions: ['aiml'] }] });
    return outcome.saved ? { fileName: LIVE_TRAINING_FILE_NAME, savedTo: outcome.path } : { fileName: LIVE_TRAINING_FILE_NAME, cancelled: true };
  }

  async importFile(bot: string, fileName: string, text: string): Promise<{ added: number; unchanged: number; conflicts: ImportConflict[]; errors: TrainingDiagnostic[] }> {
    const state = this.state(bot);
    const shown = fileName.replace(/[^\w.-]/g, '_').slice(0, 120) || 'imported.aiml';
    const { before, after, result } = await state.store.update((categories) => {
      const plan = planImport(categories, shown, text);
      for (const c of plan.additions) categories.set(categoryKey(c), c);
      return plan;
    });
    if (result.additions.length > 0) state.undo.record(`Import of ${shown} (${result.additions.length} ${result.additions.length === 1 ? 'category' : 'categories'})`, before, mapOf(after.categories));
    this.changed(state, after);
    return { added: result.additions.length, unchanged: result.unchanged, conflicts: result.conflicts, errors: result.errors };
  }

  async refresh(bot: string): Promise<{ count: number }> {
    const state = this.state(bot);
    return { count: (await state.botFiles.pull()).files.length };
  }

  async publish(bot: string): Promise<PublishResult> {
    return this.publishQueued(this.state(bot));
  }

  async setAutoPublish(bot: string, enabled: boolean): Promise<Record<string, never>> {
    const state = this.state(bot);
    const prefs = await readPreferences(state.files.preferencesFile);
    await writePreferences(state.files.preferencesFile, { ...prefs, autoPublish: enabled });
    this.host?.emit({ type: 'training.changed', bot });
    return {};
  }

  setCredentials(credentials: ApiCredentials): Record<string, never> {
    const platform = this.host?.platform();
    if (!platform) throw new AppError('unconfigured', 'Studio is not connected to a Platform yet.');
    if (platform.embedded) throw new AppError('invalid_params', "Studio's own Platform needs no key: Studio reads it itself.");
    this.host!.saveCredentials(platform.url, credentials);
    for (const s of this.states.values()) {
      s.botFiles.forgetFailure();
      this.host!.emit({ type: 'training.changed', bot: s.bot });
    }
    return {};
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private state(bot: string, workspaceDir?: string): BotState {
    const dir = workspaceDir ?? this.host?.workspaceDir();
    if (!dir) throw new AppError('unconfigured', 'Studio has no workspace folder.');
    const files = botWorkspace(dir, bot);
    let state = this.states.get(files.aimlFile);
    if (!state) {
      state = {
        bot,
        files,
        store: new LiveTrainingStore({ bot, ...files, logger: this.o.logger, now: this.now }),
        undo: new UndoHistory(),
        models: new WorkspaceBotCache(bot),
        botFiles: new BotFilesSource({
          bot,
          platformFilesDir: files.platformFilesDir,
          localDir: () => this.o.botDirectory?.(bot),
          client: () => this.client(),
          platformUrl: () => this.host?.platform()?.url,
          now: this.now,
          onPullChange: () => this.host?.emit({ type: 'training.changed', bot }),
        }),
      };
      this.states.set(files.aimlFile, state);
    }
    return state;
  }

  private watch(state: BotState): void {
    if (state.watcher || this.closed || !this.host || this.o.watch === false) return;
    state.watcher = watchFiles(
      state.files.dir,
      [LIVE_TRAINING_FILE_NAME, SOURCES_FILE_NAME],
      () => {
        state.store.snapshot().then(
          (snapshot) => this.changed(state, snapshot),
          (error: unknown) => this.o.logger?.warn({ err: error, file: state.files.aimlFile }, 'could not read the workspace file after it changed'),
        );
      },
      150,
      (error) => this.o.logger?.warn({ err: error, dir: state.files.dir }, 'cannot watch the workspace folder: edits made outside Studio show up on the next refresh'),
    );
  }

  /** Tells the renderer when the categories (or the state of the file) changed since it was last told. */
  private changed(state: BotState, snapshot: StoreSnapshot): void {
    if (state.lastEmittedVersion === snapshot.version) return;
    state.lastEmittedVersion = snapshot.version;
    this.host?.emit({ type: 'training.changed', bot: state.bot });
  }

  private async credentials(): Promise<(ApiCredentials & { source: 'local' | 'saved' }) | undefined> {
    const platform = this.host?.platform();
    if (!platform) return undefined;
    if (platform.embedded) {
      const dir = this.o.localPlatformDir?.();
      const local = dir ? await readLocalPlatformCredentials(dir) : undefined;
      if (local) return { ...local, source: 'local' };
    }
    const saved = this.host!.savedCredentials(platform.url);
    return saved ? { ...saved, source: 'saved' } : undefined;
  }

  private async client(): Promise<PandorabotsClient> {
    const platform = this.host?.platform();
    if (!platform) throw new AppError('unconfigured', 'Studio is not connected to a Platform yet.');
    const credentials = await this.credentials();
    if (!credentials) {
      throw new AppError('credentials_missing', "Publishing needs the Platform's app id and user key: enter them under Publishing in the Training view.");
    }
    return new PandorabotsClient(platform.url, credentials);
  }

  private async normalizer(state: BotState): Promise<Bot> {
    try {
      const other = await state.botFiles.files();
      return other.real ? state.models.baseBot(other) : this.fallback;
    } catch (error) {
      this.o.logger?.warn({ err: error, bot: state.bot }, "could not read the bot's files; capturing with the default normalisation");
      return this.fallback;
    }
  }

  private findings(state: BotState, snapshot: StoreSnapshot, other: OtherFiles): Map<string, TrainingCategory['findings']> | undefined {
    if (!other.real) return undefined;
    if (state.analysis?.stamp === other.stamp && state.analysis.version === snapshot.version) return state.analysis.findings;
    const bots = state.models.bots(other, snapshot.categories, snapshot.version, () => readText(state.files.aimlFile));
    const findings = analyseCategories(bots, snapshot.categories);
    state.analysis = { stamp: other.stamp, version: snapshot.version, findings };
    return findings;
  }

  /** One publish at a time per bot; a request while one runs publishes once more after it (with what is new). */
  private publishQueued(state: BotState): Promise<PublishResult> {
    if (state.publishing) {
      state.publishAgain = true;
      return state.publishing;
    }
    const run = (async (): Promise<PublishResult> => {
      try {
        let result: PublishResult;
        do {
          state.publishAgain = false;
          result = await this.publishOnce(state);
        } while (state.publishAgain && result.published);
        return result;
      } finally {
        state.publishing = undefined;
      }
    })();
    state.publishing = run;
    return run;
  }

  private async publishOnce(state: BotState): Promise<PublishResult> {
    const bot = state.bot;
    const emitProgress = (phase: 'checking' | 'uploading' | 'verifying' | 'done' | 'failed', done: number, total: number) =>
      this.host?.emit({ type: 'training.progress', bot, phase, done, total });
    try {
      const client = await this.client();
      const snapshot = await state.store.snapshot();
      const record = await state.botFiles.record();
      const result = await publishLearnedFile({
        bot,
        categories: snapshot.categories,
        fileProblems: snapshot.problems,
        otherFiles: record ? (await state.botFiles.files()).files : undefined,
        client,
        now: new Date(this.now()),
        progress: emitProgress,
      });
      if (result.published) {
        state.lastPublish = undefined;
        const prefs = await readPreferences(state.files.preferencesFile);
        await writePreferences(state.files.preferencesFile, { ...prefs, lastPublishedAt: this.now() });
      } else {
        state.lastPublish = { error: result.message, errors: result.errors };
      }
      this.host?.emit({ type: 'training.changed', bot });
      return result;
    } catch (error) {
      emitProgress('failed', 0, 0);
      state.lastPublish = { error: describe(error), errors: [] };
      this.host?.emit({ type: 'training.changed', bot });
      throw error;
    }
  }

  private autoPublish(state: BotState): void {
    this.publishQueued(state).then(
      (result) => {
        if (!result.published) this.o.logger?.warn({ bot: state.bot, errors: result.errors.slice(0, 5) }, `auto-publish failed: ${result.message}`);
      },
      (error: unknown) => this.o.logger?.warn({ err: error, bot: state.bot }, 'auto-publish failed'),
    );
  }
}

/** The bot's answer to the user's input, when it answered before the designer did (what the input matched then). */
function botAnswerAfter(before: Message[], inputSeq: number): CategorySource['before'] | undefined {
  const reply = before.find((m) => m.seq > inputSeq && m.author === 'bot' && m.match && m.match.length > 0);
  const m = reply?.match?.at(-1);
  if (!m) return undefined;
  return { pattern: m.pattern, that: m.that, topic: m.topic, file: m.file.slice(m.file.lastIndexOf('/') + 1), defaultCategory: m.defaultCategory };
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

function mapOf(categories: LearnedCategory[]): Map<string, LearnedCategory> {
  return new Map(categories.map((c) => [categoryKey(c), c]));
}

/** Patterns as the matcher reads them: words upper case, single spaces; markup (`<set>name</set>`) left as typed. */
export function tidyPattern(text: string): string {
  return text
    .split(/(<[^>]*>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.toUpperCase()))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

