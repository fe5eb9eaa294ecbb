import { useVirtualizer } from '@tanstack/react-virtual';
import '../styles/listbox.css';
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** How one item shows as an option: its accessible name, what describes it, its look and its content. */
export interface ListboxOption {
  label: string;
  /** Id of an element inside `content` that describes the option (read after its name). */
  describedBy?: string;
  className?: string;
  content: ReactNode;
}

interface Props<T> {
  /** The listbox's accessible name. */
  label: string;
  items: readonly T[];
  itemId: (item: T) => string;
  /** The DOM id of an item's option: unique in the page, as aria-activedescendant points at it. */
  optionId: (item: T, index: number) => string;
  renderOption: (item: T, state: { index: number; selected: boolean }) => ListboxOption;
  selectedId: string | undefined;
  /** `via` tells a click from the keyboard: a narrow window opens a clicked item, but not one arrowed past. */
  onSelect: (id: string, via: 'keyboard' | 'pointer') => void;
  /** Enter on the list: go to work on the selected item. */
  onOpen?: () => void;
  /** Row height in pixels: exact when every row has it, else an estimate until rows are measured. */
  rowHeight: number;
  measureRows?: boolean;
  emptyText: string;
  className: string;
  id?: string;
}

/**
 * A single-select ARIA listbox, virtualised so ten thousand items cost what twenty do. Focus stays on the list
 * itself and the selected option is its active descendant, so options can come and go as they scroll out of view
 * without focus falling to the page. Arrow keys, Page Up/Down, Home and End select; Enter opens.
 */
export function VirtualListbox<T>({ label, items, itemId, optionId, renderOption, selectedId, onSelect, onOpen, rowHeight, measureRows = false, emptyText, className, id }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
    initialRect: { width: 360, height: 800 },
  });
  const selectedIndex = selectedId === undefined ? -1 : items.findIndex((item) => itemId(item) === selectedId);

  // Bring a newly selected option into view (keyboard, notification click), but do not chase it when new data
  // moves it: that would yank the list away from whatever the designer is scrolling through.
  const selectedIndexRef = useRef(selectedIndex);
  useEffect(() => {
    selectedIndexRef.current = selectedIndex;
  });
  useEffect(() => {
    if (selectedIndexRef.current >= 0) virtualizer.scrollToIndex(selectedIndexRef.current, { align: 'auto' });
  }, [selectedId, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Modified keys belong to the app's shortcuts (Alt+Down: next conversation) and the browser.
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const last = items.length - 1;
    // A page is what the list shows, less one row so the designer keeps their place.
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / rowHeight) - 1);
    let target: number | undefined;
    if (event.key === 'ArrowDown') target = Math.min(last, selectedIndex + 1);
    else if (event.key === 'ArrowUp') target = Math.max(0, selectedIndex - 1);
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = last;
    else if (event.key === 'PageDown') target = Math.min(last, Math.max(0, selectedIndex) + page);
    else if (event.key === 'PageUp') target = Math.max(0, selectedIndex - page);
    else if (event.key === 'Enter' && onOpen && selectedIndex >= 0) {
      event.preventDefault();
      onOpen();
      return;
    }
    if (target === undefined || last < 0) return;
    event.preventDefault();
    onSelect(itemId(items[target]!), 'keyboard');
  };

  return (
    <div
      ref={scrollRef}
      id={id}
      className={`virtual-listbox ${className}`}
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? optionId(items[selectedIndex]!, selectedIndex) : undefined}
      onKeyDown={onKeyDown}
    >
      {items.length === 0 ? (
        <p className="list-empty">{emptyText}</p>
      ) : (
        <div className="virtual-listbox-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index]!;
            const key = itemId(item);
            const selected = key === selectedId;
            const option = renderOption(item, { index: row.index, selected });
            return (
              <div
                key={key}
                id={optionId(item, row.index)}
                ref={measureRows ? virtualizer.measureElement : undefined}
                data-index={row.index}
                role="option"
                aria-selected={selected}
                aria-label={option.label}
                aria-describedby={option.describedBy}
                aria-posinset={row.index + 1}
                aria-setsize={items.length}
                className={`virtual-listbox-option${selected ? ' is-selected' : ''}${option.className ? ` ${option.className}` : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: measureRows ? undefined : rowHeight }}
                onClick={() => onSelect(key, 'pointer')}
              >
                {option.content}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
