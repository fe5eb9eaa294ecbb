import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { HistoryEntry } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { templateText } from './category-filters.js';
import { trainingKeys } from './training-queries.js';

const KIND: Record<HistoryEntry['kind'], string> = {
  capture: 'learned it',
  edit: 'edited it',
  broaden: 'broadened the pattern',
  approve: 'approved it',
  delete: 'removed it',
  import: 'imported it',
  setContext: 'changed its context',
  undo: 'undid a change',
};

/**
 * Who changed this category, when, and what it was before and after, newest first, from the Platform; each entry can
 * be undone (anyone's, also from before a restart). Undoing a change that was changed again since is a conflict.
 */
export function CategoryHistory({ bot, id, version }: { bot: string; id: string; version: number | undefined }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const titleId = useId();
  const history = useQuery({
    // The version is in the key: every change of the category (anyone's) shows in its history at once.
    queryKey: [...trainingKeys.history(bot, id), version],
    queryFn: () => client.invoke('training.history', { bot, id }),
    retry: false,
  });
  const undo = useMutation({
    mutationFn: (e: HistoryEntry) => client.invoke('training.undoEntry', { bot, opId: e.opId, baseVersion: e.after?.version ?? 0 }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['training', bot] }),
  });

  return (
    <section className="category-history" aria-labelledby={titleId}>
      <h3 id={titleId}>History</h3>
      {history.isPending && <p role="status">Loading the history…</p>}
      {history.isError && <p className="muted">{describeError(history.error)}</p>}
      {undo.isError && (
        <p className="form-error" role="alert">
          Not undone: {describeError(undo.error)}
        </p>
      )}
      <ol className="history-list">
        {history.data?.entries.map((e) => (
          <li key={e.opId}>
            <span>
              <strong>{e.designer}</strong> {KIND[e.kind]} · {new Date(e.at).toLocaleString()}
            </span>
            <span className="history-change">
              {describe(e.before)} → {describe(e.after)}
            </span>
            <button type="button" disabled={undo.isPending} aria-label={`Undo: ${e.designer} ${KIND[e.kind]}, ${new Date(e.at).toLocaleString()}`} onClick={() => undo.mutate(e)}>
              Undo
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(side: HistoryEntry['before']): string {
  if (!side) return '(none)';
  const that = side.that !== '*' ? ` after “${side.that.toLowerCase()}”` : '';
  return `${side.pattern}${that}: “${templateText(side.template)}”${side.status === 'draft' ? ' (draft)' : ''}`;
}
