import type { KeyboardEvent } from 'react';
import type { TrainingCategory } from '../../../protocol/training.js';
import { templateText } from './category-filters.js';

interface Props {
  categories: TrainingCategory[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  emptyText: string;
}

/** The learned categories: pattern, answer, state, conflicts, source and time. Arrow keys move through them. */
export function CategoryList({ categories, selectedId, onSelect, emptyText }: Props) {
  if (categories.length === 0) return <p className="list-empty">{emptyText}</p>;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const at = categories.findIndex((c) => c.id === selectedId);
    const next = categories[Math.min(categories.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      onSelect(next.id);
      document.getElementById(optionId(categories.indexOf(next)))?.scrollIntoView({ block: 'nearest' });
    }
  };
  const selectedAt = categories.findIndex((c) => c.id === selectedId);
  const active = selectedAt >= 0 ? optionId(selectedAt) : undefined;
  return (
    <ul className="category-list" role="listbox" aria-label="Learned categories" tabIndex={0} aria-activedescendant={active} onKeyDown={onKeyDown}>
      {categories.map((c, i) => (
        <li
          key={c.id}
          id={optionId(i)}
          role="option"
          aria-selected={c.id === selectedId}
          aria-label={c.pattern}
          className={`category-row${c.id === selectedId ? ' selected' : ''}`}
          onClick={() => onSelect(c.id)}
        >
          <span className="row-line">
            <code className="row-pattern">{c.pattern}</code>
            <span className={`state-tag state-${c.state}`}>{c.state === 'new' ? 'New' : 'Reviewed'}</span>
          </span>
          {c.that !== '*' && <span className="row-that">after “{c.that.toLowerCase()}”</span>}
          <span className="row-answer">{templateText(c.template)}</span>
          <span className="row-meta">
            {c.source?.clientName ?? (c.source ? 'a conversation' : 'by hand')}
            {c.source && ` · ${new Date(c.source.capturedAt).toLocaleString()}`}
            {c.findings.length > 0 && <span className="finding-count"> · {c.findings.length === 1 ? '1 conflict' : `${c.findings.length} conflicts`}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Category ids hold pattern text; elements are named by position instead. */
function optionId(index: number): string {
  return `learned-category-${index}`;
}
