import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { replyBlockedReason } from './state-label.js';

export const BOT_SWITCH_ID = 'bot-active-switch';

/** Toggle the bot on or off in one conversation. The checked state follows the Platform, not the click. */
export function useToggleBot(conversation: ConversationView | undefined) {
  const { client } = useStudio();
  const mutation = useMutation({
    mutationFn: (args: { conversationId: string; active: boolean }) => client.invoke('conversation.setBotActive', args),
  });
  const blocked = conversation ? replyBlockedReason(conversation) : 'No conversation is open.';
  return {
    mutation,
    blocked,
    toggle() {
      if (!conversation || blocked || mutation.isPending) return;
      mutation.mutate({ conversationId: conversation.id, active: conversation.state !== 'active' });
    },
  };
}

export function BotActiveSwitch({ conversation }: { conversation: ConversationView }) {
  const { mutation, blocked, toggle } = useToggleBot(conversation);
  const errorId = useId();
  const active = conversation.state === 'active';
  return (
    <div className="bot-switch">
      <button
        id={BOT_SWITCH_ID}
        type="button"
        role="switch"
        aria-checked={active}
        disabled={Boolean(blocked)}
        aria-busy={mutation.isPending || undefined}
        aria-describedby={mutation.isError ? errorId : undefined}
        title={blocked ?? (active ? 'Pause the bot and answer yourself' : 'Hand the conversation back to the bot')}
        className="switch"
        onClick={toggle}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-label">Bot active</span>
      </button>
      {/* The switch shows the Platform's state, which changes only when the Platform answers: while it has not (or
          cannot, being offline: the change goes out when it is back), say that the click was taken. */}
      {mutation.isPending && (
        <span className="switch-pending" role="status">
          {mutation.variables.active ? 'Switching the bot on…' : 'Switching the bot off…'}
        </span>
      )}
      {mutation.isError && (
        <p id={errorId} className="form-error" role="alert">
          {describeError(mutation.error)}
        </p>
      )}
    </div>
  );
}
