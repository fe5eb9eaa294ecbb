import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { UnansweredGroup } from '../../../protocol/learned.js';
import { LoadError } from '../app/LoadError.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { trainingKeys } from './training-queries.js';

/**
 * The unanswered queue: what users asked that the bot fell back on, across all its conversations, grouped as the bot
 * normalises the input, most asked first. Answering a group teaches the bot once (one category); the answer can also
 * go to the users still online in those conversations. A group that needs no answer can be ignored.
 */
export function UnansweredPanel({ bot, onOpenConversation }: { bot: string; onOpenConversation: (id: string) => void }) {
  const { client } = useStudio();
  const queue = useQuery({ queryKey: trainingKeys.unanswered(bot), queryFn: () => client.invoke('training.unanswered', { bot }), retry: false });

  if (queue.isPending) {
    return (
      <p className="list-empty" role="status">
        Loading the unanswered inputs…
      </p>
    );
  }
  if (queue.isError) return <LoadError what="The unanswered inputs could not be loaded" error={queue.error} onRetry={() => queue.refetch()} />;
  const groups = queue.data.groups;
  return (
    <section className="unanswered" aria-label="Unanswered inputs">
      {groups.length === 0 ? (
        <p className="list-empty">Nothing unanswered: every input found an answer, or was answered already.</p>
      ) : (
        <ul className="unanswered-list">
          {groups.map((g) => (
            <UnansweredItem key={g.groupKey} bot={bot} group={g} onOpenConversation={onOpenConversation} />
          ))}
        </ul>
      )}
    </section>
  );
}

function UnansweredItem({ bot, group, onOpenConversation }: { bot: string; group: UnansweredGroup; onOpenConversation: (id: string) => void }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const titleId = useId();
  const answerId = useId();
  const [answer, setAnswer] = useState('');
  const [sendToOnline, setSendToOnline] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['training', bot] });
  const reply = useMutation({
    mutationFn: () => client.invoke('training.answerUnanswered', { bot, groupKey: group.groupKey, template: answer, sendToOnline }),
    onSuccess: refresh,
  });
  const ignore = useMutation({ mutationFn: () => client.invoke('training.ignoreUnanswered', { bot, groupKey: group.groupKey, ignored: true }), onSuccess: refresh });
  const error = reply.error ?? ignore.error;

  return (
    <li className="unanswered-group" aria-labelledby={titleId}>
      <h3 id={titleId}>
        <q>{group.example}</q> <span className="muted mono">{group.groupKey}</span>
      </h3>
      <p className="muted">
        Asked {group.count === 1 ? 'once' : `${group.count} times`} · first {new Date(group.firstSeen).toLocaleString()} · last {new Date(group.lastSeen).toLocaleString()}
      </p>
      <p className="unanswered-conversations">
        In{' '}
        {group.conversations.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <button type="button" className="link-button" onClick={() => onOpenConversation(id)}>
              conversation {i + 1}
            </button>
          </span>
        ))}
      </p>
      <form
        className="unanswered-answer"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (answer.trim()) reply.mutate();
        }}
      >
        <label htmlFor={answerId}>Answer</label>
        <textarea id={answerId} rows={2} value={answer} onChange={(e) => setAnswer(e.target.value)} maxLength={20_000} />
        <label className="check">
          <input type="checkbox" checked={sendToOnline} onChange={(e) => setSendToOnline(e.target.checked)} />
          <span>Also send to users still online</span>
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!answer.trim() || reply.isPending}>
            Answer
          </button>
          <button type="button" disabled={ignore.isPending} onClick={() => ignore.mutate()}>
            Ignore
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {describeError(error)}
        </p>
      )}
    </li>
  );
}
