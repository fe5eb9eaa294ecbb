import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { isTextField } from '../app/keyboard-map.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { trainingKeys } from './training-queries.js';

/**
 * The toolbar's "Undo last change": undoes this designer's own most recent change of the bot (through the Platform,
 * so it works across restarts), and Ctrl/Cmd+Z does the same when the focus is not in a text field (there it undoes
 * typing, as always). A category someone changed since comes back as a conflict, shown like any other.
 */
export function UndoLastChange({ bot, designerId }: { bot: string; designerId: string | undefined }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const undo = useMutation({
    mutationFn: (designer: string) => client.invoke('training.undoLast', { bot, designerId: designer }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) }),
  });
  const { mutate, isPending } = undo;
  const run = useCallback(() => {
    if (designerId !== undefined && !isPending) mutate(designerId);
  }, [designerId, isPending, mutate]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'z' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.defaultPrevented) return;
      if (isTextField(e.target)) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  return (
    <span className="undo-last">
      <button type="button" disabled={designerId === undefined || undo.isPending} title="Ctrl+Z (⌘Z)" aria-keyshortcuts="Control+Z Meta+Z" onClick={run}>
        Undo last change
      </button>
      {undo.isSuccess && (
        <span className="muted" role="status">
          {undo.data.outcome === 'applied'
            ? `Undone: ${undo.data.undone}.`
            : undo.data.outcome === 'queued'
              ? `The undo of ${undo.data.undone} waits for the Platform.`
              : `Not undone: ${undo.data.undone} was changed since by someone else. Choose below.`}
        </span>
      )}
      {undo.isError && (
        <span className="form-error" role="alert">
          Not undone: {describeError(undo.error)}
        </span>
      )}
    </span>
  );
}
