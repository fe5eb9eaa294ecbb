import { memo } from 'react';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { relativeTime } from './relative-time.js';
import { replyPreview } from './reply-preview.js';
import { CHANNEL_LABELS, stateLabel } from './state-label.js';

interface Props {
  conversation: ConversationView;
  now: number;
  /** Why the conversation needs a human, when it does. */
  help: string | undefined;
}

const PREVIEW_PREFIX: Record<string, string> = { user: '', bot: 'Bot: ', human: 'You: ', system: '' };

/**
 * What one inbox option shows. The option itself is named by the client name alone (ConversationList); the
 * details below are its description. Memoised: while events stream, only the rows whose conversation changed
 * render again.
 */
export const ConversationRow = memo(function ConversationRow({ conversation: c, now, help }: Props) {
  const state = stateLabel(c);
  const last = c.lastMessage;
  const prefix = last ? (last.author === 'human' && !c.heldByMe ? `${c.heldBy?.name ?? 'Designer'}: ` : PREVIEW_PREFIX[last.author]) : '';
  return (
    <>
      <div className="row-line">
        <span className={`presence-dot${c.online ? ' is-online' : ''}`} aria-hidden="true" />
        <span className="row-name">{c.clientName}</span>
        <time className="row-time" dateTime={new Date(c.lastActivityAt).toISOString()}>
          {relativeTime(c.lastActivityAt, now)}
        </time>
      </div>
      <div id={`conversation-${c.id}-details`} className="row-details">
        <div className="row-line">
          <span className="row-preview">{last ? `${prefix}${last.author === 'bot' ? replyPreview(last.text) : last.text}` : 'No messages yet'}</span>
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
    </>
  );
});
