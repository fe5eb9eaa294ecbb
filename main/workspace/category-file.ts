import { validatePattern, validateTemplate, type AimlDiagnostic } from '../../aiml/index.js';
import { categoryKey, normalisePattern } from './learned-category.js';

export interface CategoryParts {
  pattern: string;
  that: string;
  topic: string;
  template: string;
}

export type CategoryField = 'pattern' | 'that' | 'topic' | 'template';

/** A category that cannot be written, with every problem of every field. */
export class InvalidCategoryError extends Error {
  constructor(readonly problems: { index: number; pattern: string; field: CategoryField; diagnostics: AimlDiagnostic[] }[]) {
    super(
      `cannot write invalid categories:\n${problems
        .slice(0, 20)
        .map((p) => `category ${p.index + 1} (${JSON.stringify(p.pattern)}): ${p.field}: ${p.diagnostics.map((d) => d.message).join('; ')}`)
        .join('\n')}${problems.length > 20 ? `\n… and ${problems.length - 20} more` : ''}`,
    );
    this.name = 'InvalidCategoryError';
  }
}

// XML 1.0 forbids these characters anywhere; the engine's fragment parser lets them through.
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Every problem of one field, by the AIML engine's own validators plus the few things an XML file may not contain
 * that a fragment check cannot see (control characters, a DOCTYPE or an XML declaration inside content, `]]>`
 * outside CDATA). Errors make a category unwritable; warnings are advice.
 */
export function fieldProblems(field: CategoryField, text: string): AimlDiagnostic[] {
  const diagnostics = field === 'template' ? validateTemplate(text) : validatePattern(text, field);
  const extra = (message: string) => diagnostics.push({ file: field, line: 1, column: 1, message, severity: 'error' });
  if (FORBIDDEN_CHARACTERS.test(text)) extra('contains a control character that XML does not allow');
  if (/<!DOCTYPE/i.test(text)) extra('a DOCTYPE cannot appear inside a category');
  if (/<\?xml/i.test(text)) extra('an XML declaration cannot appear inside a category');
  if (text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').includes(']]>')) extra("']]>' may only end a CDATA section: write ']]&gt;'");
  return diagnostics;
}

/**
 * Remembers fields that passed validation, so that rewriting a large workspace after one capture re-checks only
 * what changed. Bounded: it forgets everything when it grows past `limit` entries.
 */
export class ValidatedFields {
  private readonly ok = new Set<string>();
  constructor(private readonly limit = 1_000_000) {}

  errors(field: CategoryField, text: string): AimlDiagnostic[] {
    const key = `${field}\u0000${text}`;
    if (this.ok.has(key)) return [];
    const errors = fieldProblems(field, text).filter((d) => d.severity === 'error');
    if (errors.length === 0) {
      if (this.ok.size >= this.limit) this.ok.clear();
      this.ok.add(key);
    }
    return errors;
  }
}

export interface FileHeader {
  botName: string;
  writtenAt: Date;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `pand_livetraining.aiml` from categories: valid AIML 2.0, UTF-8, one deterministic order (pattern, then that, then
 * topic; of two with the same key the later one given wins, as it would when loaded), a header comment naming the
 * bot and the time. The same categories always give the same bytes, apart from that time.
 *
 * Each field goes into the file exactly as the engine's validators accepted it: a field is well-formed XML
 * content (escaped text, AIML elements), so it is written as it is rather than rebuilt node by node. That is what
 * makes 100,000 categories take a second instead of the ten the engine's xmlbuilder2 writer needs; the engine's
 * `parseCategories` reads the result back to the same categories (tests/unit/workspace/category-file.test.ts).
 * Throws InvalidCategoryError naming every invalid field; nothing is written half-valid.
 */
export function writeCategoryFile(categories: readonly CategoryParts[], header: FileHeader, validated: ValidatedFields = new ValidatedFields()): string {
  const problems: ConstructorParameters<typeof InvalidCategoryError>[0] = [];
  const byKey = new Map<string, { sortKey: [string, string, string]; c: CategoryParts }>();
  categories.forEach((c, index) => {
    const parts: [CategoryField, string][] = [
      ['pattern', c.pattern],
      ['that', c.that || '*'],
      ['topic', c.topic || '*'],
      ['template', c.template],
    ];
    let valid = true;
    for (const [field, text] of parts) {
      const errors = validated.errors(field, text);
      if (errors.length > 0) {
        problems.push({ index, pattern: c.pattern, field, diagnostics: errors });
        valid = false;
      }
    }
    if (!valid) return;
    const key = categoryKey(c);
    byKey.delete(key); // the later one wins, and takes its place in the order of arrival
    byKey.set(key, { sortKey: [normalisePattern(c.pattern), normalisePattern(c.that || '*'), normalisePattern(c.topic || '*')], c });
  });
  if (problems.length > 0) throw new InvalidCategoryError(problems);

  const sorted = [...byKey.values()].sort((a, b) => cmp(a.sortKey[0], b.sortKey[0]) || cmp(a.sortKey[1], b.sortKey[1]) || cmp(a.sortKey[2], b.sortKey[2]));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n'];
  // "--" may not appear inside an XML comment; a bot name is letters and digits, an ISO time has single dashes.
  out.push(`  <!-- Live Training categories for bot ${header.botName.replace(/-{2,}/g, '-')}, written ${header.writtenAt.toISOString()} -->\n`);
  for (const { c } of sorted) {
    out.push('  <category>\n    <pattern>', c.pattern.trim(), '</pattern>\n');
    // that and topic are always written (also as `*`), so the file says plainly what each category depends on.
    out.push('    <that>', (c.that || '*').trim(), '</that>\n    <topic>', (c.topic || '*').trim(), '</topic>\n');
    out.push('    <template>', c.template, '</template>\n  </category>\n');
  }
  out.push('</aiml>\n');
  return out.join('');
}
