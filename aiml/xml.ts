/**
 * A small, fast, non-validating XML parser for AIML files.
 *
 * Why hand-written: loading ALICE (11.5 MB) must take well under a second, every error in a file must be
 * reported at once with line and column (not just the first), and no DTD or external entity may ever be
 * resolved. The parser keeps going after an error wherever it can, so one typo does not hide the next.
 *
 * What it does not do: namespaces (prefixes stay part of the name), DTD validation, entity declarations
 * (a DOCTYPE is skipped with a warning; only the five predefined entities and character references exist).
 */

export interface XmlAttribute {
  name: string;
  value: string;
}

/** Shared by every element without attributes or children (most of them): never mutated. */
const NO_ATTRIBUTES: XmlAttribute[] = [];
const NO_CHILDREN: XmlNode[] = [];

export class XmlElement {
  readonly type = 'element' as const;
  children: XmlNode[];
  /** Offset just after the start tag's `>`; content runs from here. */
  contentStart = 0;
  /** Offset of the end tag's `<` (equal to contentStart for `<x/>`). */
  contentEnd = 0;
  /** Offset just after the end tag (or the `/>`). */
  end = 0;
  constructor(
    readonly name: string,
    readonly attributes: XmlAttribute[],
    /** Offset of the `<` of the start tag. */
    readonly start: number,
    children: XmlNode[] = [],
  ) {
    this.children = children;
  }

  attribute(name: string): string | undefined {
    for (const a of this.attributes) if (a.name === name) return a.value;
    return undefined;
  }
}

export class XmlText {
  readonly type = 'text' as const;
  constructor(
    public text: string,
    readonly start: number,
  ) {}
}

export type XmlNode = XmlElement | XmlText;

export interface XmlProblem {
  offset: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface XmlDocument {
  root: XmlElement | undefined;
  problems: XmlProblem[];
  /** True when at least one problem is an error: the document is not well-formed. */
  hasErrors: boolean;
}

export interface XmlParseOptions {
  /** Deepest element nesting accepted; deeper input is an error (keeps every later recursion bounded). */
  maxDepth?: number;
  /**
   * Called when an element is complete, with its parent (undefined for the root) and its depth (root = 0).
   * Returning true drops the element from its parent: a loader can handle each category as soon as it is
   * read and keep only small things, so a large file never exists as one big tree.
   */
  onClose?: (el: XmlElement, parent: XmlElement | undefined, depth: number) => boolean;
  /** Elements whose white-space-only text children carry no meaning and are not kept (e.g. <category>). */
  ignoreBlankTextIn?: ReadonlySet<string>;
  /**
   * Asked every few tags; when it returns true, parseXmlSteps yields so that its driver can give the event loop
   * a turn (a large file is then parsed in slices). parseXml never pauses.
   */
  pause?: () => boolean;
}

const DEFAULT_MAX_DEPTH = 200;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isNameChar(c: number): boolean {
  // Anything but whitespace and the XML delimiters: permissive on purpose (AIML names are plain ASCII).
  return !(c <= 32 || c === 47 /* / */ || c === 62 /* > */ || c === 61 /* = */ || c === 60 /* < */ || c === 34 || c === 39);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Maps offsets to 1-based line and column numbers; built once per text, on first use. */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  private build(): number[] {
    const starts = [0];
    const t = this.text;
    let i = t.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = t.indexOf('\n', i + 1);
    }
    return starts;
  }

  position(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= this.build());
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  line(offset: number): number {
    return this.position(offset).line;
  }
}

