import { serializeCategories, type ValidatedFieldCache } from '../../aiml/index.js';
import type { LearnedCategory } from './learned-category.js';

/**
 * The text of a bot's `pand_livetraining.aiml`, written by the engine's category writer (which validates every
 * field and throws InvalidCategoryError naming each invalid one). That and topic are always written, also as `*`,
 * so the file says plainly what each category depends on; the header names the bot and the time.
 */
export function liveTrainingFileText(categories: readonly LearnedCategory[], botName: string, writtenAt: Date, validated?: ValidatedFieldCache): string {
  const specs = categories.map((c) => ({ pattern: c.pattern, that: c.that || '*', topic: c.topic || '*', template: c.template }));
  return serializeCategories(specs, { botName, generatedAt: writtenAt }, validated ? { validated } : {});
}

/** Categories written per turn of the event loop: a few milliseconds each. */
const CHUNK = 250;
const FOOTER = '</aiml>\n';

/**
 * The same text, built a chunk at a time with a turn of the event loop between chunks, so that rewriting the file of
 * a bot with 10,000 learned categories (40-80 ms at once, measured by bench:training-mirror) never holds Studio's main
 * process that long. Same writer, same order (by pattern, that and topic, as it sorts); a later category with the same
 * key replaces an earlier one, as in one call.
 */
export async function liveTrainingFileTextInChunks(categories: readonly LearnedCategory[], botName: string, writtenAt: Date, validated?: ValidatedFieldCache): Promise<string> {
  const byKey = new Map<string, { pattern: string; that: string; topic: string; template: string }>();
  for (const c of categories) {
    const spec = { pattern: c.pattern, that: c.that || '*', topic: c.topic || '*', template: c.template };
    byKey.set(`${spec.pattern}\u0000${spec.that}\u0000${spec.topic}`, spec);
  }
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const options = validated ? { validated } : {};
  const header = serializeCategories([], { botName, generatedAt: writtenAt });
  const parts = [header.slice(0, header.length - FOOTER.length)];
  const bodyStart = serializeCategories([]).length - FOOTER.length;
  for (let i = 0; i < keys.length; i += CHUNK) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const chunk = serializeCategories(
      keys.slice(i, i + CHUNK).map((k) => byKey.get(k)!),
      undefined,
      options,
    );
    parts.push(chunk.slice(bodyStart, chunk.length - FOOTER.length));
  }
  parts.push(FOOTER);
  return parts.join('');
}
