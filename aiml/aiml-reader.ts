/**
 * Reads the categories of a parsed AIML document: checks the structure (<aiml>, <topic>, <category>,
 * <pattern>, <that>, <template>), turns patterns into tokens and templates into compiled trees. A broken
 * category is reported and skipped; its neighbours still load.
 */
import { priorityToken, setToken, tokensToText, type Category, type PatternToken } from './category.js';
import { toWords } from './normalizer.js';
import type { Template } from './template-ast.js';
import { TemplateCompiler, type Report } from './template-compiler.js';
import { parseXmlSteps, type XmlElement, type XmlNode } from './xml.js';

export interface ReadCategory {
  pattern: PatternToken[];
  that: PatternToken[] | undefined;
  topic: PatternToken[] | undefined;
  template: Template;
  templateElement: XmlElement;
  /** Offsets of the <category> element (start tag to end of end tag). */
  start: number;
  end: number;
}

export interface PatternContext {
  /** Bot property lookup, for `<bot name="x"/>` inside patterns (resolved at load). */
  property(name: string): string | undefined;
}

/** Tokens of a pattern-side text ("HELLO * <set>color</set>"); `report` hears about unsupported markup. */
export function patternTokens(nodes: readonly XmlNode[], ctx: PatternContext, report: Report, where: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  for (const n of nodes) {
    if (n.type === 'text') {
      addPatternText(tokens, n.text);
      continue;
    }
    if (n.name === 'set') {
      const name = (n.attribute('name') ?? textOf(n.children)).trim().toLowerCase();
      if (name.length === 0) report(n.start, `<set> in a ${where} needs a set name`, 'error');
      else tokens.push(setToken(name));
    } else if (n.name === 'bot') {
      const name = (n.attribute('name') ?? textOf(n.children.filter((c) => c.type === 'element' && c.name === 'name').flatMap((c) => (c as XmlElement).children))).trim();
      const value = ctx.property(name.toLowerCase());
      if (value === undefined) report(n.start, `<bot name="${name}"/> in a ${where}: the bot has no such property`, 'warning');
      addPatternText(tokens, value ?? ctx.property('default-property') ?? 'unknown');
    } else {
      report(n.start, `<${n.name}> is not allowed in a ${where} (only words, wildcards, <set> and <bot>)`, 'error');
      throw new SkipCategory();
    }
  }
  return tokens;
}

/** A word already in normal form (upper-case ASCII letters and digits): most pattern words are. */
function isNormalWord(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

function addPatternText(tokens: PatternToken[], text: string): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) <= 32) i++;
    const start = i;
    while (i < n && text.charCodeAt(i) > 32) i++;
    if (i === start) break;
    const raw = text.slice(start, i);
    if (isNormalWord(raw)) {
      tokens.push(raw);
      continue;
    }
    if (raw === '*' || raw === '_' || raw === '^' || raw === '#') tokens.push(raw);
    else if (raw.charCodeAt(0) === 36 /* $ */ && raw.length > 1) {
      const words = toWords(raw.slice(1)).upper;
      for (let k = 0; k < words.length; k++) tokens.push(k === 0 ? priorityToken(words[k]!) : words[k]!);
    } else {
      const words = toWords(raw).upper;
      for (let k = 0; k < words.length; k++) tokens.push(words[k]!);
    }
  }
}

function textOf(nodes: readonly XmlNode[]): string {
  let s = '';
  for (const n of nodes) s += n.type === 'text' ? n.text : textOf(n.children);
  return s;
}

class SkipCategory extends Error {}

/** Elements whose white space between children means nothing (templates keep theirs). */
const STRUCTURAL_ELEMENTS: ReadonlySet<string> = new Set(['aiml', 'topic', 'category']);

/** Longest pattern, that or topic accepted, in words and wildcards. */
export const MAX_PATTERN_TOKENS = 200;

