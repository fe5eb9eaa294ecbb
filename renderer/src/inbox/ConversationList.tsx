import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { ConversationRow } from './ConversationRow.js';

export const ROW_HEIGHT = 84;

interface Props {
  conversations: readonly ConversationView[];
  selectedId: string | undefined;
  now: number;
  onSelect: (id: string) => void;
  /** Enter on the list: go write in the selected conversation. */
  onOpen: () => void;
  emptyText: string;
}

/**
 * The inbox list: an ARIA listbox, virtualised so 10,000 conversations cost what 20 do. Focus stays on the list
 * itself and the selected row is its active descendant, so rows can come and go as they scroll out of view
 * without focus falling to the page.
 */
export function ConversationList({ conversations, selectedId, now, onSelect, onOpen, emptyText }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialRect: { width: 360, height: 800 },
  });
  const selectedIndex = selectedId === undefined ? -1 : conversations.findIndex((c) => c.id === selectedId);

  // Bring a newly selected row into view (keyboard, notification click), but do not chase the open conversation
  // when new messages move it: that would yank the list away from whatever the designer is scrolling through.
  const selectedIndexRef = useRef(selectedIndex);
  useEffect(() => {
    selectedIndexRef.current = selectedIndex;
  });
  useEffect(() => {
    if (selectedIndexRef.current >= 0) virtualizer.scrollToIndex(selectedIndexRef.current, { align: 'auto' });
  }, [selectedId, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const last = conversations.length - 1;
    let target: number | undefined;
    if (event.key === 'ArrowDown') target = Math.min(last, selectedIndex + 1);
    else if (event.key === 'ArrowUp') target = Math.max(0, selectedIndex - 1);
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = last;
    else if (event.key === 'PageDown') target = Math.min(last, Math.max(0, selectedIndex) + 8);
    else if (event.key === 'PageUp') target = Math.max(0, selectedIndex - 8);
    else if (event.key === 'Enter' && selectedId !== undefined) {
      event.preventDefault();
      onOpen();
      return;
    }
    if (target === undefined || last < 0) return;
    event.preventDefault();
    onSelect(conversations[target]!.id);
  };

  return (
    <div
      ref={scrollRef}
      className="conversation-list"
      role="listbox"
      aria-label="Conversations"
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? `conversation-${selectedId}` : undefined}
      onKeyDown={onKeyDown}
      id="conversation-list"
    >
      {conversations.length === 0 ? (
        <p className="list-empty">{emptyText}</p>
      ) : (
        <div className="conversation-list-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const c = conversations[item.index]!;
            return (
              <ConversationRow
                key={c.id}
                conversation={c}
                selected={c.id === selectedId}
                now={now}
                position={item.index + 1}
                total={conversations.length}
                onSelect={onSelect}
                top={item.start}
                height={ROW_HEIGHT}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}
