import { memo } from 'react';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { needsHelpReason } from './needs-help.js';
import { relativeTime } from './relative-time.js';
import { CHANNEL_LABELS, stateLabel } from './state-label.js';

interface Props {
  conversation: ConversationView;
  selected: boolean;
  now: number;
  position: number;
  total: number;
  /** Offset in the virtual list, in pixels. */
  top: number;
  height: number;
  onSelect: (id: string) => void;
}

const PREVIEW_PREFIX: Record<string, string> = { user: '', bot: 'Bot: ', human: 'You: ', system: '' };

/** One inbox row. Its accessible name is the client name alone; the rest is its description. */
export const ConversationRow = memo(function ConversationRow({ conversation: c, selected, now, position, total, top, height, onSelect }: Props) {
  const state = stateLabel(c);
  const help = needsHelpReason(c, now);
  const last = c.lastMessage;
  const prefix = last ? (last.author === 'human' && !c.heldByMe ? `${c.heldBy?.name ?? 'Designer'}: ` : PREVIEW_PREFIX[last.author]) : '';
  const descriptionId = `conversation-${c.id}-details`;
  return (
    <div
      id={`conversation-${c.id}`}
      role="option"
      aria-selected={selected}
      aria-label={c.clientName}
      aria-describedby={descriptionId}
      aria-setsize={total}
      aria-posinset={position}
      className={`conversation-row${selected ? ' is-selected' : ''}${help ? ' needs-help' : ''}${c.unread > 0 ? ' is-unread' : ''}`}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={() => onSelect(c.id)}
    >
      <div className="row-line">
        <span className={`presence-dot${c.online ? ' is-online' : ''}`} aria-hidden="true" />
        <span className="row-name">{c.clientName}</span>
        <time className="row-time" dateTime={new Date(c.lastActivityAt).toISOString()}>
          {relativeTime(c.lastActivityAt, now)}
        </time>
      </div>
      <div id={descriptionId} className="row-details">
        <div className="row-line">
          <span className="row-preview">{last ? `${prefix}${last.text}` : 'No messages yet'}</span>
          {c.unread > 0 && (
            <span className="unread-count" aria-label={`${c.unread} unread`}>
              {c.unread > 99 ? '99+' : c.unread}
            </span>
          )}
        </div>
        <div className="row-line row-tags">
          <span className={`state-badge tone-${state.tone}`}>{state.text}</span>
          {help && (
            <span className="help-badge" title={help}>
              Needs help<span className="visually-hidden">: {help}</span>
            </span>
          )}
          <span className="row-meta">
            {c.bot} · {CHANNEL_LABELS[c.channel]}
            {c.online ? ' · online' : ''}
          </span>
        </div>
      </div>
    </div>
  );
});
