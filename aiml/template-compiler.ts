/**
 * Compiles the XML content of a <template> into the tree of template-ast.ts. Runs once per category at
 * load. Never fails: questionable markup is reported through `report` and compiled to something harmless;
 * unknown elements (rich media, HTML, typos such as <peron>) are kept to be passed through as XML.
 */
import type { Attr, ConditionItem, ConditionSpec, TElement, TNode, Template, TextOp } from './template-ast.js';
import { escapeXmlAttribute, type XmlElement, type XmlNode } from './xml.js';

export type Report = (offset: number, message: string, severity: 'error' | 'warning') => void;

const TEXT_OPS = new Set<TextOp>(['uppercase', 'lowercase', 'formal', 'sentence', 'explode', 'first', 'rest']);

/** Elements the engine gives meaning to (anything else passes through as XML). */
export const AIML_TEMPLATE_ELEMENTS = new Set([
  'star', 'thatstar', 'topicstar', 'srai', 'sr', 'sraix', 'random', 'li', 'condition', 'loop', 'think', 'set', 'get',
  'bot', 'map', 'input', 'that', 'request', 'response', 'person', 'person2', 'gender', 'normalize', 'denormalize',
  ...TEXT_OPS, 'size', 'vocabulary', 'program', 'id', 'date', 'interval', 'eval', 'learn', 'learnf',
]);

/** Rich media and formatting elements that Pandorabots documents or that bots commonly contain. */
export const PASS_THROUGH_ELEMENTS = new Set([
  'button', 'reply', 'card', 'carousel', 'link', 'image', 'video', 'delay', 'split', 'oob', 'text', 'postback', 'url',
  'title', 'subtitle', 'list', 'olist', 'item', 'br', 'p', 'a', 'b', 'i', 'u', 'em', 'strong', 'img', 'ul', 'ol',
  'table', 'tr', 'td', 'th', 'font', 'span', 'div', 'pre', 'code', 'callapi',
]);

const NONE: readonly XmlElement[] = [];

export class TemplateCompiler {
  constructor(private readonly report: Report) {}

  compile(nodes: readonly XmlNode[]): Template {
    return this.nodes(nodes, NONE);
  }

  private nodes(nodes: readonly XmlNode[], skip: readonly XmlElement[]): TNode[] {
    const out: TNode[] = [];
    for (const n of nodes) {
      if (n.type === 'text') {
        const last = out[out.length - 1];
        if (typeof last === 'string') out[out.length - 1] = last + n.text;
        else out.push(n.text);
      } else if (skip.length === 0 || !skip.includes(n)) {
        const el = this.element(n);
        if (typeof el === 'string') {
          const last = out[out.length - 1];
          if (typeof last === 'string') out[out.length - 1] = last + el;
          else out.push(el);
        } else out.push(el);
      }
    }
    // slice() gives an exact-size copy: a pushed-to array keeps spare capacity (ALICE has 150,000 of them).
    return out.length === 0 ? [] : out.slice();
  }

  /**
   * An attribute given either as `name="x"` or as a child element `<name>x</name>` (AIML 2.0). The child
   * element, when used, is added to `used` so it is not compiled as content as well.
   */
  private attr(el: XmlElement, name: string, used: XmlElement[]): Attr | undefined {
    const a = el.attribute(name);
    if (a !== undefined) return a;
    for (const c of el.children) {
      if (c.type === 'element' && c.name === name) {
        used.push(c);
        const kids = this.nodes(c.children, NONE);
        if (kids.length === 0) return '';
        if (kids.length === 1 && typeof kids[0] === 'string') return kids[0];
        return kids;
      }
    }
    return undefined;
  }

