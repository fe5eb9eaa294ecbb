import { validatePattern, validateTemplate, type AimlDiagnostic } from '../../aiml/index.js';
import { categoryKey } from './learned-category.js';

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
  // One set per field, keyed by the text itself: no key strings to build for the hundred thousand lookups.
  private readonly ok: Record<CategoryField, Set<string>> = { pattern: new Set(), that: new Set(), topic: new Set(), template: new Set() };
  private size = 0;
  constructor(private readonly limit = 1_000_000) {}

  errors(field: CategoryField, text: string): AimlDiagnostic[] {
    const seen = this.ok[field];
    if (seen.has(text)) return [];
    const errors = fieldProblems(field, text).filter((d) => d.severity === 'error');
    if (errors.length === 0) {
      if (++this.size > this.limit) {
        for (const set of Object.values(this.ok)) set.clear();
        this.size = 1;
      }
      seen.add(text);
    }
    return errors;
  }
}

export interface FileHeader {
  botName: string;
  writtenAt: Date;
}

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
  const byKey = new Map<string, CategoryParts>();
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
    byKey.delete(key); // the later one wins
    byKey.set(key, c);
  });
  if (problems.length > 0) throw new InvalidCategoryError(problems);

  // The key is the normalised pattern, that and topic joined by NUL (which no field may contain), so one string
  // comparison orders by pattern, then that, then topic.
  const sorted = [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n'];
  // "--" may not appear inside an XML comment; a bot name is letters and digits, an ISO time has single dashes.
  out.push(`  <!-- Live Training categories for bot ${header.botName.replace(/-{2,}/g, '-')}, written ${header.writtenAt.toISOString()} -->\n`);
  for (const [, c] of sorted) {
    out.push('  <category>\n    <pattern>', c.pattern.trim(), '</pattern>\n');
    // that and topic are always written (also as `*`), so the file says plainly what each category depends on.
    out.push('    <that>', (c.that || '*').trim(), '</that>\n    <topic>', (c.topic || '*').trim(), '</topic>\n');
    out.push('    <template>', c.template, '</template>\n  </category>\n');
  }
  out.push('</aiml>\n');
  return out.join('');
}
