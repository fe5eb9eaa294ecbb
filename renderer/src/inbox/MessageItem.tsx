import { memo } from 'react';
import type { DesignerRef, Message } from '../../../protocol/conversation.js';
import { readRichReply } from '../../../protocol/rich-media.js';
import { MatchDetails } from './MatchDetails.js';
import { fullDateTime, messageTime } from './relative-time.js';
import { RichReply } from './RichReply.js';

const NOTICE_LABELS: Record<string, string> = {
  paused: 'Bot paused',
  reactivated: 'Bot switched back on',
  inactivity: 'Bot resumed after inactivity',
};

export function authorLabel(message: Message, clientName: string, me: DesignerRef | undefined): string {
  switch (message.author) {
    case 'user':
      return clientName;
    case 'bot':
      return 'Bot';
    case 'human': {
      // One's own replies say "You": the name is what others see, and repeating it back helps nobody.
      if (me && message.designer?.id === me.id) return 'You';
      return message.designer?.name ?? 'Designer';
    }
    case 'system':
      return (message.notice && NOTICE_LABELS[message.notice]) ?? 'Notice';
  }
}

/** One message, styled by who wrote it: user on the left; bot and human on the right; notices in the middle. */
export const MessageItem = memo(function MessageItem({ message, clientName, me, now }: { message: Message; clientName: string; me: DesignerRef | undefined; now: number }) {
  const author = authorLabel(message, clientName, me);
  const time = messageTime(message.at, now);
  // Only the bot's replies carry rich media; anything a person typed is shown exactly as typed.
  const rich = message.author === 'bot' ? readRichReply(message.text) : undefined;
  if (message.author === 'system') {
    return (
      <div className={`message message-system notice-${message.notice ?? 'other'}`} data-seq={message.seq}>
        <span className="notice-label">{author}</span>
        <span className="message-text">{message.text}</span>
        <time dateTime={new Date(message.at).toISOString()}>{time}</time>
      </div>
    );
  }
  return (
    <article className={`message message-${message.author}`} aria-label={`${author}, ${time}`} data-seq={message.seq}>
      <header className="message-header">
        <span className="message-author">{author}</span>
        <time dateTime={new Date(message.at).toISOString()} title={fullDateTime(message.at)}>
          {time}
        </time>
      </header>
      {rich ? <RichReply parts={rich} /> : <p className="message-text">{message.text}</p>}
      {message.author === 'bot' && message.match && <MatchDetails match={message.match} />}
    </article>
  );
});
