import type { RichButton, RichCard, RichPart } from '../../protocol/chat-wire.js';

/**
 * The rich media of a bot reply (AIML 2.1 section 10 as Pandorabots' widget shows it) as parts the channels render.
 *
 * The engine passes `<button>`, `<reply>`, `<card>`, ... through as XML with their content evaluated and entities
 * decoded, so a reply is not well-formed XML ("Tom & Jerry <3 <button>Yes</button>"): it is read leniently. A tag is
 * only `<name attr="v">`, `</name>` or `<name/>`; anything else is text. Known elements become parts; unknown ones,
 * and known ones that are never closed or out of place, are shown as the text they were written as, so nothing the
 * bot said is lost. `<oob>` (instructions for the user's device) is left out. URLs are kept only when they are http(s).
 *
 * Returns undefined when the reply has no rich media: the channel shows its text as it is.
 */
export function richParts(reply: string): RichPart[] | undefined {
  if (!reply.includes('<')) return undefined;
  const read = toParts(parse(reply));
  const parts = tidy(read.parts);
  if (parts.length > MAX_PARTS || !read.interpreted) return undefined;
  return parts;
}

/** More parts than a chat can sensibly show: such a reply is shown as its text. */
const MAX_PARTS = 500;
/** Deeper nesting than rich media ever needs is read as text (and bounds the recursion). */
const MAX_DEPTH = 32;
/** A `<delay>` longer than this keeps the user waiting for nothing: it is shortened to it. */
export const MAX_DELAY_SECONDS = 10;

type Node = string | Element;
interface Element {
  name: string;
  children: Node[];
  /** The element as written, for showing it as text. */
  raw: string;
}

interface Token {
  kind: 'open' | 'close' | 'empty';
  name: string;
  start: number;
  end: number;
}

const TAG = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

function tokenize(source: string): Array<string | Token> {
  const out: Array<string | Token> = [];
  let at = 0;
  for (const m of source.matchAll(TAG)) {
    const start = m.index;
    if (m[1] && (m[3] || m[4])) continue; // `</a x="1">` or `</a/>` is no tag: stays text
    if (start > at) out.push(source.slice(at, start));
    out.push({ kind: m[1] ? 'close' : m[4] ? 'empty' : 'open', name: m[2]!, start, end: start + m[0].length });
    at = start + m[0].length;
  }
  if (at < source.length) out.push(source.slice(at));
  return out;
}

function parse(source: string): Node[] {
  const tokens = tokenize(source);
  let i = 0;
  const children = (open: string[]): { nodes: Node[]; closedAt?: number } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (typeof t === 'string') nodes.push(t);
      else if (t.kind === 'empty') nodes.push({ name: t.name, children: [], raw: source.slice(t.start, t.end) });
      else if (t.kind === 'close') {
        if (t.name === open[open.length - 1]) return { nodes, closedAt: t.end };
        if (open.includes(t.name)) {
          i--; // closes an outer element: this one was never closed
          return { nodes };
        }
        nodes.push(source.slice(t.start, t.end));
      } else if (open.length >= MAX_DEPTH) nodes.push(source.slice(t.start, t.end));
      else {
        const inner = children([...open, t.name]);
        if (inner.closedAt === undefined) nodes.push(source.slice(t.start, t.end), ...inner.nodes);
        else nodes.push({ name: t.name, children: inner.nodes, raw: source.slice(t.start, inner.closedAt) });
      }
    }
    return { nodes };
  };
  return children([]).nodes;
}

const asText = (nodes: Node[]): string => nodes.map((n) => (typeof n === 'string' ? n : n.raw)).join('');
const elements = (nodes: Node[]): Element[] => nodes.filter((n): n is Element => typeof n !== 'string');
const child = (el: Element, name: string): Element | undefined => elements(el.children).find((c) => c.name === name);
const field = (el: Element, name: string): string | undefined => {
  const c = child(el, name);
  return c ? asText(c.children).trim() : undefined;
};

