import { readRichReply, type RichButton, type RichCard, type RichInline, type RichPart } from '../../../protocol/rich-media.js';

/**
 * A bot reply's words for the conversation list's one-line preview: the rich media read as the end user saw it, its
 * words in reply order with what its buttons send and where its links and images point; pauses and device commands
 * (`<oob>`, never read by the user) left out; white space collapsed. A reply without rich media is its text.
 */
export function replyPreview(text: string): string {
  const parts = readRichReply(text);
  if (!parts) return text;
  const words: string[] = [];
  for (const p of parts) partWords(p, words);
  return words.join(' ').replace(/\s+/g, ' ').trim();
}

/** A word, and what it stands for when that differs ("Choose Basic" sends "CHOOSE BASIC"). */
function both(shown: string, meant: string | undefined, words: string[]): void {
  words.push(shown);
  if (meant && meant !== shown) words.push(meant);
}

const buttonWords = (b: RichButton, words: string[]) => both(b.text, b.postback ?? b.url, words);

function inlineWords(p: RichInline, words: string[]): void {
  if (p.kind === 'link') both(p.text, p.url, words);
  else words.push(p.text);
}

function cardWords(c: RichCard, words: string[]): void {
  if (c.image) words.push(c.image);
  words.push(c.title, c.subtitle);
  for (const b of c.buttons) buttonWords(b, words);
}

function partWords(p: RichPart, words: string[]): void {
  switch (p.kind) {
    case 'text':
    case 'link':
      return inlineWords(p, words);
    case 'image':
    case 'video':
      words.push(p.url);
      return;
    case 'buttons':
      for (const b of p.buttons) buttonWords(b, words);
      return;
    case 'replies':
      for (const b of p.replies) buttonWords(b, words);
      return;
    case 'card':
      return cardWords(p.card, words);
    case 'carousel':
      for (const c of p.cards) cardWords(c, words);
      return;
    case 'list':
      for (const item of p.items) for (const i of item) inlineWords(i, words);
      return;
    case 'split':
    case 'delay':
    case 'oob':
      return;
  }
}
