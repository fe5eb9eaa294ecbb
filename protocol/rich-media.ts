import { z } from 'zod';

/**
 * The rich media of a bot reply (AIML 2.1 section 10 as Pandorabots' widget shows it), read once, one way, for every
 * place that shows a reply: the Platform sends the parts to the Chat Widget and the Landing Page, Studio draws its
 * transcript and its conversation list preview from them. This module is the wire contract and the reader both.
 */

const WEB_URL = /^https?:\/\/[^\s]+$/i;
const MAX_URL_CHARS = 2048;
/** A link the end user's browser may open or load: http(s) only, never javascript: or data:. */
export const WebUrl = z.string().max(MAX_URL_CHARS).regex(WEB_URL, 'an http(s) URL');

/** An AIML `<button>` or `<reply>`: sends `postback` (its text when not given) as the user's message, or opens `url`. */
export const RichButton = z.object({ text: z.string(), postback: z.string().optional(), url: WebUrl.optional() });
export type RichButton = z.infer<typeof RichButton>;

export const RichCard = z.object({ image: WebUrl.optional(), title: z.string(), subtitle: z.string(), buttons: z.array(RichButton) });
export type RichCard = z.infer<typeof RichCard>;

const TextPart = z.object({ kind: z.literal('text'), text: z.string() });
const LinkPart = z.object({ kind: z.literal('link'), text: z.string(), url: WebUrl });

/** What flows inline: text and links (a bubble's words, a list item). */
export const RichInline = z.discriminatedUnion('kind', [TextPart, LinkPart]);
export type RichInline = z.infer<typeof RichInline>;

/**
 * A bot reply's rich media, in reply order. Text and links flow inline in a bubble; `split` starts a new bubble; `delay`
 * shows typing dots for its seconds, then a new bubble; `replies` are quick replies under the message, gone once the
 * user answers; `list` is a bulleted (`<list>`) or numbered (`<olist>`) list. `oob` is a command for the user's device
 * (`source` as the bot wrote it): Studio shows it to the designer, the end-user channels never get it.
 */
export const RichPart = z.discriminatedUnion('kind', [
  TextPart,
  LinkPart,
  z.object({ kind: z.literal('image'), url: WebUrl }),
  z.object({ kind: z.literal('video'), url: WebUrl }),
  z.object({ kind: z.literal('buttons'), buttons: z.array(RichButton) }),
  z.object({ kind: z.literal('replies'), replies: z.array(RichButton) }),
  z.object({ kind: z.literal('card'), card: RichCard }),
  z.object({ kind: z.literal('carousel'), cards: z.array(RichCard) }),
  z.object({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(RichInline)) }),
  z.object({ kind: z.literal('split') }),
  z.object({ kind: z.literal('delay'), seconds: z.number().nonnegative() }),
  z.object({ kind: z.literal('oob'), source: z.string() }),
]);
export type RichPart = z.infer<typeof RichPart>;

/** More parts than a chat can sensibly show: such a reply is shown as its text. */
export const MAX_PARTS = 500;
/** A `<delay>` longer than this keeps the user waiting for nothing: it is shortened to it. */
export const MAX_DELAY_SECONDS = 10;
/** Deeper nesting than rich media ever needs is read as text (and bounds the work). */
const MAX_DEPTH = 32;

/**
 * Everything a bot reply shows, including its `<oob>` device commands (Studio's transcript: the designer sees what
 * the bot sent). Undefined when the reply has no rich media: show its text as it is.
 *
 * The engine passes `<button>`, `<card>`, ... through as XML with their content evaluated and entities decoded, so a
 * reply is not well-formed XML ("Tom & Jerry <3 <button>Yes</button>"): it is read leniently. Only the rich-media
 * element names, in lower case as AIML writes them, are markup: `<name attr="v">`, `</name>` or `<name/>`. Any other
 * `<...>` is what the bot said ("<glad>", "I <3 robots", "<b>"). Rich-media elements never closed, closed out of turn
 * or out of place (a `<title>` outside a card) are shown as the text they were written as, so nothing is lost. Only
 * http(s) addresses are kept as links, images or videos.
 */
export function readRichReply(reply: string): RichPart[] | undefined {
  return reply.includes('<') ? read(reply, true) : undefined;
}

/** What the end user's channel shows (Chat Widget, Landing Page): as {@link readRichReply}, without device commands. */
export function readRichReplyForChannel(reply: string): RichPart[] | undefined {
  return reply.includes('<') ? read(reply, false) : undefined;
}

function read(reply: string, withDeviceCommands: boolean): RichPart[] | undefined {
  const found = toParts(parse(reply), withDeviceCommands);
  if (!found.interpreted) return undefined;
  const parts = tidy(found.parts);
  return parts.length > MAX_PARTS ? undefined : parts;
}

// ---- reading the markup -------------------------------------------------------------------------------------------

const RICH_NAMES = new Set([
  'button', 'reply', 'card', 'carousel', 'link', 'image', 'video', 'delay', 'split', 'oob', 'text', 'postback', 'url',
  'title', 'subtitle', 'list', 'ulist', 'olist', 'item', 'li',
]);