/** Decodes entity and character references in `raw`; unknown entities are reported and kept literally. */
function decodeEntities(raw: string, baseOffset: number, problems: XmlProblem[]): string {
  let out = '';
  let last = 0;
  let i = raw.indexOf('&');
  while (i !== -1) {
    const semi = raw.indexOf(';', i + 1);
    const ref = semi === -1 || semi - i > 12 ? undefined : raw.slice(i + 1, semi);
    let value: string | undefined;
    if (ref !== undefined) {
      if (ref.charCodeAt(0) === 35 /* # */) {
        const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        const digits = ref[1] === 'x' || ref[1] === 'X' ? /^[0-9a-fA-F]+$/.test(ref.slice(2)) : /^[0-9]+$/.test(ref.slice(1));
        if (digits && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) value = String.fromCodePoint(code);
      } else {
        value = PREDEFINED[ref];
      }
    }
    if (value === undefined) {
      problems.push({
        offset: baseOffset + i,
        message:
          ref === undefined
            ? "'&' must be written as '&amp;'"
            : `unknown entity '&${ref};' (only &lt; &gt; &amp; &quot; &apos; and character references exist; DTD entities are never loaded)`,
        severity: 'error',
      });
      out += raw.slice(last, i + 1);
      last = i + 1;
    } else {
      out += raw.slice(last, i) + value;
      last = semi + 1;
    }
    i = raw.indexOf('&', last);
  }
  return last === 0 ? raw : out + raw.slice(last);
}

/**
 * Parses `text` into an element tree. Never throws on bad input: every problem found is in `problems`.
 * When there are errors the tree is a best-effort recovery; callers should treat the document as broken.
 */
export function parseXml(text: string, options: XmlParseOptions = {}): XmlDocument {
  return runToEnd(parseXmlSteps(text, { ...options, pause: undefined }));
}

/** Runs a step generator to its end without pausing (the synchronous form of a sliced computation). */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * parseXml in resumable form: yields (nothing) whenever `options.pause` asks for a break, and returns the
 * document at the end. The state lives in the generator, so a caller can run other work between steps.
 */