  private element(el: XmlElement): TNode {
    // Attribute sub-elements already read (an empty array costs far less than a Set on 69,000 ALICE elements).
    const used: XmlElement[] = [];
    const name = el.name;
    switch (name) {
      case 'star':
      case 'thatstar':
      case 'topicstar':
        return { k: 'star', which: name, index: this.index(el, used, '1') };
      case 'srai':
        return { k: 'srai', kids: this.nodes(el.children, used) };
      case 'sr':
        return { k: 'sr' };
      case 'sraix': {
        const bot = this.attr(el, 'bot', used) ?? this.attr(el, 'botid', used);
        const fallback = this.attr(el, 'default', used);
        for (const extra of ['service', 'hint', 'host', 'apikey', 'limit']) this.attr(el, extra, used);
        const node: TElement = { k: 'sraix', kids: this.nodes(el.children, used) };
        if (bot !== undefined) node.bot = bot;
        if (fallback !== undefined) node.fallback = fallback;
        return node;
      }
      case 'random': {
        const items: TNode[][] = [];
        for (const c of el.children) {
          if (c.type === 'element' && c.name === 'li') items.push(this.nodes(c.children, NONE));
          else if (c.type === 'element') this.report(c.start, `<${c.name}> inside <random> is ignored: only <li> items count`, 'warning');
          else if (c.text.trim().length > 0) this.report(c.start, 'text inside <random> outside any <li> is ignored', 'warning');
        }
        if (items.length === 0) this.report(el.start, '<random> has no <li> items', 'warning');
        return { k: 'random', items };
      }
      case 'condition':
        return { k: 'condition', spec: this.condition(el, used) };
      case 'loop':
        return { k: 'loop' };
      case 'think':
        return { k: 'think', kids: this.nodes(el.children, used) };
      case 'eval':
        return { k: 'eval', kids: this.nodes(el.children, used) };
      case 'set': {
        const n = this.attr(el, 'name', used);
        const v = n === undefined ? this.attr(el, 'var', used) : undefined;
        const node: TElement = { k: 'set', kids: this.nodes(el.children, used) };
        if (n !== undefined) node.name = n;
        else if (v !== undefined) node.varName = v;
        else this.report(el.start, '<set> needs a name or var attribute; it only prints its content', 'warning');
        return node;
      }
      case 'get': {
        const n = this.attr(el, 'name', used);
        const v = n === undefined ? this.attr(el, 'var', used) : undefined;
        const node: TElement = { k: 'get' };
        if (n !== undefined) node.name = n;
        else if (v !== undefined) node.varName = v;
        else this.report(el.start, '<get> needs a name or var attribute; it prints the default-get value', 'warning');
        return node;
      }
      case 'bot': {
        const n = this.attr(el, 'name', used);
        if (n === undefined) this.report(el.start, '<bot> needs a name attribute', 'warning');
        return { k: 'bot', name: n ?? '' };
      }
      case 'map': {
        const n = this.attr(el, 'name', used);
        if (n === undefined) this.report(el.start, '<map> needs a name attribute', 'warning');
        return { k: 'map', name: n ?? '', kids: this.nodes(el.children, used) };
      }
      case 'input':
      case 'request':
      case 'response':
        return { k: 'history', which: name, index: this.index(el, used, '1') };
      case 'that':
        return { k: 'history', which: 'that', index: this.index(el, used, '1,1') };
      case 'person':
      case 'person2':
      case 'gender':
        return { k: 'substitute', list: name, kids: el.children.length === 0 ? undefined : this.nodes(el.children, used) };
      case 'normalize':
        return { k: 'substitute', list: 'normal', kids: this.nodes(el.children, used) };
      case 'denormalize':
        return { k: 'substitute', list: 'denormal', kids: this.nodes(el.children, used) };
      case 'size':
      case 'vocabulary':
      case 'program':
      case 'id':
        return { k: 'info', what: name };
      case 'date': {
        const node: TElement = { k: 'date' };
        const format = this.attr(el, 'format', used);
        const jformat = format === undefined ? this.attr(el, 'jformat', used) : undefined;
        const timezone = this.attr(el, 'timezone', used);
        const locale = this.attr(el, 'locale', used);
        if (format !== undefined) node.format = format;
        else if (jformat !== undefined) node.format = typeof jformat === 'string' ? javaToStrftime(jformat) : jformat;
        if (timezone !== undefined) node.timezone = timezone;
        if (locale !== undefined) node.locale = locale;
        return node;
      }
      case 'interval': {
        const node: TElement = { k: 'interval' };
        const style = this.attr(el, 'style', used);
        const format = this.attr(el, 'format', used);
        const jformat = format === undefined ? this.attr(el, 'jformat', used) : undefined;
        const from = this.attr(el, 'from', used);
        const to = this.attr(el, 'to', used);
        if (style !== undefined) node.style = style;
        if (format !== undefined) node.format = format;
        else if (jformat !== undefined) node.format = typeof jformat === 'string' ? javaToStrftime(jformat) : jformat;
        if (from !== undefined) node.from = from;
        if (to !== undefined) node.to = to;
        return node;
      }
      case 'learn':
      case 'learnf': {
        const evals = new Map<XmlElement, TNode[]>();
        const collect = (nodes: readonly XmlNode[]) => {
          for (const n of nodes) {
            if (n.type !== 'element') continue;
            if (n.name === 'eval') evals.set(n, this.nodes(n.children, NONE));
            else if (n.name !== 'learn' && n.name !== 'learnf') collect(n.children);
          }
        };
        collect(el.children);
        if (!el.children.some((c) => c.type === 'element' && c.name === 'category')) {
          this.report(el.start, `<${name}> has no <category> to learn`, 'warning');
        }
        return { k: 'learn', global: name === 'learnf', content: el.children, evals };
      }
      default: {
        if (TEXT_OPS.has(name as TextOp)) return { k: 'text', op: name as TextOp, kids: this.nodes(el.children, used) };
        if (name === 'li') this.report(el.start, '<li> outside <random> or <condition> passes through as XML', 'warning');
        let attrs = '';
        for (const a of el.attributes) attrs += ` ${a.name}="${escapeXmlAttribute(a.value)}"`;
        return { k: 'xml', name, attrs, kids: this.nodes(el.children, used) };
      }
    }
  }

