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
  const mirror = state.learning.mirror;
  const index = indexOf(state);
  let after: StoreSnapshot;
  try {
    ({ after } = await state.store.update((categories, from) => {
      const changes = mirror.takeChanges();
      // A file read from disk (first, or edited outside Studio) is compared in full: it may differ anywhere.
      if (changes.all || index.duplicates || from.reread) exportAll(state, categories, index);
      else for (const id of changes.ids) exportOne(state, categories, index, id);
    }));
  } catch (error) {
    mirror.forgetChanges();
    throw error;
  }
  state.exportedRevision = revision;
  return after;
}

/** Which mirror category each key of the learned file is from, and back: what lets one change update one entry. */
interface ExportIndex {
  keyOf: Map<string, string>;
  idOf: Map<string, string>;
  /** Two approved categories with one key (the later wins, as in the file): such a bot is always compared in full. */
  duplicates: boolean;
}

const indexes = new WeakMap<BotWorkspace, ExportIndex>();

function indexOf(state: BotWorkspace): ExportIndex {
  let index = indexes.get(state);
  if (!index) indexes.set(state, (index = { keyOf: new Map(), idOf: new Map(), duplicates: false }));
  return index;
}

/** Every approved category of the mirror into the file's categories (after a load, a full list or a failure). */
function exportAll(state: BotWorkspace, categories: Map<string, LearnedCategory>, index: ExportIndex): void {
  index.keyOf.clear();
  index.idOf.clear();
  const wanted = new Map<string, LearnedCategory>();
  for (const c of state.learning.mirror.all()) {
    if (c.status !== 'approved') continue;
    const [key, category] = converted(state, c);
    wanted.set(key, category);
    index.keyOf.set(c.id, key);
    index.idOf.set(key, c.id);
  }
  index.duplicates = index.idOf.size !== index.keyOf.size;
  for (const key of [...categories.keys()]) if (!wanted.has(key)) categories.delete(key);
  for (const [key, c] of wanted) put(categories, key, c);
}

/** One changed (or removed) mirror category into the file's categories. */
function exportOne(state: BotWorkspace, categories: Map<string, LearnedCategory>, index: ExportIndex, id: string): void {
  const oldKey = index.keyOf.get(id);
  if (oldKey !== undefined) {
    index.keyOf.delete(id);
    if (index.idOf.get(oldKey) === id) {
      index.idOf.delete(oldKey);
      categories.delete(oldKey);
    }
  }
  const c = state.learning.mirror.get(id);
  if (!c || c.status !== 'approved') return;
  const [key, category] = converted(state, c);
  if (index.idOf.has(key)) index.duplicates = true;
  index.keyOf.set(id, key);
  index.idOf.set(key, id);
  put(categories, key, category);
}

/** Keeps the entry the file has when it says the same: an unchanged file is not written again. */
function put(categories: Map<string, LearnedCategory>, key: string, c: LearnedCategory): void {
  const had = categories.get(key);
  if (!had || had.template !== c.template || had.state !== c.state || had.source?.capturedAt !== c.source?.capturedAt) categories.set(key, c);
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
