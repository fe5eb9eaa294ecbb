import { validateCategoryField, type CategoryField } from '../../aiml/index.js';
import type { LearnedFields } from '../../protocol/learned.js';
import { LearnedErrors } from './learned-errors.js';

const FIELD_NAMES: Record<CategoryField, string> = { pattern: 'pattern', that: '"only after" context', topic: 'topic', template: 'answer' };

/**
 * Refuses a category that would not compile or not fit in `pand_livetraining.aiml`, with the engine's words for what
 * is wrong and where: the bot keeps its last good version because nothing is stored.
 */
export function checkFields(fields: LearnedFields): void {
  for (const field of ['pattern', 'that', 'topic', 'template'] as const) {
    const errors = validateCategoryField(field, fields[field]).filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      throw LearnedErrors.invalid(`The ${FIELD_NAMES[field]} is not valid AIML: ${errors.map((d) => d.message).join('; ')}. Nothing was changed.`, errors);
    }
  }
}

export function sameKey(a: LearnedFields, b: LearnedFields): boolean {
  return a.pattern === b.pattern && a.that === b.that && a.topic === b.topic;
}
