import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { CategoryFields, ConflictSide, UnsentEdit } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { trainingKeys } from './training-queries.js';

type Choice = 'theirs' | 'mine' | 'merge';

/**
 * A change this designer made that met another designer's change of the same category: both versions side by side
 * (theirs as the Platform has it now, yours), and the choice: keep theirs, use mine (applied again on the current
 * version), or edit a merge. Nothing is overwritten until the designer chooses. A modal dialog: it is the one thing
 * to settle before going on.
 */
export function ConflictDialog({ bot, edit }: { bot: string; edit: UnsentEdit & { conflict: NonNullable<UnsentEdit['conflict']> } }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { theirs, yours, message } = edit.conflict;
  const [merging, setMerging] = useState(false);
  const [merge, setMerge] = useState<CategoryFields>(() => fieldsOf(yours ?? theirs));
  const resolve = useMutation({
    mutationFn: (choice: Choice) => client.invoke('training.resolve', { bot, opId: edit.opId, choice, ...(choice === 'merge' ? { category: merge } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) }),
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }, []);

  const set = (field: keyof CategoryFields) => (e: { target: { value: string } }) => setMerge((m) => ({ ...m, [field]: e.target.value }));
  return (
    // Escape does not dismiss it: the designer must choose, or their change would be lost without a word.
    <dialog ref={ref} className="conflict-dialog" aria-labelledby={titleId} onCancel={(e) => e.preventDefault()}>
      <h2 id={titleId}>Conflict: {edit.label}</h2>
      <p>{message}</p>
      <div className="conflict-sides">
        <Side title="Theirs, on the Platform" side={theirs} gone="Removed by another designer." />
        <Side title="Yours" side={yours} gone="You removed it." />
      </div>
      {merging && (
        <form
          className="conflict-merge"
          aria-label="Merge"
          onSubmit={(e) => {
            e.preventDefault();
            resolve.mutate('merge');
          }}
        >
          <label>
            Pattern
            <input className="mono" value={merge.pattern} onChange={set('pattern')} spellCheck={false} />
          </label>
          <label>
            That
            <input className="mono" value={merge.that} onChange={set('that')} spellCheck={false} />
          </label>
          <label>
            Topic
            <input className="mono" value={merge.topic} onChange={set('topic')} spellCheck={false} />
          </label>
          <label>
            Template
            <textarea className="mono" rows={4} value={merge.template} onChange={set('template')} />
          </label>
          <button type="submit" className="primary" disabled={resolve.isPending}>
            Save merge
          </button>
        </form>
      )}
      {resolve.isError && (
        <p className="form-error" role="alert">
          {describeError(resolve.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate('theirs')}>
          Keep theirs
        </button>
        <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate('mine')}>
          Use mine
        </button>
        {!merging && (
          <button type="button" disabled={resolve.isPending} onClick={() => setMerging(true)}>
            Edit a merge
          </button>
        )}
      </div>
    </dialog>
  );
}

function Side({ title, side, gone }: { title: string; side: ConflictSide | null; gone: string }) {
  const id = useId();
  return (
    <section className="conflict-side" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {side ? (
        <dl>
          <dt>Pattern</dt>
          <dd className="mono">{side.pattern}</dd>
          {side.that !== '*' && (
            <>
              <dt>That</dt>
              <dd className="mono">{side.that}</dd>
            </>
          )}
          <dt>Template</dt>
          <dd className="mono">{side.template}</dd>
          {side.by && (
            <>
              <dt>Changed by</dt>
              <dd>
                {side.by}
                {side.at !== undefined && `, ${new Date(side.at).toLocaleString()}`}
              </dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted">{gone}</p>
      )}
    </section>
  );
}

function fieldsOf(side: ConflictSide | null): CategoryFields {
  return side ? { pattern: side.pattern, that: side.that, topic: side.topic, template: side.template } : { pattern: '', that: '*', topic: '*', template: '' };
}