function webUrl(text: string | undefined): string | undefined {
  const url = text?.trim();
  return url && url.length <= 2048 && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

/**
 * `<button>`/`<reply>`: `<text>` with `<postback>` or `<url>`; bare content is both text and postback, and an empty
 * postback is the text. A link that is not http(s) is not followed: the caller shows the text instead.
 */
function choice(el: Element): RichButton | { unsafe: string } | undefined {
  const structured = elements(el.children).some((c) => c.name === 'text' || c.name === 'postback' || c.name === 'url');
  const text = structured ? (field(el, 'text') ?? '') : asText(el.children).trim();
  const rawUrl = field(el, 'url');
  if (rawUrl !== undefined && rawUrl !== '') {
    const url = webUrl(rawUrl);
    const label = text || rawUrl;
    return url ? { text: label, url } : { unsafe: label };
  }
  const postback = field(el, 'postback') || text;
  if (!postback) return undefined;
  return { text: text || postback, postback };
}

function card(el: Element): RichCard | undefined {
  const out: RichCard = { title: field(el, 'title') ?? '', subtitle: field(el, 'subtitle') ?? '', buttons: [] };
  const image = webUrl(field(el, 'image'));
  if (image) out.image = image;
  for (const b of elements(el.children)) {
    if (b.name !== 'button') continue;
    const c = choice(b);
    // A card's button with a link we will not follow is left out: the card has no place for loose text.
    if (c && !('unsafe' in c)) out.buttons.push(c);
  }
  return out.image || out.title || out.subtitle || out.buttons.length ? out : undefined;
}

/** The parts, and whether any element was read as rich media (else the reply is shown as its text). */
function toParts(nodes: Node[]): { parts: RichPart[]; interpreted: boolean } {
  const parts: RichPart[] = [];
  let interpreted = false;
  const text = (t: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += t;
    else parts.push({ kind: 'text', text: t });
  };
  /** Consecutive buttons (or replies) form one group, whitespace between them notwithstanding. */
  const group = (kind: 'buttons' | 'replies', b: RichButton) => {
    let last = parts[parts.length - 1];
    if (last?.kind === 'text' && last.text.trim() === '' && parts[parts.length - 2]?.kind === kind) {
      parts.pop();
      last = parts[parts.length - 1];
    }
    if (kind === 'buttons' && last?.kind === 'buttons') last.buttons.push(b);
    else if (kind === 'replies' && last?.kind === 'replies') last.replies.push(b);
    else parts.push(kind === 'buttons' ? { kind, buttons: [b] } : { kind, replies: [b] });
  };
  for (const n of nodes) {
    if (typeof n === 'string') {
      text(n);
      continue;
    }
    switch (n.name) {
      case 'split':
        parts.push({ kind: 'split' });
        break;
      case 'delay': {
        const seconds = Number(asText(n.children).trim());
        if (Number.isFinite(seconds) && seconds >= 0) parts.push({ kind: 'delay', seconds: Math.min(seconds, MAX_DELAY_SECONDS) });
        else text(n.raw);
        break;
      }
      case 'button':
      case 'reply': {
        const c = choice(n);
        if (!c) break;
        if ('unsafe' in c) text(c.unsafe);
        else group(n.name === 'button' ? 'buttons' : 'replies', c);
        break;
      }
      case 'link': {
        const structured = child(n, 'url') !== undefined || child(n, 'text') !== undefined;
        const rawUrl = structured ? (field(n, 'url') ?? '') : asText(n.children).trim();
        const label = (structured ? field(n, 'text') : undefined) || rawUrl;
        const url = webUrl(rawUrl);
        if (url) parts.push({ kind: 'link', text: label, url });
        else text(label);
        break;
      }
      case 'image':
      case 'video': {
        const url = webUrl(asText(n.children));
        if (url) parts.push({ kind: n.name, url });
        else text(n.raw);
        break;
      }
      case 'card': {
        const c = card(n);
        if (c) parts.push({ kind: 'card', card: c });
        break;
      }
      case 'carousel': {
        const cards = elements(n.children)
          .filter((c) => c.name === 'card')
          .map(card)
          .filter((c): c is RichCard => c !== undefined);
        if (cards.length) parts.push({ kind: 'carousel', cards });
        break;
      }
      case 'oob':
        // Out-of-band instructions are for the user's device (AIML 2.0), not for the user to read.
        break;
      default:
        text(n.raw);
        continue;
    }
    interpreted = true;
  }
  return { parts, interpreted };
}

/** Text flows inline with links; next to anything else (and at the ends) its surrounding whitespace goes. */
function tidy(parts: RichPart[]): RichPart[] {
  const inline = (p: RichPart | undefined) => p?.kind === 'link';
  return parts
    .map((p, k) => {
      if (p.kind !== 'text') return p;
      let t = p.text;
      if (!inline(parts[k - 1])) t = t.replace(/^\s+/, '');
      if (!inline(parts[k + 1])) t = t.replace(/\s+$/, '');
      return { kind: 'text' as const, text: t };
    })
    .filter((p) => p.kind !== 'text' || p.text !== '');
}
