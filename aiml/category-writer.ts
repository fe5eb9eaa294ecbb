/**
 * Reading and writing the categories of `pand_livetraining.aiml` (Studio's workspace file, also what Studio
 * publishes), plus the live validators Studio runs while a designer edits a pattern or a template.
 *
 * Output is valid AIML 2.0 in UTF-8, in a deterministic order: duplicates (same pattern, that and topic) collapse
 * to the last one given, as they would when the file is loaded, then the categories are sorted by pattern, that
 * and topic. The same categories always give the same bytes.
 *
 * Why the writer does not build the document node by node (with xmlbuilder2, as it once did): a field is
 * well-formed XML content once the validators accept it, so it goes into the file exactly as written. That turns
 * 100,000 categories from about ten seconds into about one, inside issue 6's budget of two. What makes verbatim
 * safe is the validators: a field must parse as one fragment with no error (so it cannot close its element or open
 * another), and they refuse what the engine's forgiving parser lets through but an XML file cannot hold (control
 * characters, a DOCTYPE or processing instruction, `]]>` outside CDATA, `--` in a comment, names XML does not
 * allow). tests/unit/aiml/category-writer.test.ts checks the output against xmlbuilder2's serialisation.
 *
 * Parsing never resolves external entities or DTDs (the engine's own parser knows none).
 */
import { MAX_PATTERN_TOKENS, patternTokens, readAimlRoot } from './aiml-reader.js';
import { AIML_TEMPLATE_ELEMENTS, PASS_THROUGH_ELEMENTS, TemplateCompiler } from './template-compiler.js';
import type { AimlDiagnostic } from './types.js';
import { LineIndex, parseXml, type XmlElement, type XmlNode } from './xml.js';

export interface CategorySpec {
  /** Pattern text; may contain <set>NAME</set> and <bot name="x"/> markup. */
  pattern: string;
  /** Written only when given (`*` is written as `<that>*</that>`). */
  that?: string;
  topic?: string;
  /** AIML template XML content (text must already be escaped, see escapeTemplateText). */
  template: string;
}

export interface ParsedCategory extends CategorySpec {
  /** 1-based line of the <category> start tag. */
  line: number;
}

export interface WriterHeader {
  botName?: string;
  generatedAt?: Date;
}

export type CategoryField = 'pattern' | 'that' | 'topic' | 'template';

/** Every problem of one field of one category given to the writer. */
export interface CategoryProblem {
  /** Position of the category in the list given to the writer (0-based). */
  index: number;
  pattern: string;
  field: CategoryField;
  /** The errors only: warnings never stop a write. */
  diagnostics: AimlDiagnostic[];
}

const MESSAGE_LINES = 20;

