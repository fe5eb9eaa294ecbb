import { useMutation } from '@tanstack/react-query';
import { useId, type KeyboardEvent } from 'react';
import { LIMITS } from '../../../protocol/limits.js';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { replyBlockedReason } from './state-label.js';

export const REPLY_BOX_ID = 'reply-box';
/** Show the character count once a reply gets this close to the limit. */
const COUNT_FROM = LIMITS.messageChars - 200;

interface Props {
  conversation: ConversationView;
  draft: string;
  onDraftChange: (text: string) => void;
  /** The reply went out; the owner clears the draft unless the designer already typed something else. */
  onSent: (text: string) => void;
  /** Escape: back to the conversation list (the draft stays). */
  onBack: () => void;
}

/**
 * Enter sends, Shift+Enter starts a new line. The first reply in a conversation the bot is answering takes it
 * over (the Platform pauses the bot, sends the paused notice, then the reply). A failed send keeps the text.
 */
export function ReplyBox({ conversation, draft, onDraftChange, onSent, onBack }: Props) {
  const { client } = useStudio();
  const hintId = useId();
  const errorId = useId();
  const blocked = replyBlockedReason(conversation);
  const send = useMutation({
    mutationFn: (text: string) => client.invoke('conversation.reply', { conversationId: conversation.id, text }),
    onSuccess: (_result, text) => onSent(text),
  });

  const text = draft.trim();
  const tooLong = draft.length > LIMITS.messageChars;
  const canSend = !blocked && text.length > 0 && !tooLong && !send.isPending;

  const submit = () => {
    if (!canSend) return;
    send.reset();
    send.mutate(text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      // Back to the list, so the single-key shortcuts (J, K, B) work again; the draft stays.
      event.preventDefault();
      onBack();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  const hint = blocked
    ? blocked
    : conversation.state === 'active'
      ? 'Enter sends, Shift+Enter adds a line. Your first reply pauses the bot and takes over this conversation.'
      : 'Enter sends, Shift+Enter adds a line. You are answering; the bot stays paused until you switch it back on.';

  return (
    <form
      className={`reply-box${blocked ? ' is-blocked' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        id={REPLY_BOX_ID}
        aria-label="Reply"
        aria-describedby={send.isError ? `${errorId} ${hintId}` : hintId}
        aria-invalid={tooLong || undefined}
        placeholder={blocked ? 'Replying is not possible here' : conversation.state === 'active' ? 'Reply to take over from the bot' : 'Reply as the bot'}
        value={draft}
        disabled={Boolean(blocked)}
        rows={3}
        onChange={(event) => onDraftChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="reply-footer">
        <p id={hintId} className={blocked ? 'reply-blocked' : 'reply-hint'}>
          {hint}
        </p>
        {draft.length >= COUNT_FROM && (
          <span className={`char-count${tooLong ? ' is-over' : ''}`} aria-live="polite">
            {draft.length} / {LIMITS.messageChars}
          </span>
        )}
        <button type="submit" className="primary" disabled={!canSend} aria-busy={send.isPending || undefined}>
          {send.isPending ? 'Sending…' : 'Send'}
        </button>
      </div>
      {send.isError && (
        <p id={errorId} className="form-error" role="alert">
          Not sent: {describeError(send.error)} Your text is still here.
        </p>
      )}
    </form>
  );
}