/** Reads one <category> element. Returns undefined (after reporting) when it cannot be used. */
export function readCategory(
  el: XmlElement,
  enclosingTopic: PatternToken[] | undefined,
  ctx: PatternContext,
  report: Report,
  /** Receives <category> elements found inside this one (a missing </category> in the source). */
  nested?: XmlElement[],
): ReadCategory | undefined {
  let patternEl: XmlElement | undefined;
  let thatEl: XmlElement | undefined;
  let topicEl: XmlElement | undefined;
  let templateEl: XmlElement | undefined;
  let broken = false;
  for (const c of el.children) {
    if (c.type === 'text') {
      if (c.text.trim().length > 0) report(c.start, 'text directly inside <category> is ignored', 'warning');
      continue;
    }
    if (c.name === 'category' && nested !== undefined) {
      report(c.start, '<category> inside another <category> (a missing </category>?): both are loaded as separate categories', 'warning');
      nested.push(c);
      continue;
    }
    const slot = c.name === 'pattern' || c.name === 'intent' ? 'pattern' : c.name;
    const seen = slot === 'pattern' ? patternEl : slot === 'that' ? thatEl : slot === 'topic' ? topicEl : slot === 'template' ? templateEl : null;
    if (seen === null) {
      report(c.start, `<${c.name}> is not allowed directly inside <category> (expected pattern, that, topic, template)`, 'error');
      broken = true;
      continue;
    }
    if (seen !== undefined) {
      report(c.start, `a <category> has only one <${slot}>`, 'error');
      broken = true;
      continue;
    }
    if (slot === 'pattern') patternEl = c;
    else if (slot === 'that') thatEl = c;
    else if (slot === 'topic') topicEl = c;
    else templateEl = c;
  }
  if (!patternEl) {
    report(el.start, '<category> has no <pattern>', 'error');
    broken = true;
  }
  if (!templateEl) {
    report(el.start, '<category> has no <template>', 'error');
    broken = true;
  }
  if (broken || !patternEl || !templateEl) return undefined;
  try {
    const pattern = patternTokens(patternEl.children, ctx, report, 'pattern');
    if (pattern.length === 0) {
      report(patternEl.start, 'the <pattern> is empty (after removing punctuation)', 'error');
      return undefined;
    }
    let that: PatternToken[] | undefined;
    if (thatEl) {
      that = patternTokens(thatEl.children, ctx, report, '<that>');
      if (that.length === 0) that = undefined;
    }
    let topic = enclosingTopic;
    if (topicEl) {
      topic = patternTokens(topicEl.children, ctx, report, '<topic>');
      if (topic.length === 0) topic = undefined;
    }
    for (const [what, tokens, el] of [['pattern', pattern, patternEl], ['<that>', that, thatEl], ['<topic>', topic, topicEl]] as const) {
      if (tokens !== undefined && tokens.length > MAX_PATTERN_TOKENS) {
        // Each token is a step of the matcher's recursion: a hostile file must not be able to exhaust the stack.
        report((el ?? patternEl).start, `the ${what} has ${tokens.length} words and wildcards; at most ${MAX_PATTERN_TOKENS} are allowed`, 'error');
        return undefined;
      }
    }
    const template = new TemplateCompiler(report).compile(templateEl.children);
    return { pattern, that, topic, template, templateElement: templateEl, start: el.start, end: el.end };
  } catch (e) {
    if (e instanceof SkipCategory) return undefined;
    throw e;
  }
}

/** Every category of an <aiml> document, top-level or inside <topic name="...">. */
export function readAimlRoot(root: XmlElement, ctx: PatternContext, report: Report): ReadCategory[] {
  const out: ReadCategory[] = [];
  if (root.name !== 'aiml') {
    report(root.start, `the root element is <${root.name}>; an AIML file starts with <aiml>`, 'error');
    return out;
  }
  const visit = (nodes: readonly XmlNode[], topic: PatternToken[] | undefined, inTopic: boolean) => {
    for (const n of nodes) {
      if (n.type === 'text') {
        if (n.text.trim().length > 0) report(n.start, `text outside any <category> is ignored`, 'warning');
        continue;
      }
      if (n.name === 'category') {
        const queue = [n];
        while (queue.length > 0) {
          const nested: XmlElement[] = [];
          const c = readCategory(queue.shift()!, topic, ctx, report, nested);
          if (c) out.push(c);
          queue.push(...nested);
        }
      } else if (n.name === 'topic' && !inTopic) {
        const name = n.attribute('name');
        if (name === undefined) {
          report(n.start, '<topic> needs a name attribute; its categories are skipped', 'error');
          continue;
        }
        let tokens: PatternToken[] | undefined;
        try {
          tokens = patternTokens([{ type: 'text', text: name, start: n.start } as XmlNode], ctx, report, 'topic');
        } catch {
          continue;
        }
        visit(n.children, tokens.length > 0 ? tokens : undefined, true);
      } else if (n.name === 'meta') {
        // AIML 1.0 metadata: nothing to do.
      } else {
        report(n.start, `<${n.name}> is not allowed here (expected <category>${inTopic ? '' : ' or <topic>'}); it is ignored`, 'warning');
      }
    }
  };
  visit(root.children, undefined, false);
  return out;
}

