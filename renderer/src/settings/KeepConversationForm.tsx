import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { LiveTrainingSettings } from '../../../protocol/bot-settings.js';
import type { AppState } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { queryKeys } from '../data/query-keys.js';
import { SaveOutcome } from './SaveOutcome.js';

const DEFAULT_DAYS = 7;
const MAX_DAYS = 365;

/**
 * How long a visitor's browser keeps the conversation (`keepConversationMinutes`): reopening the Landing Page or a
 * site with the widget within that time continues it, with its history. Saved on its own, in days.
 */
export function KeepConversationForm({ bot, settings }: { bot: string; settings: LiveTrainingSettings }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const days = (minutes: number | undefined) => String(Math.round(((minutes ?? DEFAULT_DAYS * 1440) / 1440) * 100) / 100);
  const [base, setBase] = useState(days(settings.keepConversationMinutes));
  const [draft, setDraft] = useState(base);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const save = useMutation({
    mutationFn: (keepConversationMinutes: number) => client.invoke('bot.settings.update', { bot, patch: { keepConversationMinutes } }),
    onSuccess: ({ settings: saved }) => {
      queryClient.setQueryData<AppState>(queryKeys.appState, (state) =>
        state ? { ...state, bots: state.bots.map((b) => (b.name === bot ? { ...b, settings: saved } : b)) } : state,
      );
      setBase(days(saved.keepConversationMinutes));
    },
  });
  const dirty = draft !== base;

  return (
    <form
      className="bot-settings keep-conversation"
      aria-label={`How long visitors' browsers keep a conversation with ${bot}`}
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(draft.replace(',', '.'));
        const minutes = Math.round(value * 1440);
        if (draft.trim() === '' || !Number.isFinite(value) || minutes < 1 || value > MAX_DAYS) {
          setProblem(`Keep conversations for: between 1 minute and ${MAX_DAYS} days.`);
          return;
        }
        setProblem(null);
        if (dirty) save.mutate(minutes);
      }}
    >
      <div className="field">
        <label htmlFor={id}>Keep conversations for (days)</label>
        <input id={id} type="number" step="any" value={draft} onChange={(e) => (save.reset(), setDraft(e.target.value))} />
        <span className="choice-help">Reopening the Landing Page or the widget within this time after the last visit continues the conversation.</span>
      </div>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <SaveOutcome save={save} dirty={dirty} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save time'}
        </button>
      </div>
    </form>
  );
}
