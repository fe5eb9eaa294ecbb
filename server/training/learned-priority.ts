import type { Bot } from '../../aiml/index.js';
import { keyOfDisplay, LearnedLayer } from '../../aiml/learned/index.js';
import type { LearnedFields, LearnedPriority } from '../../protocol/learned.js';

/** A learned category's fields with the input it was learned from, and the priority it was given before (if any). */
export interface PriorityCandidate extends LearnedFields {
  /** The user's input as typed (`source.input`): what the category must answer. */
  input?: string | undefined;
  priorityOver?: LearnedPriority | undefined;
}

export interface PriorityOutcome {
  fields: LearnedFields;
  /** Set when the first word was marked `$` so that the category beats this one of the bot's categories. */
  priorityOver?: LearnedPriority;
}

/** Pattern tokens a `$` cannot mark: wildcards, markup (sets, bot properties), a word marked already. */
const UNMARKABLE = /^[*_^#$<]/;

/**
 * Makes a learned category answer the input it was learned from. A category of the bot with a higher priority at some
 * word (ALICE's `_ HAS LIVED` against a captured `I HAVE LIVED IN LYON`) takes that input first, so the designer's
 * answer would never be heard: then the first word gets AIML 2.0's `$` marker, which outranks every other kind of
 * token at that position, and the category records which one it was given priority over. A category that answers its
 * input without it is left as it is, so a `$` is only ever added where it changes the answer.
 *
 * `base` is the bot without its learned categories (the registry's learned layer's base): learned categories with the
 * same key are replaced, and learned categories do not compete with each other through a marker.
 */
export function prioritise(base: Bot | undefined, c: PriorityCandidate): PriorityOutcome {
  const fields: LearnedFields = { pattern: c.pattern, that: c.that, topic: c.topic, template: c.template };
  const input = c.input?.trim();
  const ctx = contextOf(c);
  if (!base || !input || !ctx) return { fields };
  // A `$` this Platform added earlier is taken off first: an edit or broaden may no longer need it.
  const plain = c.priorityOver !== undefined && fields.pattern.startsWith('$') ? { ...fields, pattern: fields.pattern.slice(1) } : fields;
  const winner = answerOf(base, plain, input, ctx);
  if (winner === 'self' || winner === undefined) return { fields: plain };
  const marked = markFirstWord(plain.pattern);
  if (marked === undefined) return { fields: plain };
  const markedFields = { ...plain, pattern: marked };
  if (answerOf(base, markedFields, input, ctx) !== 'self') return { fields: plain };
  return { fields: markedFields, priorityOver: winner };
}

/** The pattern with `$` on its first token, or undefined when that token cannot take it. */
export function markFirstWord(pattern: string): string | undefined {
  const trimmed = pattern.trim();
  const first = trimmed.split(/\s+/)[0] ?? '';
  if (first === '' || UNMARKABLE.test(first)) return undefined;
  return `$${trimmed}`;
}

/** The that/topic an input is asked in, for matching; undefined when they are patterns no sample can stand for. */
function contextOf(c: LearnedFields): { that?: string; topic?: string } | undefined {
  const ctx: { that?: string; topic?: string } = {};
  for (const field of ['that', 'topic'] as const) {
    const value = c[field].trim();
    if (value === '*' || value === '') continue;
    if (/[*_^#$<]/.test(value)) return undefined;
    ctx[field] = value;
  }
  return ctx;
}

/**
 * Which category answers `input` once `fields` is put on top of `base` (a throwaway layer: the bot that answers users
 * is not touched): 'self', another category, or undefined when the category does not compile or nothing matches.
 */
function answerOf(base: Bot, fields: LearnedFields, input: string, ctx: { that?: string; topic?: string }): 'self' | LearnedPriority | undefined {
  const layer = LearnedLayer.on(base);
  const put = layer.put({ pattern: fields.pattern, template: fields.template, ...(fields.that !== '*' ? { that: fields.that } : {}), ...(fields.topic !== '*' ? { topic: fields.topic } : {}) });
  if (!put.ok) return undefined;
  const meta = layer.bot.explain(input, ctx);
  if (!meta) return undefined;
  // The category the sentence itself matched (before any srai it may follow).
  const m = meta.matched ?? meta;
  if (keyOfDisplay(m.pattern, m.that, m.topic) === put.key) return 'self';
  return { pattern: m.pattern, that: m.that, topic: m.topic, file: m.file, ...(m.line !== undefined ? { line: m.line } : {}) };
}
