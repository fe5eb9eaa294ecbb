/**
 * One learned category, compiled against a base bot exactly as the loader compiles a category of
 * `pand_livetraining.aiml`: the same XML parser, the same readCategory, the same pattern tokens (so "what's" in a
 * pattern is WHATS to both), the base bot's properties for `<bot name>` in patterns and its sets.
 */
import { readCategory, toCategory } from '../aiml-reader.js';
import type { BotData } from '../bot-data.js';
import { LIVE_TRAINING_FILE } from '../bot-properties.js';
import type { Category, PatternToken } from '../category.js';
import { tokenKind, tokenValue } from '../category.js';
import { validateCategoryField, type CategoryField, type CategorySpec } from '../category-writer.js';
import type { AimlDiagnostic } from '../types.js';
import { parseXml } from '../xml.js';

/** What went wrong with one field of a category: diagnostics placed in that field's text (file = the field's name). */
export interface LearnedCategoryProblem {
  field: CategoryField;
  diagnostics: AimlDiagnostic[];
}

/** Where learned categories say they come from (MatchMeta.file, CategoryInfo.file), as if loaded from the bot's file. */
export const LEARNED_FILE_PATH = `aiml/${LIVE_TRAINING_FILE}`;

export interface CompiledLearnedCategory {
  /** The engine's identity of the category: pattern, that and topic as MatchMeta writes them, joined by NUL. */
  key: string;
  spec: CategorySpec;
  category: Category;
  pattern: PatternToken[];
  that: PatternToken[] | undefined;
  topic: PatternToken[] | undefined;
  /** Problems that do not stop it (a set the bot does not have: that pattern matches nothing). */
  warnings: AimlDiagnostic[];
}

export type CompileLearnedOutcome = { ok: true; compiled: CompiledLearnedCategory } | { ok: false; problems: LearnedCategoryProblem[] };

/** The key of a category whose pattern, that and topic are given as MatchMeta or CategoryInfo write them. */
export function keyOfDisplay(pattern: string, that = '*', topic = '*'): string {
  return `${pattern}\u0000${that}\u0000${topic}`;
}

function fieldsOf(spec: CategorySpec): Array<[CategoryField, string]> {
  const fields: Array<[CategoryField, string]> = [['pattern', spec.pattern]];
  if (spec.that !== undefined) fields.push(['that', spec.that]);
  if (spec.topic !== undefined) fields.push(['topic', spec.topic]);
  fields.push(['template', spec.template]);
  return fields;
}

function categoryXml(spec: CategorySpec): { xml: string; templateStart: number } {
  let xml = `<category><pattern>${spec.pattern.trim()}</pattern>`;
  if (spec.that !== undefined) xml += `<that>${spec.that.trim()}</that>`;
  if (spec.topic !== undefined) xml += `<topic>${spec.topic.trim()}</topic>`;
  xml += '<template>';
  const templateStart = xml.length;
  return { xml: `${xml}${spec.template}</template></category>`, templateStart };
}

/**
 * Compiles a learned category for `data`'s bot. A field that the category writer would refuse (it could not be
 * written into `pand_livetraining.aiml`) or that the engine cannot compile is a problem: nothing is returned then.
 */
export function compileLearnedCategory(data: BotData, spec: CategorySpec): CompileLearnedOutcome {
  const problems: LearnedCategoryProblem[] = [];
  for (const [field, text] of fieldsOf(spec)) {
    if (typeof text !== 'string') {
      problems.push({ field, diagnostics: [{ file: field, line: 0, column: 0, message: `the ${field} must be text`, severity: 'error' }] });
      continue;
    }
    const errors = validateCategoryField(field, text).filter((d) => d.severity === 'error');
    if (errors.length > 0) problems.push({ field, diagnostics: errors });
  }
  if (problems.length > 0) return { ok: false, problems };

  const { xml, templateStart } = categoryXml(spec);
  const doc = parseXml(xml);
  const errors: AimlDiagnostic[] = [];
  const warnings: AimlDiagnostic[] = [];
  const read =
    doc.root &&
    !doc.hasErrors &&
    readCategory(doc.root, undefined, { property: (n) => data.properties.get(n) }, (offset, message, severity) => {
      // The validators place problems in the field; what only the engine finds is placed in the template.
      const column = Math.max(1, offset - templateStart + 1);
      (severity === 'error' ? errors : warnings).push({ file: 'template', line: 1, column, message, severity });
    });
  if (!read || errors.length > 0) {
    return { ok: false, problems: [{ field: 'template', diagnostics: errors.length > 0 ? errors : [{ file: 'template', line: 1, column: 1, message: 'the category could not be compiled', severity: 'error' }] }] };
  }
  for (const tokens of [read.pattern, read.that, read.topic]) {
    for (const t of tokens ?? []) {
      if (tokenKind(t) === 'set' && data.resolveSet(tokenValue(t)) === undefined) {
        const name = tokenValue(t);
        warnings.push({ file: 'pattern', line: 1, column: 1, message: `the bot has no set '${name}' (no sets/${name}.set): patterns using it match nothing`, severity: 'warning' });
      }
    }
  }
  const category = toCategory(read, LEARNED_FILE_PATH, 0, xml, 'file');
  return {
    ok: true,
    compiled: { key: keyOfDisplay(category.pattern, category.that, category.topic), spec, category, pattern: read.pattern, that: read.that, topic: read.topic, warnings },
  };
}

/**
 * The key of the category a pattern, that and topic name (as a designer or the category writer writes them:
 * "what's *" and "WHATS *" are the same category), or the problems of those fields.
 */
export function learnedKey(data: BotData, ref: { pattern: string; that?: string; topic?: string }): { ok: true; key: string } | { ok: false; problems: LearnedCategoryProblem[] } {
  const outcome = compileLearnedCategory(data, { ...ref, template: '' });
  return outcome.ok ? { ok: true, key: outcome.compiled.key } : outcome;
}
