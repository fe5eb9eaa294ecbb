import type { TrainingCategory } from '../../../protocol/training.js';
import { VirtualListbox } from '../app/VirtualListbox.js';
import { templateText } from './category-filters.js';

/** A row's height before it is measured (rows with a <that> line are taller). */
const ESTIMATED_ROW = 86;

interface Props {
  categories: TrainingCategory[];
  selectedId: string | undefined;
  onSelect: (id: string, via: 'keyboard' | 'pointer') => void;
  /** Enter on the list: go edit the selected category. */
  onOpen: () => void;
  emptyText: string;
}

/** The learned categories: each an option named by its pattern and described by state, answer, source and time. */
export function CategoryList({ categories, selectedId, onSelect, onOpen, emptyText }: Props) {
  return (
    <VirtualListbox
      label="Learned categories"
      className="category-list"
      items={categories}
      itemId={(c) => c.id}
      // Category ids hold pattern text; options are identified by position instead.
      optionId={(_, index) => `learned-category-${index}`}
      renderOption={(c, { index }) => ({
        label: c.pattern,
        describedBy: `learned-category-${index}-about`,
        className: 'category-row',
        content: (
          <>
            <span className="row-line">
              <code className="row-pattern">{c.pattern}</code>
              <span className={`state-tag state-${c.state}`}>{c.state === 'new' ? 'New' : 'Reviewed'}</span>
              {c.status === 'draft' && <span className="state-tag state-draft">Draft</span>}
            </span>
            <span id={`learned-category-${index}-about`} className="row-about">
              <span className="visually-hidden">
                {c.state === 'new' ? 'New. ' : 'Reviewed. '}
                {c.status === 'draft' ? 'Draft. ' : ''}
              </span>
              {c.that !== '*' && <span className="row-that">after “{c.that.toLowerCase()}”</span>}
              <span className="row-answer">{templateText(c.template)}</span>
              <span className="row-meta">
                {c.source?.clientName ?? (c.source ? 'a conversation' : 'by hand or imported')}
                {c.source && ` · ${new Date(c.source.capturedAt).toLocaleString()}`}
                {c.findings.length > 0 && <span className="finding-count"> · {c.findings.length === 1 ? '1 conflict' : `${c.findings.length} conflicts`}</span>}
              </span>
            </span>
          </>
        ),
      })}
      selectedId={selectedId}
      onSelect={onSelect}
      onOpen={onOpen}
      rowHeight={ESTIMATED_ROW}
      measureRows
      emptyText={emptyText}
    />
  );
}