interface Tag {
  name: string;
  closing: boolean;
  /** `<name/>`. */
  empty: boolean;
  /** Index just after the `>`. */
  end: number;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
const isLower = (c: number) => c >= 97 && c <= 122;
/** `[\w:.-]`: a character of an attribute's name. */
const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 46 || c === 45;

/**
 * The rich-media tag starting at `at` (a `<`), or undefined when there is none: `<name attr="v" ...>`, `</name>` or
 * `<name/>`, the name in RICH_NAMES. Scanned by hand: a regular expression cost most of a reply's reading time.
 */
function tagAt(s: string, at: number): Tag | undefined {
  let i = at + 1;
  const closing = s.charCodeAt(i) === 47; // '/'
  if (closing) i++;
  const nameStart = i;
  while (isLower(s.charCodeAt(i))) i++;
  const name = s.slice(nameStart, i);
  if (!RICH_NAMES.has(name)) return undefined;
  let attributes = false;
  for (;;) {
    const spaceStart = i;
    while (isSpace(s.charCodeAt(i))) i++;
    const c = s.charCodeAt(i);
    if (c === 62) return closing && attributes ? undefined : { name, closing, empty: false, end: i + 1 }; // '>'
    if (c === 47) return !closing && s.charCodeAt(i + 1) === 62 ? { name, closing, empty: true, end: i + 2 } : undefined; // '/>'
    // An attribute, `name = "value"` or `name = 'value'`, after white space.
    if (i === spaceStart || !isNameChar(c)) return undefined;
    while (isNameChar(s.charCodeAt(i))) i++;
    while (isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 61) return undefined; // '='
    i++;
    while (isSpace(s.charCodeAt(i))) i++;
    const quote = s.charCodeAt(i);
    if (quote !== 34 && quote !== 39) return undefined;
    const close = s.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close === -1) return undefined;
    i = close + 1;
    attributes = true;
  }
}

type Node = string | Element;
interface Element {
  name: string;
  children: Node[];
  /** The element as written, for showing it as text. */
  raw: string;
  /** Its content as written (an `<oob>` command is shown so). */
  inner: string;
}

interface Open {
  name: string;
  start: number;
  innerStart: number;
  children: Node[];
}

function addText(children: Node[], text: string): void {
  if (text === '') return;
  const last = children.length - 1;
  if (typeof children[last] === 'string') children[last] += text;
  else children.push(text);
}

/** An element left open is not markup after all: its start tag becomes text again, its content stays. */
function unwrap(source: string, open: Open, into: Node[]): void {
  addText(into, source.slice(open.start, open.innerStart));
  for (const child of open.children) {
    if (typeof child === 'string') addText(into, child);
    else into.push(child);
  }
}

/** The reply as text and rich-media elements. One pass over the tags with a stack of open elements. */
function parse(source: string): Node[] {
  const stack: Open[] = [{ name: '', start: 0, innerStart: 0, children: [] }];
  let top = stack[0]!.children;
  let at = 0;
  for (let start = source.indexOf('<'); start !== -1; start = source.indexOf('<', start + 1)) {
    const tag = tagAt(source, start);
    if (!tag) continue;
    const { name, end } = tag;
    addText(top, source.slice(at, start));
    at = end;
    if (tag.closing) {
      let depth = stack.length - 1;
      while (depth > 0 && stack[depth]!.name !== name) depth--;
      if (depth === 0) addText(top, source.slice(start, end)); // closes nothing that is open
      else {
        while (stack.length - 1 > depth) unwrap(source, stack.pop()!, stack[stack.length - 1]!.children);
        const done = stack.pop()!;
        top = stack[stack.length - 1]!.children;
        top.push({ name, children: done.children, raw: source.slice(done.start, end), inner: source.slice(done.innerStart, start) });
      }
    } else if (tag.empty) top.push({ name, children: [], raw: source.slice(start, end), inner: '' });
    else if (stack.length > MAX_DEPTH) addText(top, source.slice(start, end));
    else {
      const open: Open = { name, start, innerStart: end, children: [] };
      stack.push(open);
      top = open.children;
    }
    start = end - 1;
  }
  addText(top, source.slice(at));
  while (stack.length > 1) unwrap(source, stack.pop()!, stack[stack.length - 1]!.children);
  return stack[0]!.children;
}

// ---- from elements to parts ---------------------------------------------------------------------------------------

function asText(nodes: Node[]): string {
  if (nodes.length === 1 && typeof nodes[0] === 'string') return nodes[0];
  let out = '';
  for (const n of nodes) out += typeof n === 'string' ? n : n.raw;
  return out;
}
const elements = (nodes: Node[]): Element[] => nodes.filter((n): n is Element => typeof n !== 'string');
function child(el: Element, name: string): Element | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}
function field(el: Element, name: string): string | undefined {
  const c = child(el, name);
  return c ? asText(c.children).trim() : undefined;
}

function webUrl(text: string | undefined): string | undefined {
  const url = text?.trim();
  return url && url.length <= MAX_URL_CHARS && WEB_URL.test(url) ? url : undefined;
}

