import type { ConversationView } from '../../../protocol/studio-api.js';
import { VirtualListbox } from '../app/VirtualListbox.js';
import { ConversationRow } from './ConversationRow.js';
import { needsHelpReason } from './needs-help.js';

export const ROW_HEIGHT = 84;
export const CONVERSATION_LIST_ID = 'conversation-list';

interface Props {
  conversations: readonly ConversationView[];
  selectedId: string | undefined;
  now: number;
  onSelect: (id: string, via: 'keyboard' | 'pointer') => void;
  /** Enter on the list: go write in the selected conversation. */
  onOpen: () => void;
  emptyText: string;
}

/** The inbox list: each conversation an option named by its robot name and described by the rest of its row. */
export function ConversationList({ conversations, selectedId, now, onSelect, onOpen, emptyText }: Props) {
  return (
    <VirtualListbox
      label="Conversations"
      id={CONVERSATION_LIST_ID}
      className="conversation-list"
      items={conversations}
      itemId={(c) => c.id}
      optionId={(c) => `conversation-${c.id}`}
      renderOption={(c) => {
        const help = needsHelpReason(c, now);
        return {
          label: c.clientName,
          describedBy: `conversation-${c.id}-details`,
          className: `conversation-row${help ? ' needs-help' : ''}${c.unread > 0 ? ' is-unread' : ''}`,
          content: <ConversationRow conversation={c} now={now} help={help} />,
        };
      }}
      selectedId={selectedId}
      onSelect={onSelect}
      onOpen={onOpen}
      rowHeight={ROW_HEIGHT}
      emptyText={emptyText}
    />
  );
}