export function* parseXmlSteps(text: string, options: XmlParseOptions = {}): Generator<void, XmlDocument, void> {
  const pause = options.pause;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const onClose = options.onClose;
  const ignoreBlank = options.ignoreBlankTextIn;
  const problems: XmlProblem[] = [];
  const error = (offset: number, message: string) => problems.push({ offset, message, severity: 'error' });
  const len = text.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  let tags = 0;
  // Skip a byte order mark if the caller left one in.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;

  // `el` was just popped off the stack: its parent is now on top.
  const finishElement = (el: XmlElement) => {
    const parent = stack[stack.length - 1];
    if (onClose!(el, parent, stack.length) && parent !== undefined && parent.children[parent.children.length - 1] === el) parent.children.pop();
  };

  const addChild = (node: XmlNode) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
  };

  const addText = (start: number, end: number) => {
    if (end <= start) return;
    if (stack.length === 0) {
      for (let k = start; k < end; k++) {
        if (!isSpace(text.charCodeAt(k))) {
          error(k, 'text outside the root element');
          return;
        }
      }
      return;
    }
    if (stack.length === 1 || (ignoreBlank !== undefined && ignoreBlank.has(stack[stack.length - 1]!.name))) {
      // White space between the root's children (between categories) means nothing: keeping it would
      // grow one long string per file while the categories themselves are streamed away.
      let blank = true;
      for (let k = start; blank && k < end; k++) blank = isSpace(text.charCodeAt(k));
      if (blank) return;
    }
    let raw = text.slice(start, end);
    if (raw.indexOf('&') !== -1) raw = decodeEntities(raw, start, problems);
    const parent = stack[stack.length - 1]!;
    const prev = parent.children[parent.children.length - 1];
    // Merge with a preceding text node (split by a comment or CDATA) so consumers see one run of text.
    if (prev !== undefined && prev.type === 'text') prev.text += raw;
    else parent.children.push(new XmlText(raw, start));
  };

  while (pos < len) {
    // Asking costs a clock read; one tag's work is a few microseconds, so every 32nd tag is often enough.
    if (pause !== undefined && (++tags & 31) === 0 && pause()) yield;
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      addText(pos, len);
      break;
    }
    if (lt > pos) addText(pos, lt);
    pos = lt;
    const next = text.charCodeAt(pos + 1);
    if (next === 33 /* ! */) {
      if (text.startsWith('<!--', pos)) {
        const close = text.indexOf('-->', pos + 4);
        if (close === -1) {
          error(pos, 'comment is never closed with -->');
          pos = len;
        } else pos = close + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', pos)) {
        const close = text.indexOf(']]>', pos + 9);
        if (close === -1) {
          error(pos, 'CDATA section is never closed with ]]>');
          pos = len;
          continue;
        }
        if (stack.length === 0) error(pos, 'CDATA outside the root element');
        else {
          const parent = stack[stack.length - 1]!;
          const raw = text.slice(pos + 9, close);
          const prev = parent.children[parent.children.length - 1];
          if (prev !== undefined && prev.type === 'text') prev.text += raw;
          else parent.children.push(new XmlText(raw, pos + 9));
        }
        pos = close + 3;
        continue;
      }
      if (text.startsWith('<!DOCTYPE', pos)) {
        // Skip the declaration, internal subset included, without interpreting any of it.
        let k = pos + 9;
        let depth = 0;
        let quote = 0;
        for (; k < len; k++) {
          const c = text.charCodeAt(k);
          if (quote) {
            if (c === quote) quote = 0;
          } else if (c === 34 || c === 39) quote = c;
          else if (c === 91 /* [ */) depth++;
          else if (c === 93 /* ] */) depth--;
          else if (c === 62 /* > */ && depth <= 0) break;
        }
        problems.push({ offset: pos, message: 'DOCTYPE ignored: DTDs and external entities are never loaded', severity: 'warning' });
        pos = k + 1;
        continue;
      }
      error(pos, "unexpected '<!': expected a comment, CDATA section or DOCTYPE");
      pos += 2;
      continue;
    }
    if (next === 63 /* ? */) {
      const close = text.indexOf('?>', pos + 2);
      if (close === -1) {
        error(pos, 'processing instruction is never closed with ?>');
        pos = len;
      } else pos = close + 2;
      continue;
    }
    if (next === 47 /* / */) {
      // End tag.
      let k = pos + 2;
      while (k < len && isNameChar(text.charCodeAt(k))) k++;
      const name = text.slice(pos + 2, k);
      while (k < len && isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== 62) {
        error(k, `end tag </${name}> is not closed with '>'`);
        const gt = text.indexOf('>', k);
        const nextLt = text.indexOf('<', k);
        k = gt === -1 || (nextLt !== -1 && nextLt < gt) ? k - 1 : gt;
      }
      const endOffset = k + 1;
      const top = stack[stack.length - 1];
      if (top === undefined) {
        error(pos, `end tag </${name}> has no matching start tag`);
      } else if (top.name === name) {
        top.contentEnd = pos;
        top.end = endOffset;
        stack.pop();
        if (onClose !== undefined) finishElement(top);
      } else {
        // Recover: if the name closes an element further up, the ones in between were left open.
        let match = -1;
        for (let s = stack.length - 1; s >= 0; s--) {
          if (stack[s]!.name === name) {
            match = s;
            break;
          }
        }
        if (match === -1) {
          error(pos, `end tag </${name}> does not match the open element <${top.name}>`);
        } else {
          for (let s = stack.length - 1; s > match; s--) {
            const open = stack[s]!;
            error(open.start, `element <${open.name}> is not closed (found </${name}> first)`);
            open.contentEnd = pos;
            open.end = pos;
          }
          stack.length = match + 1;
          const el = stack.pop()!;
          el.contentEnd = pos;
          el.end = endOffset;
          if (onClose !== undefined) finishElement(el);
        }
      }
      pos = endOffset;
      continue;
    }
    // Start tag.
    let k = pos + 1;
    while (k < len && isNameChar(text.charCodeAt(k))) k++;
    const name = text.slice(pos + 1, k);
    if (name.length === 0) {
      error(pos, "'<' must be written as '&lt;' in text");
      addText(pos, pos + 1);
      pos += 1;
      continue;
    }
    let attributes = NO_ATTRIBUTES;
    let selfClosing = false;
    let closed = false;
    while (k < len) {
      let c = text.charCodeAt(k);
      if (isSpace(c)) {
        k++;
        continue;
      }
      if (c === 62 /* > */) {
        k++;
        closed = true;
        break;
      }
      if (c === 47 /* / */ && text.charCodeAt(k + 1) === 62) {
        k += 2;
        selfClosing = true;
        closed = true;
        break;
      }
      if (c === 60 /* < */) break;
      // Attribute.
      const nameStart = k;
      while (k < len && isNameChar(text.charCodeAt(k))) k++;
      const attrName = text.slice(nameStart, k);
      if (attrName.length === 0) {
        error(k, `unexpected '${text[k]}' in the start tag of <${name}>`);
        k++;
        continue;
      }
      while (k < len && isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== 61 /* = */) {
        error(k, `attribute '${attrName}' of <${name}> has no value (write ${attrName}="...")`);
        continue;
      }
      k++;
      while (k < len && isSpace(text.charCodeAt(k))) k++;
      c = text.charCodeAt(k);
      if (c !== 34 && c !== 39) {
        error(k, `value of attribute '${attrName}' of <${name}> must be quoted`);
        while (k < len && !isSpace(text.charCodeAt(k)) && text.charCodeAt(k) !== 62) k++;
        continue;
      }
      const close = text.indexOf(c === 34 ? '"' : "'", k + 1);
      if (close === -1) {
        error(k, `value of attribute '${attrName}' of <${name}> is never closed`);
        k = len;
        break;
      }
      let value = text.slice(k + 1, close);
      if (value.indexOf('<') !== -1) error(k + 1 + value.indexOf('<'), `'<' is not allowed in the value of attribute '${attrName}'`);
      if (value.indexOf('&') !== -1) value = decodeEntities(value, k + 1, problems);
      if (attributes.some((a) => a.name === attrName)) error(nameStart, `attribute '${attrName}' appears twice in <${name}>`);
      else {
        if (attributes === NO_ATTRIBUTES) attributes = [];
        attributes.push({ name: attrName, value: value.replace(/[\t\n\r]/g, ' ') });
      }
      k = close + 1;
    }
    if (!closed) error(pos, `start tag <${name}> is not closed with '>'`);
    // A self-closing element never gets children: it shares one empty array instead of allocating its own.
    const el = new XmlElement(name, attributes, pos, selfClosing ? NO_CHILDREN : []);
    el.contentStart = k;
    if (stack.length === 0) {
      if (root !== undefined) error(pos, `a second root element <${name}>: a document has exactly one`);
      else root = el;
    } else addChild(el);
    if (selfClosing || !closed) {
      el.contentEnd = k;
      el.end = k;
      if (onClose !== undefined) finishElement(el);
    } else {
      if (stack.length >= maxDepth) {
        error(pos, `elements are nested more than ${maxDepth} deep`);
        // Stop here: the rest of the file cannot be trusted, and deeper parsing would only add noise.
        return { root, problems, hasErrors: true };
      }
      stack.push(el);
    }
    pos = k;
  }
  for (let s = stack.length - 1; s >= 0; s--) {
    const open = stack[s]!;
    error(open.start, `element <${open.name}> is never closed`);
    open.contentEnd = len;
    open.end = len;
  }
  if (root === undefined && !problems.some((p) => p.severity === 'error')) error(0, 'no root element: the file is empty');
  return { root, problems, hasErrors: problems.some((p) => p.severity === 'error') };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML text content (& < >). */
export function escapeXmlText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => ESCAPES[c]!) : text;
}

/** Escapes text for a double-quoted XML attribute value. */
export function escapeXmlAttribute(text: string): string {
  return /[&<>"]/.test(text) ? text.replace(/[&<>"]/g, (c) => ESCAPES[c]!) : text;
}

/** Serialises nodes back to XML text (used for learned categories and for showing template sources). */
export function serializeXml(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += escapeXmlText(node.text);
    else {
      out += '<' + node.name;
      for (const a of node.attributes) out += ` ${a.name}="${escapeXmlAttribute(a.value)}"`;
      out += node.children.length === 0 ? '/>' : '>' + serializeXml(node.children) + `</${node.name}>`;
    }
  }
  return out;
}