/**
 * `<button>`/`<reply>`: `<text>` with `<postback>` or `<url>`; bare content is both text and postback, and an empty
 * postback is the text. A link that is not http(s) is not followed: the caller shows the text instead.
 */
function choice(el: Element): RichButton | { unsafe: string } | undefined {
  const structured = el.children.some((c) => typeof c !== 'string' && (c.name === 'text' || c.name === 'postback' || c.name === 'url'));
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

/** `<link>`: `<text>` and `<url>`, or the address alone; text when the address is not http(s). */
function link(el: Element): RichInline {
  const structured = child(el, 'url') !== undefined || child(el, 'text') !== undefined;
  const rawUrl = structured ? (field(el, 'url') ?? '') : asText(el.children).trim();
  const label = (structured ? field(el, 'text') : undefined) || rawUrl;
  const url = webUrl(rawUrl);
  return url ? { kind: 'link', text: label, url } : { kind: 'text', text: label };
}

/** A list item's words and links; anything else in it is shown as written. */
function listItem(el: Element): RichInline[] {
  const out: RichInline[] = [];
  for (const n of el.children) {
    if (typeof n === 'string') appendText(out, n);
    else if (n.name === 'link') {
      const l = link(n);
      if (l.kind === 'text') appendText(out, l.text);
      else out.push(l);
    } else appendText(out, n.raw);
  }
  return tidy(out) as RichInline[];
}

/** Text runs on in the text before it. */
function appendText(parts: RichPart[], t: string): void {
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') last.text += t;
  else parts.push({ kind: 'text', text: t });
}

/** Consecutive buttons (or replies) form one group, whitespace between them notwithstanding. */
function appendChoice(parts: RichPart[], kind: 'buttons' | 'replies', b: RichButton): void {
  let last = parts[parts.length - 1];
  if (last?.kind === 'text' && last.text.trim() === '' && parts[parts.length - 2]?.kind === kind) {
    parts.pop();
    last = parts[parts.length - 1];
  }
  if (kind === 'buttons' && last?.kind === 'buttons') last.buttons.push(b);
  else if (kind === 'replies' && last?.kind === 'replies') last.replies.push(b);
  else parts.push(kind === 'buttons' ? { kind, buttons: [b] } : { kind, replies: [b] });
}

/** The parts, and whether any element was read as rich media (else the reply is shown as its text). */
function toParts(nodes: Node[], withDeviceCommands: boolean): { parts: RichPart[]; interpreted: boolean } {
  const parts: RichPart[] = [];
  let interpreted = false;
  for (const n of nodes) {
    if (typeof n === 'string') {
      appendText(parts, n);
      continue;
    }
    switch (n.name) {
      case 'split':
        parts.push({ kind: 'split' });
        break;
      case 'delay': {
        const seconds = Number(asText(n.children).trim());
        if (Number.isFinite(seconds) && seconds >= 0) parts.push({ kind: 'delay', seconds: Math.min(seconds, MAX_DELAY_SECONDS) });
        else appendText(parts, n.raw);
        break;
      }
      case 'button':
      case 'reply': {
        const c = choice(n);
        if (!c) break;
        if ('unsafe' in c) appendText(parts, c.unsafe);
        else appendChoice(parts, n.name === 'button' ? 'buttons' : 'replies', c);
        break;
      }
      case 'link': {
        const l = link(n);
        if (l.kind === 'text') appendText(parts, l.text);
        else parts.push(l);
        break;
      }
      case 'image':
      case 'video': {
        const url = webUrl(asText(n.children));
        if (url) parts.push({ kind: n.name, url });
        else appendText(parts, n.raw);
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
      case 'list':
      case 'ulist':
      case 'olist': {
        const items = elements(n.children)
          .filter((c) => c.name === 'item' || c.name === 'li')
          .map(listItem)
          .filter((item) => item.length > 0);
        if (items.length) parts.push({ kind: 'list', ordered: n.name === 'olist', items });
        break;
      }
      case 'oob':
        // Out-of-band instructions are for the user's device (AIML 2.0), not for the user to read.
        if (withDeviceCommands) parts.push({ kind: 'oob', source: n.inner });
        break;
      default:
        // A part of a button, card, link or list out of its place (`<title>` alone): shown as written.
        appendText(parts, n.raw);
        continue;
    }
    interpreted = true;
  }
  return { parts, interpreted };
}

const flowsInline = (p: RichPart | undefined) => p?.kind === 'link' || p?.kind === 'oob';

/**
 * Text flows inline with links (and with a device command, which sits in the sentence where the bot put it); next to
 * anything else, and at the ends, its surrounding whitespace goes.
 */
function tidy(parts: RichPart[]): RichPart[] {
  const out: RichPart[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (p.kind !== 'text') {
      out.push(p);
      continue;
    }
    let t = p.text;
    if (!flowsInline(parts[k - 1])) t = t.trimStart();
    if (!flowsInline(parts[k + 1])) t = t.trimEnd();
    if (t !== '') out.push(t === p.text ? p : { kind: 'text', text: t });
  }
  return out;
}
