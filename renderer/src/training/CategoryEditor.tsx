import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { CategoryFields, EditOutcome, Finding, FindingKind, TrainingCategory } from '../../../protocol/training.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { CategoryContext } from './CategoryContext.js';
import { CategoryHistory } from './CategoryHistory.js';
import { FieldProblems } from './FieldProblems.js';
import { trainingKeys, useSuggestions } from './training-queries.js';
import { useFieldValidation } from './use-field-validation.js';

const FINDING_LABEL: Record<FindingKind, string> = {
  duplicate: 'Duplicate',
  overrides: 'Replaces an answer',
  shadows: 'Takes inputs from',
  unreachable: 'Never answers',
  matchedBefore: 'Had an answer before',
};

interface Props {
  bot: string;
  category: TrainingCategory;
  onSaved: (id: string) => void;
  onRemoved: () => void;
  onOpenConversation: (conversationId: string) => void;
}

/** The editor's element id: Enter on the category list moves the keyboard to its first field. */
export const CATEGORY_EDITOR_ID = 'category-editor';

/** One learned category: where it came from, its fields with live validation, conflicts, suggestions, actions. */
export function CategoryEditor({ bot, category, onSaved, onRemoved, onOpenConversation }: Props) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  // The version being edited: another designer's change that arrives meanwhile replaces it only while nothing is typed.
  const [base, setBase] = useState<TrainingCategory>(category);
  const [draft, setDraft] = useState<CategoryFields>(() => fieldsOf(category));
  const set = (field: keyof CategoryFields) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trainingKeys.workspace(bot) });

  const [lastOutcome, setLastOutcome] = useState<EditOutcome['outcome'] | undefined>();
  const save = useMutation({
    mutationFn: () => client.invoke('training.update', { bot, id: category.id, category: draft, ...(base.version !== undefined ? { baseVersion: base.version } : {}) }),
    onSuccess: async ({ id, outcome }) => {
      setLastOutcome(outcome);
      await refresh();
      if (id !== undefined) onSaved(id);
    },
  });
  const approve = useMutation({
    mutationFn: () => client.invoke('training.approve', { bot, ids: [category.id] }),
    onSuccess: async ({ outcomes }) => {
      setLastOutcome(outcomes[0]?.outcome);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => client.invoke('training.remove', { bot, ids: [category.id] }),
    onSuccess: async () => {
      await refresh();
      onRemoved();
    },
  });
  const suggestions = useSuggestions(bot, category.id);

  const checks = {
    pattern: useFieldValidation('pattern', draft.pattern),
    that: useFieldValidation('that', draft.that || '*'),
    topic: useFieldValidation('topic', draft.topic || '*'),
    template: useFieldValidation('template', draft.template),
  };
  const hasErrors = Object.values(checks).some((d) => d?.some((x) => x.severity === 'error'));
  const dirty = draft.pattern !== base.pattern || draft.that !== base.that || draft.topic !== base.topic || draft.template !== base.template;
  // A new version that is what the form holds (this designer's own save) is simply taken too.
  const sameAsDraft = draft.pattern === category.pattern && draft.that === category.that && draft.topic === category.topic && draft.template === category.template;
  const changedMeanwhile = category.version !== base.version && !sameAsDraft;
  if (category.version !== base.version && (!dirty || sameAsDraft)) {
    // Adjusted while rendering (React's pattern for state derived from a prop), not in an effect.
    setBase(category);
    setDraft(fieldsOf(category));
  }
  const ids = { pattern: useId(), that: useId(), topic: useId(), template: useId() };
  const source = category.source;
  const saveError = save.error ? describeError(save.error) : undefined;

  return (
    <section id={CATEGORY_EDITOR_ID} className="category-editor" aria-labelledby={`${ids.pattern}-title`}>
      <header className="editor-header">
        <h2 id={`${ids.pattern}-title`}>{category.pattern}</h2>
        <span className={`state-tag state-${category.state}`}>{category.state === 'new' ? 'New' : 'Reviewed'}</span>
        {category.status === 'draft' && <span className="state-tag state-draft">Draft</span>}
      </header>
      {category.updatedBy && category.updatedAt !== undefined && (
        <p className="muted">
          Last changed by {category.updatedBy}, {new Date(category.updatedAt).toLocaleString()}.
        </p>
      )}
      {source ? (
        <p className="editor-source">
          Learned {new Date(source.capturedAt).toLocaleString()} from{' '}
          <button type="button" className="link-button" onClick={() => onOpenConversation(source.conversationId)}>
            {source.clientName ? `${source.clientName}'s conversation` : 'the conversation'}
          </button>
          {source.input && (
            <>
              , where the user wrote <q>{source.input}</q>
            </>
          )}
          .
        </p>
      ) : (
        <p className="editor-source">Written by hand or imported.</p>
      )}

      <form
        className="editor-fields"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (dirty && !hasErrors) save.mutate();
        }}
      >
        <label htmlFor={ids.pattern}>Pattern</label>
        <input id={ids.pattern} value={draft.pattern} onChange={(e) => set('pattern')(e.target.value)} aria-describedby={`${ids.pattern}-problems`} spellCheck={false} className="mono" />
        <FieldProblems id={`${ids.pattern}-problems`} diagnostics={checks.pattern} />
        <div className="field-pair">
          <div>
            <label htmlFor={ids.that}>That (the bot's previous reply)</label>
            <input id={ids.that} value={draft.that} onChange={(e) => set('that')(e.target.value)} aria-describedby={`${ids.that}-problems`} spellCheck={false} className="mono" />
            <FieldProblems id={`${ids.that}-problems`} diagnostics={checks.that} />
          </div>
          <div>
            <label htmlFor={ids.topic}>Topic</label>
            <input id={ids.topic} value={draft.topic} onChange={(e) => set('topic')(e.target.value)} aria-describedby={`${ids.topic}-problems`} spellCheck={false} className="mono" />
            <FieldProblems id={`${ids.topic}-problems`} diagnostics={checks.topic} />
          </div>
        </div>
        <label htmlFor={ids.template}>Template</label>
        <textarea id={ids.template} rows={4} value={draft.template} onChange={(e) => set('template')(e.target.value)} aria-describedby={`${ids.template}-problems`} className="mono" />
        <FieldProblems id={`${ids.template}-problems`} diagnostics={checks.template} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!dirty || hasErrors || save.isPending}>
            {save.isPending ? 'Saving…' : 'Save changes'}
          </button>
          <button
            type="button"
            disabled={!dirty}
            onClick={() => {
              save.reset();
              setBase(category);
              setDraft(fieldsOf(category));
            }}
          >
            Discard changes
          </button>
          {category.status === 'draft' && (
            <button type="button" disabled={approve.isPending} onClick={() => approve.mutate()}>
              Approve
            </button>
          )}
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            Remove
          </button>
        </div>
        {changedMeanwhile && dirty && (
          <p className="banner banner-warning" role="status">
            {category.updatedBy ?? 'Another designer'} changed this category while you were editing it: saving shows both versions, and you choose.
          </p>
        )}
        {saveError && (
          <p className="form-error" role="alert">
            {saveError}
          </p>
        )}
        {(approve.error || remove.error) && (
          <p className="form-error" role="alert">
            {describeError(approve.error ?? remove.error)}
          </p>
        )}
        {lastOutcome === 'queued' && (
          <p className="muted" role="status">
            Kept here: it goes to the Platform, in order, when Studio is connected again.
          </p>
        )}
        {lastOutcome === 'conflict' && (
          <p className="form-error" role="status">
            Not applied: another designer changed this category. Choose what to keep.
          </p>
        )}
      </form>

      <CategoryContext bot={bot} category={category} onOutcome={(o) => setLastOutcome(o.outcome)} />

      <Findings findings={category.findings} />

      <CategoryHistory bot={bot} id={category.id} version={category.version} />

      <section className="suggestions" aria-labelledby={`${ids.pattern}-suggest`}>
        <h3 id={`${ids.pattern}-suggest`}>Suggestions</h3>
        {suggestions.isPending && <p role="status">Looking for broader patterns…</p>}
        {suggestions.isError && <p className="form-error">{describeError(suggestions.error)}</p>}
        {suggestions.data && suggestions.data.patterns.length === 0 && suggestions.data.srai.length === 0 && <p className="muted">No suggestions for this category.</p>}
        <ul className="suggestion-list">
          {suggestions.data?.patterns.map((s) => (
            <li key={`${s.pattern}|${s.that ?? ''}`}>
              <button
                type="button"
                onClick={() => setDraft((d) => ({ ...d, pattern: s.pattern, that: s.that ?? d.that }))}
                aria-label={s.that !== undefined ? `Use pattern ${s.pattern} with any that` : `Use pattern ${s.pattern}`}
              >
                Use
              </button>
              <span>
                <code>{s.pattern}</code>
                {s.that !== undefined && <> with that <code>{s.that}</code></>}: {s.why}
                {s.examples.length > 0 && <span className="muted"> Answers e.g. {s.examples.map((x) => `“${x.toLowerCase()}”`).join(', ')}.</span>}
              </span>
            </li>
          ))}
          {suggestions.data?.srai.map((s) => (
            <li key={s.template}>
              <button type="button" onClick={() => setDraft((d) => ({ ...d, template: s.template }))} aria-label={`Use template ${s.template}`}>
                Use
              </button>
              <span>
                <code>{s.template}</code>: {s.why} {s.target.answer && <span className="muted">It answers “{s.target.answer}”.</span>}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <section className="findings" aria-label="Conflicts and duplicates">
      <h3>Conflicts and duplicates</h3>
      <ul>
        {findings.map((f, i) => (
          <li key={i} className={`finding finding-${f.kind}`}>
            <strong>{FINDING_LABEL[f.kind]}:</strong> {f.message}
            {f.other.answer && <span className="muted"> (“{f.other.answer}”)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function fieldsOf(c: CategoryFields): CategoryFields {
  return { pattern: c.pattern, that: c.that, topic: c.topic, template: c.template };
}
