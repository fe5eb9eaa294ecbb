import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { EditOutcome, TrainingCategory } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { trainingKeys } from './training-queries.js';

/**
 * Where a captured category applies, in one click: "Any context" (any user asking this gets the answer) or
 * "Only after: <what the bot said>"; and which input it was learned from, with the other inputs of that reply,
 * each one click away from being the pattern instead.
 */
export function CategoryContext({ bot, category, onOutcome }: { bot: string; category: TrainingCategory; onOutcome: (o: EditOutcome) => void }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const groupId = useId();
  const inContext = category.that !== '*';
  const said = useQuery({
    queryKey: [...trainingKeys.context(bot, category.id), category.version],
    queryFn: () => client.invoke('training.contextOf', { bot, id: category.id }),
    retry: false,
  });
  const that = inContext ? category.that : said.data?.that;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) });
  const setContext = useMutation({
    mutationFn: (after: boolean) => client.invoke('training.setContext', { bot, id: category.id, context: after && that ? { kind: 'after', that } : { kind: 'any' } }),
    onSuccess: async (o) => {
      onOutcome(o);
      await refresh();
    },
  });
  const useInput = useMutation({
    mutationFn: (input: string) => client.invoke('training.useInput', { bot, id: category.id, input }),
    onSuccess: async (o) => {
      onOutcome(o);
      await refresh();
    },
  });
  const error = setContext.error ?? useInput.error;

  return (
    <div className="category-context">
      <div className="context-switch" role="group" aria-labelledby={groupId}>
        <span id={groupId}>Context</span>
        <button type="button" aria-pressed={!inContext} disabled={setContext.isPending || !inContext} onClick={() => setContext.mutate(false)}>
          Any context
        </button>
        <button
          type="button"
          aria-pressed={inContext}
          disabled={setContext.isPending || inContext || !that}
          title={that ? undefined : 'Nothing was said before the input this was learned from.'}
          onClick={() => setContext.mutate(true)}
        >
          {that ? `Only after: ${that}` : 'Only after…'}
        </button>
      </div>
      {category.source?.input !== undefined && (
        <div className="captured-from">
          <p>
            Captured from: <q>{category.source.input}</q>
          </p>
          {category.candidates && category.candidates.length > 0 && (
            <ul aria-label="Other inputs of that reply">
              {category.candidates.map((c) => (
                <li key={`${c.inputSeq} ${c.input}`}>
                  <q>{c.input}</q>{' '}
                  <button type="button" disabled={useInput.isPending} aria-label={`Use this input instead: ${c.input}`} onClick={() => useInput.mutate(c.input)}>
                    Use this input instead
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {describeError(error)}
        </p>
      )}
    </div>
  );
}