  private index(el: XmlElement, used: XmlElement[], fallback: string): Attr {
    const idx = this.attr(el, 'index', used);
    if (typeof idx === 'string' && !/^\s*\d+\s*(,\s*(\d+|\*)\s*)?$/.test(idx)) {
      this.report(el.start, `<${el.name}> index '${idx}' is not a number; ${fallback} is used`, 'warning');
      return fallback;
    }
    return idx ?? fallback;
  }

  private condition(el: XmlElement, used: XmlElement[]): ConditionSpec {
    const spec: ConditionSpec = {};
    const n = this.attr(el, 'name', used);
    const v = n === undefined ? this.attr(el, 'var', used) : undefined;
    const value = this.attr(el, 'value', used);
    if (n !== undefined) spec.name = n;
    if (v !== undefined) spec.varName = v;
    if (value !== undefined) spec.value = value;
    const lis = el.children.filter((c): c is XmlElement => c.type === 'element' && c.name === 'li');
    if (lis.length === 0) {
      if (value === undefined) this.report(el.start, '<condition> without <li> items needs a value attribute', 'warning');
      if (n === undefined && v === undefined) this.report(el.start, '<condition> without <li> items needs a name or var attribute', 'warning');
      spec.block = this.nodes(el.children, used);
      return spec;
    }
    spec.items = lis.map((li) => {
      const liUsed: XmlElement[] = [];
      const item: ConditionItem = { kids: [] };
      const ln = this.attr(li, 'name', liUsed);
      const lv = ln === undefined ? this.attr(li, 'var', liUsed) : undefined;
      const lval = this.attr(li, 'value', liUsed);
      if (ln !== undefined) item.name = ln;
      if (lv !== undefined) item.varName = lv;
      if (lval !== undefined) item.value = lval;
      item.kids = this.nodes(li.children, liUsed);
      return item;
    });
    for (const c of el.children) {
      if (c.type === 'element' && c.name !== 'li' && !used.includes(c)) {
        this.report(c.start, `<${c.name}> inside <condition> is ignored: only <li> items count`, 'warning');
      }
    }
    return spec;
  }
}

/** Translates Java SimpleDateFormat patterns (Program AB's `jformat`) into strftime. */
export function javaToStrftime(format: string): string {
  const letter = (c: string, run: number): string => {
    switch (c) {
      case 'y':
        return run === 2 ? '%y' : '%Y';
      case 'M':
        return run >= 4 ? '%B' : run === 3 ? '%b' : '%m';
      case 'd':
        return '%d';
      case 'E':
        return run >= 4 ? '%A' : '%a';
      case 'H':
      case 'k':
        return '%H';
      case 'h':
      case 'K':
        return '%I';
      case 'm':
        return '%M';
      case 's':
        return '%S';
      case 'a':
        return '%p';
      case 'z':
        return '%Z';
      case 'Z':
        return '%z';
      case 'D':
        return '%j';
      case 'u':
        return '%u';
      default:
        return c.repeat(run);
    }
  };
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c === "'") {
      const j = format.indexOf("'", i + 1);
      out += (j === -1 ? format.slice(i + 1) : format.slice(i + 1, j)).replace(/%/g, '%%');
      i = j === -1 ? format.length : j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (format[j] === c) j++;
      out += letter(c, j - i);
      i = j;
    } else {
      out += c === '%' ? '%%' : c;
      i++;
    }
  }
  return out;
}
