import type { PatternSuggestion, PreviewResult, SraiSuggestion } from '../../protocol/training.js';
import { AppError } from '../../protocol/errors.js';
import { suggestPatterns, suggestSrai } from './broaden-suggestions.js';
import { learnedFileText, type BotWorkspace } from './bot-workspaces.js';
import { isLiveTrainingFile } from './category-analysis.js';
import { exportMirror, toWorkspaceCategory } from './mirror-export.js';

/**
 * Trying learned categories before they are published: what the bot (its other files plus the learned file) would
 * answer to an input, sentence by sentence with the category that answered, and ways to broaden a pattern.
 */
export class CategoryPreview {
  constructor(private readonly now: () => number) {}

  async suggest(state: BotWorkspace, id: string): Promise<{ patterns: PatternSuggestion[]; srai: SraiSuggestion[] }> {
    await state.learning.mirror.load();
    const learned = state.learning.mirror.get(id);
    if (!learned) throw new AppError('not_found', 'This category is no longer in the workspace.');
    const c = toWorkspaceCategory(learned);
    const base = state.models.baseBot(await state.botFiles.files());
    return { patterns: suggestPatterns(base, c), srai: suggestSrai(base, c) };
  }

  /**
   * What the live bot answers: its other files plus the approved learned categories (the workspace file, written
   * from the mirror); with `includeDrafts`, as it would once the drafts are approved too.
   */
  async preview(state: BotWorkspace, input: string, that?: string, includeDrafts = false): Promise<PreviewResult> {
    const snapshot = await exportMirror(state);
    const other = await state.botFiles.files();
    const { combined, withBotFiles } = includeDrafts
      ? state.draftModels.bots(other, state.learning.mirror.all().map(toWorkspaceCategory), state.learning.mirror.revision, () => undefined)
      : state.models.bots(other, snapshot.categories, snapshot.version, () => learnedFileText(state));
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
}
