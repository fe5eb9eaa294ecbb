/**
 * Reads the rich media in a bot reply (AIML 2.1 section 10 as Pandorabots' widget shows it: buttons, quick replies,
 * cards, carousels, links, images, videos, lists, splits and delays) and its `<oob>` commands for the device, so
 * the transcript can show what the end user saw instead of markup.
 *
 * The engine passes these elements through with their content evaluated and entities decoded, so a reply is not
 * XML ("Tom & Jerry <3 <button>Yes</button>"): it is read leniently. Only the rich-media element names count as
 * markup; any other `<...>` is what the bot said ("<glad>", "I <3 robots"). An element never closed, or closed out
 * of turn, is shown as the text it was written as, so nothing the bot said is lost.
 */

const RICH_NAMES = ['button', 'reply', 'card', 'carousel', 'image', 'video', 'link', 'text', 'postback', 'url', 'title', 'subtitle', 'olist', 'ulist', 'li', 'split', 'delay', 'oob'] as const;
export type RichName = (typeof RICH_NAMES)[number];

export interface RichElement {
  name: RichName;
  children: RichNode[];
}
export type RichNode = string | RichElement;

const TAG = new RegExp(`<(/?)(${RICH_NAMES.join('|')})(?:\\s[^<>]*)?(/?)>`, 'gi');
/** Deeper than rich media ever nests: the rest is read as text (and the recursion that shows it stays bounded). */
const MAX_DEPTH = 16;

interface Open {
  name: RichName;
  raw: string;
  children: RichNode[];
}

/** The reply as text and rich-media elements; undefined when it has none (show the text as it is). */
export function readRichReply(text: string): RichNode[] | undefined {
  if (!text.includes('<')) return undefined;
  const root: Open = { name: 'text', raw: '', children: [] };
  const stack: Open[] = [root];
  const top = () => stack[stack.length - 1]!;
  const addText = (s: string) => {
    if (s === '') return;
    const children = top().children;
    const last = children[children.length - 1];
    if (typeof last === 'string') children[children.length - 1] = last + s;
    else children.push(s);
  };
  // An element left open is not markup after all: its start tag becomes text again, its content stays.
  const unwrap = (open: Open) => {
    addText(open.raw);
    for (const child of open.children) {
      if (typeof child === 'string') addText(child);
      else top().children.push(child);
    }
  };
  let found = false;
  let at = 0;
  for (const m of text.matchAll(TAG)) {
    addText(text.slice(at, m.index));
    at = m.index + m[0].length;
    const name = m[2]!.toLowerCase() as RichName;
    const closing = m[1] === '/';
    const empty = m[3] === '/';
    if (closing && !empty) {
      const depth = stack.map((o) => o.name).lastIndexOf(name);
      if (depth <= 0) {
        addText(m[0]);
        continue;
      }
      while (stack.length - 1 > depth) unwrap(stack.pop()!);
      const done = stack.pop()!;
      top().children.push({ name: done.name, children: done.children });
      found = true;
    } else if (empty && !closing) {
      top().children.push({ name, children: [] });
      found = true;
    } else if (!closing && stack.length <= MAX_DEPTH) stack.push({ name, raw: m[0], children: [] });
    else addText(m[0]);
  }
  addText(text.slice(at));
  while (stack.length > 1) unwrap(stack.pop()!);
  return found ? root.children : undefined;
}

/** The words of rich-media nodes, for one line: delays are pauses and out-of-band commands are for the device, not words. */
export function richText(nodes: readonly RichNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') out += n;
    else if (n.name !== 'delay' && n.name !== 'oob') out += ` ${richText(n.children)} `;
  }
  return out;
}

/** A bot reply's words for a one-line preview: rich-media markup dropped, white space collapsed. */
export function replyPreview(text: string): string {
  const nodes = readRichReply(text);
  return nodes ? richText(nodes).replace(/\s+/g, ' ').trim() : text;
}