/** The template is a single srai/sr (whitespace and <think> aside): a "reduction" to another category. */
export function isReductionTemplate(template: Template): boolean {
  let sraiCount = 0;
  for (const n of template) {
    if (typeof n === 'string') {
      if (n.trim().length > 0) return false;
    } else if (n.k === 'srai' || n.k === 'sr') sraiCount++;
    else if (n.k !== 'think') return false;
  }
  return sraiCount === 1;
}

/** Builds the category record for a read category. */
export function toCategory(
  read: ReadCategory,
  file: string,
  line: number,
  sourceText: string,
  origin: Category['origin'],
  sourceRange?: { start: number; end: number },
): Category {
  const pattern = tokensToText(read.pattern);
  const that = read.that ? tokensToText(read.that) : '*';
  const topic = read.topic ? tokensToText(read.topic) : '*';
  return {
    pattern,
    that,
    topic,
    file,
    line,
    template: read.template,
    sourceText,
    sourceStart: sourceRange ? sourceRange.start : read.templateElement.contentStart,
    sourceEnd: sourceRange ? sourceRange.end : read.templateElement.contentEnd,
    isDefault: pattern === '*' && that === '*' && topic === '*',
    isReduction: isReductionTemplate(read.template),
    origin,
  };
}

/**
 * Parses an AIML file and hands each category to `onCategory` as soon as it is read, dropping its XML from
 * memory (a large file never exists as one big tree). Returns whether the file is well-formed: when it is
 * not, the caller must discard what it received (a broken file is not loaded at all).
 * A generator so that a large file can be read in slices: it yields whenever `pause` asks for a break.
 */
export function* readAimlTextSteps(
  text: string,
  ctx: PatternContext,
  report: Report,
  onCategory: (read: ReadCategory) => void,
  pause?: () => boolean,
): Generator<void, boolean, void> {
  const topicTokens = new Map<XmlElement, PatternToken[] | undefined>();
  const topicOf = (topic: XmlElement): PatternToken[] | undefined | null => {
    if (topicTokens.has(topic)) return topicTokens.get(topic);
    const name = topic.attribute('name');
    if (name === undefined) return null;
    let tokens: PatternToken[] | undefined;
    try {
      tokens = patternTokens([{ type: 'text', text: name, start: topic.start } as XmlNode], ctx, report, 'topic');
    } catch {
      return null;
    }
    const value = tokens.length > 0 ? tokens : undefined;
    topicTokens.set(topic, value);
    return value;
  };
  let rootIsAiml: boolean | undefined;
  const doc = yield* parseXmlSteps(text, {
    pause,
    ignoreBlankTextIn: STRUCTURAL_ELEMENTS,
    onClose: (el, parent, depth) => {
      if (el.name !== 'category' || parent === undefined) return false;
      rootIsAiml ??= depth === 1 ? parent.name === 'aiml' : undefined;
      let topic: PatternToken[] | undefined;
      if (depth === 1 && parent.name === 'aiml') topic = undefined;
      else if (depth === 2 && parent.name === 'topic' && rootIsAiml !== false) {
        const t = topicOf(parent);
        if (t === null) return false; // left for readAimlRoot, which reports the nameless topic
        topic = t;
      } else return false;
      const queue = [el];
      while (queue.length > 0) {
        const nested: XmlElement[] = [];
        const read = readCategory(queue.shift()!, topic, ctx, report, nested);
        if (read) onCategory(read);
        queue.push(...nested);
      }
      return true;
    },
  });
  for (const p of doc.problems) report(p.offset, p.message, p.severity);
  if (doc.hasErrors || !doc.root) return false;
  // Whatever was not streamed (misplaced elements, stray text) is checked and reported here.
  for (const read of readAimlRoot(doc.root, ctx, report)) onCategory(read);
  return true;
}
