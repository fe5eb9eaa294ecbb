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