/** Thrown by serializeCategories when any field is invalid: lists every invalid field, and nothing is written. */
export class InvalidCategoryError extends Error {
  constructor(readonly problems: CategoryProblem[]) {
    const lines = problems
      .slice(0, MESSAGE_LINES)
      .map((p) => `category ${p.index + 1} (${JSON.stringify(p.pattern)}): ${p.field}: ${p.diagnostics.map((d) => d.message).join('; ')}`);
    const more = problems.length > MESSAGE_LINES ? `\n… and ${problems.length - MESSAGE_LINES} more` : '';
    super(`cannot write invalid categories:\n${lines.join('\n')}${more}`);
    this.name = 'InvalidCategoryError';
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes plain text (a designer's reply) for use as template content: & < > " ' become entities. */
export function escapeTemplateText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function fragmentDiagnostic(file: string, source: string, offset: number, message: string, severity: 'error' | 'warning'): AimlDiagnostic {
  const { line, column } = new LineIndex(source).position(Math.min(offset, source.length));
  return { file, line, column, message, severity };
}

// XML 1.0 allows tab, line feed, carriage return and everything from space up, except the surrogate block and
// U+FFFE/U+FFFF. A lone surrogate cannot be encoded as UTF-8 at all: it would be written as U+FFFD.
const NOT_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CHARACTER_REFERENCE = /&#(x[0-9a-fA-F]+|[0-9]+);/g;
// The XML 1.0 Name production (the engine's parser takes any run of non-delimiters as a name).
const NAME_START = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*$`);
const COMMENT_OR_CDATA = /<!\[CDATA\[[\s\S]*?\]\]>|<!--([\s\S]*?)-->/g;

function isXmlCharacter(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * What a well-formed fragment may still hold that no XML file can: the engine's parser is forgiving on purpose
 * (a bot file with a stray DOCTYPE still loads), but a field written verbatim into a file must be strict XML.
 */
function xmlContentProblems(text: string, report: (offset: number, message: string) => void): void {
  const bad = NOT_XML_CHARACTER.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    const kind = code < 0x20 ? 'a control character' : code >= 0xd800 && code <= 0xdfff ? 'a broken character (half of an emoji?)' : 'a character';
    report(bad.index, `contains ${kind} that XML does not allow (U+${code.toString(16).toUpperCase().padStart(4, '0')})`);
  }
  // Most fields are plain text or simple elements: skip the scan below for them.
  if (text.indexOf('<!') === -1 && text.indexOf('<?') === -1 && text.indexOf(']]>') === -1 && text.indexOf('&#') === -1) return;
  // Markup outside comments and CDATA sections, with those blanked out so offsets stay the same.
  const markup = text.replace(COMMENT_OR_CDATA, (whole: string, comment: string | undefined, offset: number) => {
    if (comment !== undefined && (comment.includes('--') || comment.endsWith('-'))) report(offset, "a comment may not contain '--' or end with '-'");
    return ' '.repeat(whole.length);
  });
  const doctype = markup.search(/<!DOCTYPE/i);
  if (doctype !== -1) report(doctype, 'a DOCTYPE cannot appear inside a category');
  const instruction = markup.indexOf('<?');
  if (instruction !== -1) report(instruction, 'an XML declaration or processing instruction (<?...?>) cannot appear inside a category');
  const cdataEnd = markup.indexOf(']]>');
  if (cdataEnd !== -1) report(cdataEnd, "']]>' may only end a CDATA section: write ']]&gt;'");
  for (const ref of markup.matchAll(CHARACTER_REFERENCE)) {
    const digits = ref[1]!;
    const code = digits[0] === 'x' ? parseInt(digits.slice(1), 16) : parseInt(digits, 10);
    if (!isXmlCharacter(code)) report(ref.index!, `${ref[0]} refers to a character that XML does not allow`);
  }
}

/** Element and attribute names by XML's rules. Offsets are the parser's, inside the wrapper element. */
function checkNames(nodes: readonly XmlNode[], report: (offset: number, message: string) => void): void {
  for (const n of nodes) {
    if (n.type !== 'element') continue;
    if (!XML_NAME.test(n.name)) report(n.start, `<${n.name}> is not a valid XML element name`);
    for (const a of n.attributes) if (!XML_NAME.test(a.name)) report(n.start, `'${a.name}' is not a valid XML attribute name`);
    checkNames(n.children, report);
  }
}

/** Parses `xml` as the content of a `<wrapper>` element, with the problems placed in the designer's text. */
function checkFragment(xml: string, wrapper: string): { root: XmlElement | undefined; diagnostics: AimlDiagnostic[]; report: (offset: number, message: string, severity: 'error' | 'warning') => void } {
  const shift = wrapper.length + 2;
  const diagnostics: AimlDiagnostic[] = [];
  // Offsets from the parser count the wrapper's start tag; offsets from the text checks do not.
  const reportInFragment = (offset: number, message: string, severity: 'error' | 'warning') =>
    diagnostics.push(fragmentDiagnostic(wrapper, xml, Math.max(0, offset - shift), message, severity));
  const doc = parseXml(`<${wrapper}>${xml}</${wrapper}>`, { maxDepth: 100 });
  for (const p of doc.problems) reportInFragment(p.offset, p.message, p.severity);
  const root = doc.hasErrors ? undefined : doc.root;
  if (root !== undefined && xml.indexOf('<') !== -1) checkNames(root.children, (offset, message) => reportInFragment(offset, message, 'error'));
  xmlContentProblems(xml, (offset, message) => diagnostics.push(fragmentDiagnostic(wrapper, xml, offset, message, 'error')));
  return { root: diagnostics.some((d) => d.severity === 'error') ? undefined : root, diagnostics, report: reportInFragment };
}

// Upper-case words and lone wildcards, the shape of nearly every captured pattern: nothing in it can be wrong
// (short enough, it cannot have too many words either). Recognising it without parsing is what keeps validating
// 100,000 categories inside the export budget.
const PLAIN_PATTERN = /^ *(?:[A-Z0-9]+|[*_^#])(?: +(?:[A-Z0-9]+|[*_^#]))* *$/;
// Template text without markup whose only references are the five predefined entities.
const PLAIN_TEMPLATE = /^(?:[^<&]|&(?:lt|gt|amp|quot|apos);)*$/;

/** Problems with a pattern (or that/topic) as a designer typed it; [] when it is fine. */
export function validatePattern(pattern: string, what: 'pattern' | 'that' | 'topic' = 'pattern'): AimlDiagnostic[] {
  if (pattern.length < 2 * MAX_PATTERN_TOKENS && PLAIN_PATTERN.test(pattern)) return [];
  const { root, diagnostics, report } = checkFragment(pattern, what);
  if (!root) return diagnostics;
  try {
    const tokens = patternTokens(root.children, { property: () => 'unknown' }, report, what);
    if (tokens.length === 0) diagnostics.push({ file: what, line: 1, column: 1, message: `the ${what} is empty (punctuation does not count: it is removed before matching)`, severity: 'error' });
    // The loader drops such a category: refuse it here, where the designer can still shorten it.
    if (tokens.length > MAX_PATTERN_TOKENS) diagnostics.push({ file: what, line: 1, column: 1, message: `the ${what} has ${tokens.length} words and wildcards; at most ${MAX_PATTERN_TOKENS} are allowed`, severity: 'error' });
  } catch {
    // patternTokens already reported why.
  }
  const plain = root.children.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join(' ');
  if (/[\p{P}]/u.test(plain.replace(/(^|\s)[*_^#](?=\s|$)/g, ' ').replace(/(^|\s)\$/g, ' '))) {
    diagnostics.push({ file: what, line: 1, column: 1, message: 'punctuation is removed from input before matching; it is ignored in the pattern too', severity: 'warning' });
  }
  return diagnostics;
}

// Elements that are not template elements themselves but are legal inside one (attribute-style children, a
// learned category inside <learn>, list items).
const TEMPLATE_CHILD_ELEMENTS = new Set(['name', 'value', 'var', 'index', 'format', 'style', 'from', 'to', 'category', 'pattern', 'template', 'that', 'topic', 'li']);

/** Problems with template XML content; [] when it is fine. Unknown elements are warnings (they pass through). */
export function validateTemplate(xml: string): AimlDiagnostic[] {
  if (PLAIN_TEMPLATE.test(xml) && xml.indexOf(']]>') === -1 && !NOT_XML_CHARACTER.test(xml)) return [];
  const { root, diagnostics, report } = checkFragment(xml, 'template');
  if (!root) return diagnostics;
  new TemplateCompiler(report).compile(root.children);
  const visit = (nodes: readonly XmlNode[]) => {
    for (const n of nodes) {
      if (n.type !== 'element') continue;
      if (!AIML_TEMPLATE_ELEMENTS.has(n.name) && !PASS_THROUGH_ELEMENTS.has(n.name) && !TEMPLATE_CHILD_ELEMENTS.has(n.name)) {
        report(n.start, `<${n.name}> is not an AIML element: it will be shown to the user as XML (a typo?)`, 'warning');
      }
      visit(n.children);
    }
  };
  visit(root.children);
  return diagnostics;
}

/** Every problem of one field of a category (the validator that fits the field). */
export function validateCategoryField(field: CategoryField, text: string): AimlDiagnostic[] {
  return field === 'template' ? validateTemplate(text) : validatePattern(text, field);
}

/**
 * Remembers fields that passed validation, so that rewriting a large workspace after one capture re-checks only
 * what changed. Bounded: it forgets everything when it grows past `limit` entries.
 */
export class ValidatedFieldCache {
  // One set per field, keyed by the text itself: no key strings to build for the hundred thousand lookups.
  private readonly valid: Record<CategoryField, Set<string>> = { pattern: new Set(), that: new Set(), topic: new Set(), template: new Set() };
  private size = 0;
  constructor(private readonly limit = 1_000_000) {}

  /** The errors of a field ([] when it is valid, remembered or checked now). */
  errors(field: CategoryField, text: string): AimlDiagnostic[] {
    const seen = this.valid[field];
    if (seen.has(text)) return [];
    const errors = validateCategoryField(field, text).filter((d) => d.severity === 'error');
    if (errors.length === 0) {
      if (++this.size > this.limit) {
        for (const set of Object.values(this.valid)) set.clear();
        this.size = 1;
      }
      seen.add(text);
    }
    return errors;
  }
}

export interface SerializeOptions {
  /** Fields validated by earlier writes are not checked again (see ValidatedFieldCache). */
  validated?: ValidatedFieldCache;
}

/** Pattern, that and topic as the matcher compares them, joined by NUL (which no valid field contains). */
function categoryKey(c: CategorySpec): string {
  return `${normalise(c.pattern)}\u0000${normalise(c.that ?? '*')}\u0000${normalise(c.topic ?? '*')}`;
}

function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toUpperCase();
}

function headerComment(header: WriterHeader | undefined): string {
  if (header === undefined || (header.botName === undefined && header.generatedAt === undefined)) return '';
  let text = 'Live Training categories';
  // A bot name comes from outside: keep it inside the comment ("--" may not appear in one) and inside XML.
  if (header.botName !== undefined) text += ` for bot ${header.botName.replace(new RegExp(NOT_XML_CHARACTER.source, 'g'), '').replace(/-{2,}/g, '-')}`;
  if (header.generatedAt !== undefined) text += `${header.botName !== undefined ? ',' : ''} written ${header.generatedAt.toISOString()}`;
  return `  <!-- ${text} -->\n`;
}

/**
 * Serialises categories as a complete AIML 2.0 file. Throws InvalidCategoryError listing every invalid field of
 * every category (nothing is written half-valid); warnings do not stop it.
 */
export function serializeCategories(categories: readonly CategorySpec[], header?: WriterHeader, options: SerializeOptions = {}): string {
  const validated = options.validated ?? new ValidatedFieldCache();
  const problems: CategoryProblem[] = [];
  const byKey = new Map<string, CategorySpec>();
  categories.forEach((spec, index) => {
    let valid = true;
    const check = (field: CategoryField, text: string | undefined) => {
      if (text === undefined) return;
      const diagnostics = validated.errors(field, text);
      if (diagnostics.length === 0) return;
      problems.push({ index, pattern: spec.pattern, field, diagnostics });
      valid = false;
    };
    check('pattern', spec.pattern);
    check('that', spec.that);
    check('topic', spec.topic);
    check('template', spec.template);
    if (!valid) return;
    // The later of two identical categories wins, as it would when the file is loaded.
    const key = categoryKey(spec);
    byKey.delete(key);
    byKey.set(key, spec);
  });
  if (problems.length > 0) throw new InvalidCategoryError(problems);

  // One string comparison of the keys orders by pattern, then that, then topic (NUL sorts before any character).
  const sorted = [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n', headerComment(header)];
  for (const [, c] of sorted) {
    out.push('  <category>\n    <pattern>', c.pattern.trim(), '</pattern>\n');
    if (c.that !== undefined) out.push('    <that>', c.that.trim(), '</that>\n');
    if (c.topic !== undefined) out.push('    <topic>', c.topic.trim(), '</topic>\n');
    out.push('    <template>', c.template, '</template>\n  </category>\n');
  }
  out.push('</aiml>\n');
  return out.join('');
}

function innerXml(text: string, el: XmlElement | undefined): string | undefined {
  return el === undefined ? undefined : text.slice(el.contentStart, el.contentEnd);
}

/** Reads the categories of an AIML file (for Studio's import and file watching), with every problem found. */
export function parseCategories(xml: string, fileName: string): { categories: ParsedCategory[]; diagnostics: AimlDiagnostic[] } {
  const diagnostics: AimlDiagnostic[] = [];
  const lines = new LineIndex(xml);
  const report = (offset: number, message: string, severity: 'error' | 'warning') => {
    const { line, column } = lines.position(offset);
    diagnostics.push({ file: fileName, line, column, message, severity });
  };
  const doc = parseXml(xml);
  for (const p of doc.problems) report(p.offset, p.message, p.severity);
  if (doc.hasErrors || !doc.root) return { categories: [], diagnostics };
  const categories: ParsedCategory[] = [];
  const reads = readAimlRoot(doc.root, { property: () => undefined }, report);
  // Pair each read category back with its elements, to return the source text of each part.
  const elements = new Map<number, XmlElement>();
  const topicOf = new Map<number, string>();
  const collect = (nodes: readonly XmlNode[], topicName: string | undefined) => {
    for (const n of nodes) {
      if (n.type !== 'element') continue;
      if (n.name === 'category') {
        elements.set(n.start, n);
        if (topicName !== undefined) topicOf.set(n.start, topicName);
      } else if (n.name === 'topic') collect(n.children, n.attribute('name'));
    }
  };
  collect(doc.root.children, undefined);
  for (const read of reads) {
    const el = elements.get(read.start)!;
    const child = (name: string) => el.children.find((c): c is XmlElement => c.type === 'element' && c.name === name);
    const pattern = innerXml(xml, child('pattern') ?? child('intent'))!.trim();
    const category: ParsedCategory = { pattern, template: innerXml(xml, read.templateElement)!, line: lines.line(read.start) };
    const that = innerXml(xml, child('that'));
    if (that !== undefined) category.that = that.trim();
    const topic = innerXml(xml, child('topic')) ?? topicOf.get(read.start);
    if (topic !== undefined) category.topic = topic.trim();
    categories.push(category);
  }
  return { categories, diagnostics };
}
