import type { ValidatedFieldCache} from '../../aiml/index.js';
import { serializeCategories, type CategorySpec } from '../../aiml/index.js';

/** Categories serialised per turn of the event loop: a few milliseconds each, so no reply waits for the file. */
const CHUNK = 250;
const FOOTER = '</aiml>\n';

/**
 * `pand_livetraining.aiml`'s text for a bot's approved categories, built in chunks with a turn of the event loop
 * between them (10,000 categories at once held the loop for 100-450 ms here). The same category writer as everywhere
 * (valid AIML 2.0, fields checked), in a deterministic order: by pattern, that and topic.
 */
export async function learnedFileText(bot: string, specs: readonly CategorySpec[], validated: ValidatedFieldCache): Promise<string> {
  const keyed = specs.map((c) => ({ key: `${c.pattern}\u0000${c.that ?? '*'}\u0000${c.topic ?? '*'}`, c }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = keyed.map((k) => k.c);
  const empty = serializeCategories([], { botName: bot, generatedAt: new Date(0) });
  const parts = [empty.slice(0, empty.length - FOOTER.length)];
  const bodyStart = serializeCategories([]).length - FOOTER.length;
  for (let i = 0; i < sorted.length; i += CHUNK) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    const chunk = serializeCategories(sorted.slice(i, i + CHUNK), undefined, { validated });
    parts.push(chunk.slice(bodyStart, chunk.length - FOOTER.length));
  }
  parts.push(FOOTER);
  return parts.join('');
}
