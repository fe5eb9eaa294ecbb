import type { ReactNode } from 'react';
import { richText, type RichElement, type RichName, type RichNode } from './rich-reply.js';

/**
 * A bot reply with rich media, shown as the end user saw it: buttons and quick replies as chips (with what they
 * send or open), cards with their title, subtitle and buttons, links, lists, pauses and bubble breaks. Images and
 * videos are shown as their address: Studio loads nothing from the bot's content (its CSP forbids it, and a
 * designer reading a conversation should not tell a tracker so).
 */
export function RichReply({ nodes }: { nodes: readonly RichNode[] }) {
  return <div className="message-text rich-reply">{nodes.map(node)}</div>;
}

/** Out-of-band content is commands for the device (`<sms>`, `<url>`...): shown as the bot wrote it. */
function oobSource(nodes: readonly RichNode[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : `<${n.name}>${oobSource(n.children)}</${n.name}>`)).join('');
}

function node(n: RichNode, key: number): ReactNode {
  return typeof n === 'string' ? n : <RichPart key={key} element={n} />;
}

function child(e: RichElement, name: RichName): string | undefined {
  const found = e.children.find((c): c is RichElement => typeof c !== 'string' && c.name === name);
  return found && richText(found.children).trim();
}

/** The element's own text, without the named parts shown elsewhere (a button's postback, a card's title). */
function label(e: RichElement): string {
  const text = child(e, 'text');
  if (text !== undefined) return text;
  return richText(e.children.filter((c) => typeof c === 'string')).trim();
}

function WebLink({ href, children }: { href: string; children: ReactNode }) {
  // Only web addresses become links; anything else stays text.
  return /^https?:\/\//i.test(href) ? (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

function RichButton({ e, kind }: { e: RichElement; kind: 'Button' | 'Quick reply' }) {
  const text = label(e);
  const url = child(e, 'url');
  const sends = child(e, 'postback');
  return (
    <span className={`rich-button${kind === 'Quick reply' ? ' is-quick-reply' : ''}`} title={url ? `Opens ${url}` : `Sends “${sends || text}”`}>
      <span className="visually-hidden">{kind}: </span>
      {url ? <WebLink href={url}>{text}</WebLink> : text}
      {sends && sends !== text && <span className="rich-sends"> → {sends}</span>}
    </span>
  );
}

function RichCard({ e }: { e: RichElement }) {
  const image = child(e, 'image');
  const subtitle = child(e, 'subtitle');
  const buttons = e.children.filter((c): c is RichElement => typeof c !== 'string' && c.name === 'button');
  return (
    <span className="rich-card">
      {image && (
        <span className="rich-media-address">
          Image: <WebLink href={image}>{image}</WebLink>
        </span>
      )}
      <strong className="rich-card-title">{child(e, 'title')}</strong>
      {subtitle && <span className="rich-card-subtitle">{subtitle}</span>}
      {buttons.length > 0 && (
        <span className="rich-buttons">
          {buttons.map((b, i) => (
            <RichButton key={i} e={b} kind="Button" />
          ))}
        </span>
      )}
    </span>
  );
}

function RichPart({ element: e }: { element: RichElement }) {
  switch (e.name) {
    case 'button':
      return <RichButton e={e} kind="Button" />;
    case 'reply':
      return <RichButton e={e} kind="Quick reply" />;
    case 'card':
      return <RichCard e={e} />;
    case 'carousel':
      return (
        <span className="rich-carousel">
          {e.children.filter((c): c is RichElement => typeof c !== 'string' && c.name === 'card').map((c, i) => (
            <RichCard key={i} e={c} />
          ))}
        </span>
      );
    case 'link': {
      const url = child(e, 'url') ?? '';
      return (
        <WebLink href={url}>
          {label(e) || url}
          {url && <span className="visually-hidden"> ({url})</span>}
        </WebLink>
      );
    }
    case 'image':
    case 'video': {
      const url = richText(e.children).trim();
      return (
        <span className="rich-media-address">
          {e.name === 'image' ? 'Image' : 'Video'}: <WebLink href={url}>{url}</WebLink>
        </span>
      );
    }
    case 'olist':
    case 'ulist': {
      const items = e.children.filter((c): c is RichElement => typeof c !== 'string' && c.name === 'li');
      const List = e.name === 'olist' ? 'ol' : 'ul';
      return (
        <List className="rich-list">
          {items.map((li, i) => (
            <li key={i}>{li.children.map(node)}</li>
          ))}
        </List>
      );
    }
    case 'split':
      return <span className="rich-split" role="separator" aria-label="Next message bubble" />;
    case 'delay':
      return <span className="rich-delay">(pause {richText(e.children).trim() || '1'} s)</span>;
    case 'oob':
      // The end user never reads it; the designer sees that the bot sent it, as written.
      return <span className="rich-delay">(for the device: {oobSource(e.children)})</span>;
    default:
      // text, postback, url, title, subtitle or li outside their parent: their words.
      return <>{e.children.map(node)}</>;
  }
}
