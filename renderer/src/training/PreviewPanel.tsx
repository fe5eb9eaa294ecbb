import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';

/**
 * Type any input and see what the live bot answers (its files and the approved learned categories), and which
 * category answered; "Include drafts" answers as it will once the drafts are approved.
 */
export function PreviewPanel({ bot }: { bot: string }) {
  const { client } = useStudio();
  const [input, setInput] = useState('');
  const [that, setThat] = useState('');
  const [includeDrafts, setIncludeDrafts] = useState(false);
  const inputId = useId();
  const thatId = useId();
  const preview = useMutation({ mutationFn: () => client.invoke('training.preview', { bot, input, that: that.trim() || undefined, includeDrafts }) });
  const result = preview.data;

  return (
    <section className="preview-panel" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Preview</h2>
      <form
        className="preview-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (input.trim()) preview.mutate();
        }}
      >
        <label htmlFor={inputId}>Test input</label>
        <input id={inputId} value={input} onChange={(e) => setInput(e.target.value)} placeholder="What a user might type" maxLength={2000} />
        <details>
          <summary>In context</summary>
          <label htmlFor={thatId}>The bot said before</label>
          <input id={thatId} value={that} onChange={(e) => setThat(e.target.value)} placeholder="Optional: the bot's previous reply" maxLength={2000} />
        </details>
        <label className="checkbox-label">
          <input type="checkbox" checked={includeDrafts} onChange={(e) => setIncludeDrafts(e.target.checked)} /> Include drafts
        </label>
        <button type="submit" disabled={!input.trim() || preview.isPending}>
          Preview
        </button>
      </form>
      {preview.isError && (
        <p className="form-error" role="alert">
          {describeError(preview.error)}
        </p>
      )}
      {result && (
        <div className="preview-result" role="status" aria-label="Preview answer">
          <p className="preview-answer">
            The bot would answer: <q>{result.text}</q>
          </p>
          <ul>
            {result.sentences.map((s, i) => (
              <li key={i}>
                Answered by <code>{s.answeredBy.pattern}</code>
                {s.answeredBy.that !== '*' && (
                  <>
                    {' '}
                    (that <code>{s.answeredBy.that}</code>)
                  </>
                )}{' '}
                in {s.answeredBy.file}
                {s.answeredBy.line ? ` line ${s.answeredBy.line}` : ''}
                {s.learned && <span className="learned-tag">learned</span>}
                {s.defaultCategory && <span className="muted"> (the default answer: nothing else matched)</span>}
              </li>
            ))}
          </ul>
          {!result.withBotFiles && <p className="muted">Only the learned categories took part: the bot's other files are not in the workspace yet.</p>}
        </div>
      )}
    </section>
  );
}
