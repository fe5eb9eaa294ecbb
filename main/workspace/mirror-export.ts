import type { LearnedCategory as PlatformCategory } from '../../protocol/learned.js';
import type { BotWorkspace } from './bot-workspaces.js';
import { categoryKey, type LearnedCategory } from './learned-category.js';
import type { StoreSnapshot } from './live-training-store.js';

/**
 * The workspace's `pand_livetraining.aiml` is the mirror's approved categories (what the bot uses): written after
 * every change of the mirror, so exporting, publishing to another Pandorabots-compatible server, the conflict
 * checks and the preview all read the same categories the Platform serves.
 */
export async function exportMirror(state: BotWorkspace): Promise<StoreSnapshot> {
  await state.learning.mirror.load();
  const revision = state.learning.mirror.revision;
  if (state.exportedRevision === revision) return state.store.snapshot();
  // A turn of the event loop of its own: the mirror's own save ran just before, in the same task otherwise.
  await new Promise((resolve) => setImmediate(resolve));
  const approved = state.learning.mirror.all().filter((c) => c.status === 'approved');
  const { after } = await state.store.update((categories) => {
    const wanted = new Map(approved.map((c) => converted(state, c)));
    for (const key of [...categories.keys()]) if (!wanted.has(key)) categories.delete(key);
    for (const [key, c] of wanted) {
      const had = categories.get(key);
      if (!had || had.template !== c.template || had.state !== c.state || had.source?.capturedAt !== c.source?.capturedAt) categories.set(key, c);
    }
  });
  state.exportedRevision = revision;
  return after;
}

/**
 * Each category's key and workspace form, kept per id and version: computing the key normalises three patterns,
 * which for 10,000 categories on every change was most of the time Studio's main process was held.
 */
const conversions = new WeakMap<BotWorkspace, Map<string, { version: number; entry: [string, LearnedCategory] }>>();

function converted(state: BotWorkspace, c: PlatformCategory): [string, LearnedCategory] {
  let cache = conversions.get(state);
  if (!cache) conversions.set(state, (cache = new Map()));
  const hit = cache.get(c.id);
  if (hit?.version === c.version) return hit.entry;
  const entry: [string, LearnedCategory] = [categoryKey(c), toWorkspaceCategory(c)];
  cache.set(c.id, { version: c.version, entry });
  return entry;
}

/** A Platform category as the workspace's file and its checks know categories. */
export function toWorkspaceCategory(c: PlatformCategory): LearnedCategory {
  const category: LearnedCategory = { pattern: c.pattern, that: c.that || '*', topic: c.topic || '*', template: c.template, state: c.version > 1 ? 'reviewed' : 'new' };
  if (c.source) {
    category.source = {
      conversationId: c.source.conversationId,
      inputSeq: c.source.inputSeq,
      replySeqs: [c.source.replySeq],
      capturedAt: c.createdAt,
      input: c.source.input,
      clientName: c.source.clientName,
    };
  }
  return category;
}
