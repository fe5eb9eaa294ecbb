import type { ReactNode } from 'react';
import type { RichButton as Button, RichCard as Card, RichInline, RichPart } from '../../../protocol/rich-media.js';

/**
 * A bot reply with rich media, shown as the end user saw it (the parts are those the Platform sends to the channels,
 * read by the same reader): buttons and quick replies as chips with what they send or open, cards, carousels, links,
 * lists, pauses and bubble breaks. Images and videos are shown as their address: Studio loads nothing from the bot's
 * content (its CSP forbids it, and a designer reading a conversation should not tell a tracker so). A device command
 * (`<oob>`), which the end user never sees, is shown as the bot wrote it.
 */
export function RichReply({ parts }: { parts: readonly RichPart[] }) {
  return <div className="message-text rich-reply">{parts.map((p, i) => part(p, i))}</div>;
}

/** The reader keeps only web addresses as links; checked again here, as a link in Studio must never run script. */
function WebLink({ href, children }: { href: string; children: ReactNode }) {
  return /^https?:\/\//i.test(href) ? (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

function Chip({ button: b, kind }: { button: Button; kind: 'Button' | 'Quick reply' }) {
  return (
    <span className={`rich-button${kind === 'Quick reply' ? ' is-quick-reply' : ''}`} title={b.url ? `Opens ${b.url}` : `Sends “${b.postback ?? b.text}”`}>
      <span className="visually-hidden">{kind}: </span>
      {b.url ? <WebLink href={b.url}>{b.text}</WebLink> : b.text}
      {b.postback && b.postback !== b.text && <span className="rich-sends"> → {b.postback}</span>}
    </span>
  );
}

function MediaAddress({ kind, url }: { kind: 'Image' | 'Video'; url: string }) {
  return (
    <span className="rich-media-address">
      {kind}: <WebLink href={url}>{url}</WebLink>
    </span>
  );
}

function CardView({ card: c }: { card: Card }) {
  return (
    <span className="rich-card">
      {c.image && <MediaAddress kind="Image" url={c.image} />}
      <strong className="rich-card-title">{c.title}</strong>
      {c.subtitle && <span className="rich-card-subtitle">{c.subtitle}</span>}
      {c.buttons.length > 0 && (
        <span className="rich-buttons">
          {c.buttons.map((b, i) => (
            <Chip key={i} button={b} kind="Button" />
          ))}
        </span>
      )}
    </span>
  );
}

function inline(p: RichInline, key: number): ReactNode {
  if (p.kind === 'text') return p.text;
  return (
    <WebLink key={key} href={p.url}>
      {p.text}
      <span className="visually-hidden"> ({p.url})</span>
    </WebLink>
  );
}

function part(p: RichPart, key: number): ReactNode {
  switch (p.kind) {
    case 'text':
    case 'link':
      return inline(p, key);
    case 'image':
      return <MediaAddress key={key} kind="Image" url={p.url} />;
    case 'video':
      return <MediaAddress key={key} kind="Video" url={p.url} />;
    case 'buttons':
    case 'replies':
      // On their own line, as the widget shows them under the words.
      return (
        <span key={key} className="rich-buttons">
          {(p.kind === 'buttons' ? p.buttons : p.replies).map((b, i) => (
            <Chip key={i} button={b} kind={p.kind === 'buttons' ? 'Button' : 'Quick reply'} />
          ))}
        </span>
      );
    case 'card':
      return <CardView key={key} card={p.card} />;
    case 'carousel':
      return (
        <span key={key} className="rich-carousel">
          {p.cards.map((c, i) => (
            <CardView key={i} card={c} />
          ))}
        </span>
      );
    case 'list': {
      const List = p.ordered ? 'ol' : 'ul';
      return (
        <List key={key} className="rich-list">
          {p.items.map((item, i) => (
            <li key={i}>{item.map(inline)}</li>
          ))}
        </List>
      );
    }
    case 'split':
      return <span key={key} className="rich-split" role="separator" aria-label="Next message bubble" />;
    case 'delay':
      // The widget shows typing dots for the pause, then the rest in a new bubble.
      return (
        <span key={key}>
          <span className="rich-delay"> (pause {p.seconds} s)</span>
          <span className="rich-split" role="separator" aria-label="Next message bubble" />
        </span>
      );
    case 'oob':
      // The end user never reads it; the designer sees that the bot sent it, as written.
      return (
        <span key={key} className="rich-delay">
          (for the device: {p.source})
        </span>
      );
  }
}
