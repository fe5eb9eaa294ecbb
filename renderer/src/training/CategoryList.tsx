import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { TrainingCategory } from '../../../protocol/training.js';
import { templateText } from './category-filters.js';

/** A row's height before it is measured (rows with a <that> line are taller). */
const ESTIMATED_ROW = 86;

interface Props {
  categories: TrainingCategory[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  emptyText: string;
}

/**
 * The learned categories: pattern, answer, state, conflicts, source and time. An ARIA listbox, virtualised so a
 * workspace of many thousand categories scrolls like one of ten; focus stays on the list and the selected row is
 * its active descendant. Arrow keys, Home and End move through it.
 */
export function CategoryList({ categories, selectedId, onSelect, emptyText }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: categories.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    initialRect: { width: 320, height: 800 },
  });
  const selectedIndex = selectedId === undefined ? -1 : categories.findIndex((c) => c.id === selectedId);
  const selectedIndexRef = useRef(selectedIndex);
  useEffect(() => {
    selectedIndexRef.current = selectedIndex;
  });
  useEffect(() => {
    if (selectedIndexRef.current >= 0) virtualizer.scrollToIndex(selectedIndexRef.current, { align: 'auto' });
  }, [selectedId, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = categories.length - 1;
    let target: number | undefined;
    if (event.key === 'ArrowDown') target = Math.min(last, selectedIndex + 1);
    else if (event.key === 'ArrowUp') target = Math.max(0, selectedIndex - 1);
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = last;
    if (target === undefined || last < 0) return;
    event.preventDefault();
    onSelect(categories[target]!.id);
  };

  return (
    <div
      ref={scrollRef}
      className="category-list"
      role="listbox"
      aria-label="Learned categories"
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? optionId(selectedIndex) : undefined}
      onKeyDown={onKeyDown}
    >
      {categories.length === 0 ? (
        <p className="list-empty">{emptyText}</p>
      ) : (
        <div className="category-list-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const c = categories[item.index]!;
            return (
              <div
                key={c.id}
                id={optionId(item.index)}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="option"
                aria-selected={c.id === selectedId}
                aria-label={c.pattern}
                aria-describedby={`${optionId(item.index)}-about`}
                aria-posinset={item.index + 1}
                aria-setsize={categories.length}
                className={`category-row${c.id === selectedId ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => onSelect(c.id)}
              >
                <span className="row-line">
                  <code className="row-pattern">{c.pattern}</code>
                  <span className={`state-tag state-${c.state}`}>{c.state === 'new' ? 'New' : 'Reviewed'}</span>
                </span>
                {/* The pattern names the row; state, context, answer and source describe it. */}
                <span id={`${optionId(item.index)}-about`} className="row-about">
                  <span className="visually-hidden">{c.state === 'new' ? 'New. ' : 'Reviewed. '}</span>
                  {c.that !== '*' && <span className="row-that">after “{c.that.toLowerCase()}”</span>}
                  <span className="row-answer">{templateText(c.template)}</span>
                  <span className="row-meta">
                    {c.source?.clientName ?? (c.source ? 'a conversation' : 'by hand or imported')}
                    {c.source && ` · ${new Date(c.source.capturedAt).toLocaleString()}`}
                    {c.findings.length > 0 && <span className="finding-count"> · {c.findings.length === 1 ? '1 conflict' : `${c.findings.length} conflicts`}</span>}
                  </span>
                </span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** Category ids hold pattern text; rows are named by position instead. */
function optionId(index: number): string {
  return `learned-category-${index}`;
}
