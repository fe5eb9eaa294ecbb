/**
 * Reading and writing the categories of `pand_livetraining.aiml` (Studio's workspace file), plus the live
 * validators Studio runs while a designer edits a pattern or a template.
 *
 * Output is valid AIML 2.0 in UTF-8, built with xmlbuilder2 (so escaping is never hand-rolled), in a
 * deterministic order: duplicates (same pattern, that and topic) collapse to the last one given, then the
 * categories are sorted by pattern, that and topic. The same categories always give the same bytes.
 * Parsing never resolves external entities or DTDs (the engine's own parser knows none).
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { patternTokens, readAimlRoot } from './aiml-reader.js';
import { AIML_TEMPLATE_ELEMENTS, PASS_THROUGH_ELEMENTS, TemplateCompiler } from './template-compiler.js';
import type { AimlDiagnostic } from './types.js';
import { LineIndex, parseXml, type XmlElement, type XmlNode } from './xml.js';

export interface CategorySpec {
  /** Pattern text; may contain <set>NAME</set> and <bot name="x"/> markup. */
  pattern: string;
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

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes plain text (a designer's reply) for use as template content: & < > " ' become entities. */
export function escapeTemplateText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function fragmentProblems(xml: string, wrapper: string, file: string): { root: XmlElement | undefined; diagnostics: AimlDiagnostic[] } {
  const open = `<${wrapper}>`;
  const text = `${open}${xml}</${wrapper}>`;
  const doc = parseXml(text, { maxDepth: 100 });
  const diagnostics = doc.problems.map((p) => fragmentDiagnostic(file, xml, Math.max(0, p.offset - open.length), p.message, p.severity));
  return { root: doc.hasErrors ? undefined : doc.root, diagnostics };
}

function fragmentDiagnostic(file: string, source: string, offset: number, message: string, severity: 'error' | 'warning'): AimlDiagnostic {
  const { line, column } = new LineIndex(source).position(Math.min(offset, source.length));
  return { file, line, column, message, severity };
}

/** Problems with a pattern (or that/topic) as a designer typed it; [] when it is fine. */
export function validatePattern(pattern: string, what: 'pattern' | 'that' | 'topic' = 'pattern'): AimlDiagnostic[] {
  const { root, diagnostics } = fragmentProblems(pattern, what, what);
  if (!root) return diagnostics;
  const report = (offset: number, message: string, severity: 'error' | 'warning') =>
    diagnostics.push(fragmentDiagnostic(what, pattern, Math.max(0, offset - what.length - 2), message, severity));
  try {
    const tokens = patternTokens(root.children, { property: () => 'unknown' }, report, what);
    if (tokens.length === 0) diagnostics.push({ file: what, line: 1, column: 1, message: `the ${what} is empty (punctuation does not count: it is removed before matching)`, severity: 'error' });
  } catch {
    // patternTokens already reported why.
  }
  const plain = root.children.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join(' ');
  if (/[\p{P}]/u.test(plain.replace(/(^|\s)[*_^#](?=\s|$)/g, ' ').replace(/(^|\s)\$/g, ' '))) {
    diagnostics.push({ file: what, line: 1, column: 1, message: 'punctuation is removed from input before matching; it is ignored in the pattern too', severity: 'warning' });
  }
  return diagnostics;
}

/** Problems with template XML content; [] when it is fine. Unknown elements are warnings (they pass through). */
export function validateTemplate(xml: string): AimlDiagnostic[] {
  const { root, diagnostics } = fragmentProblems(xml, 'template', 'template');
  if (!root) return diagnostics;
  const shift = '<template>'.length;
  const report = (offset: number, message: string, severity: 'error' | 'warning') => diagnostics.push(fragmentDiagnostic('template', xml, Math.max(0, offset - shift), message, severity));
  new TemplateCompiler(report).compile(root.children);
  const visit = (nodes: readonly XmlNode[]) => {
    for (const n of nodes) {
      if (n.type !== 'element') continue;
      if (!AIML_TEMPLATE_ELEMENTS.has(n.name) && !PASS_THROUGH_ELEMENTS.has(n.name) && !['name', 'value', 'var', 'index', 'format', 'style', 'from', 'to', 'category', 'pattern', 'template', 'that', 'topic', 'li'].includes(n.name)) {
        report(n.start, `<${n.name}> is not an AIML element: it will be shown to the user as XML (a typo?)`, 'warning');
      }
      visit(n.children);
    }
  };
  visit(root.children);
  return diagnostics;
}

function appendNodes(parent: XMLBuilder, nodes: readonly XmlNode[]): void {
  for (const n of nodes) {
    if (n.type === 'text') parent.txt(n.text);
    else {
      const attrs: Record<string, string> = {};
      for (const a of n.attributes) attrs[a.name] = a.value;
      appendNodes(parent.ele(n.name, attrs), n.children);
    }
  }
}

function key(c: CategorySpec): string {
  return `${norm(c.pattern)}\u0000${norm(c.that ?? '*')}\u0000${norm(c.topic ?? '*')}`;
}

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toUpperCase();
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Serialises categories as a complete AIML 2.0 file. Throws an Error naming every invalid pattern or
 * template (nothing is written half-valid).
 */
export function serializeCategories(categories: readonly CategorySpec[], header?: WriterHeader): string {
  const problems: string[] = [];
  const parsed = new Map<string, { spec: CategorySpec; pattern: XmlElement; that?: XmlElement; topic?: XmlElement; template: XmlElement }>();
  categories.forEach((spec, i) => {
    const fields: Array<[string, string | undefined, 'pattern' | 'that' | 'topic' | 'template']> = [
      ['pattern', spec.pattern, 'pattern'],
      ['that', spec.that, 'that'],
      ['topic', spec.topic, 'topic'],
      ['template', spec.template, 'template'],
    ];
    const roots: Record<string, XmlElement> = {};
    for (const [name, value, kind] of fields) {
      if (value === undefined) continue;
      const errors = (kind === 'template' ? validateTemplate(value) : validatePattern(value, kind)).filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        problems.push(`category ${i + 1} (${JSON.stringify(spec.pattern)}): ${name}: ${errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      roots[name] = parseXml(`<${name}>${value}</${name}>`).root!;
    }
    if (problems.length > 0 || !roots.pattern || !roots.template) return;
    // The later of two identical categories wins, as it would when the file is loaded.
    const entry: { spec: CategorySpec; pattern: XmlElement; that?: XmlElement; topic?: XmlElement; template: XmlElement } = { spec, pattern: roots.pattern, template: roots.template };
    if (roots.that) entry.that = roots.that;
    if (roots.topic) entry.topic = roots.topic;
    const k = key(spec);
    parsed.delete(k);
    parsed.set(k, entry);
  });
  if (problems.length > 0) throw new Error(`cannot write invalid categories:\n${problems.join('\n')}`);

  const sorted = [...parsed.values()].sort(
    (a, b) => cmp(norm(a.spec.pattern), norm(b.spec.pattern)) || cmp(norm(a.spec.that ?? '*'), norm(b.spec.that ?? '*')) || cmp(norm(a.spec.topic ?? '*'), norm(b.spec.topic ?? '*')),
  );
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const aiml = doc.ele('aiml', { version: '2.0' });
  if (header && (header.botName !== undefined || header.generatedAt !== undefined)) {
    const parts = ['Live Training categories'];
    if (header.botName !== undefined) parts.push(`for bot ${header.botName}`);
    if (header.generatedAt !== undefined) parts.push(`written ${header.generatedAt.toISOString()}`);
    aiml.txt('\n  ');
    // "--" may not appear inside an XML comment.
    aiml.com(` ${parts.join(', ').replace(/-{2,}/g, '-')} `);
  }
  for (const c of sorted) {
    aiml.txt('\n  ');
    const category = aiml.ele('category');
    category.txt('\n    ');
    appendNodes(category.ele('pattern'), c.pattern.children);
    if (c.that) {
      category.txt('\n    ');
      appendNodes(category.ele('that'), c.that.children);
    }
    if (c.topic) {
      category.txt('\n    ');
      appendNodes(category.ele('topic'), c.topic.children);
    }
    category.txt('\n    ');
    appendNodes(category.ele('template'), c.template.children);
    category.txt('\n  ');
  }
  aiml.txt('\n');
  return doc.end({ prettyPrint: false }).replace(/^(<\?xml[^>]*\?>)/, '$1\n') + '\n';
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
  const collect = (nodes: readonly XmlNode[], topicName: string | undefined) => {
    for (const n of nodes) {
      if (n.type !== 'element') continue;
      if (n.name === 'category') {
        elements.set(n.start, n);
        if (topicName !== undefined) topicOf.set(n.start, topicName);
      } else if (n.name === 'topic') collect(n.children, n.attribute('name'));
    }
  };
  const topicOf = new Map<number, string>();
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
