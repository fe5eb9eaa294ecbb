import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { describeError } from '../client/studio-client.js';
import { queryKeys } from '../data/query-keys.js';
import { upsertConversations } from './conversation-order.js';

/** Conversations the Platform found for a query in every message ever written (not just names and previews). */
export interface HistoryResults {
  query: string;
  ids: ReadonlySet<string>;
  nextCursor?: string;
}

/** The Platform is asked once typing pauses this long, not on every keystroke. */
export const HISTORY_SEARCH_DELAY_MS = 300;

/**
 * The local search looks at names, bots and the last message of the conversations Studio holds. The box promises
 * "Search names, bots, messages", so as the designer types this also asks the Platform's full-text search over every
 * message ever written; what it finds joins the list (so it can be opened) and stays visible for this query.
 */
export function HistorySearch({ query, results, onResults }: { query: string; results: HistoryResults | undefined; onResults: (r: HistoryResults) => void }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const { clock } = useStudio();
  const current = results?.query === query ? results : undefined;
  const search = useMutation({
    mutationFn: (cursor: string | undefined) => client.invoke('conversations.search', { query, cursor }),
    onSuccess: ({ conversations, nextCursor }, cursor) => {
      queryClient.setQueryData<ConversationView[]>(queryKeys.conversations, (list) => upsertConversations(list ?? [], conversations));
      const ids = new Set(cursor && current ? current.ids : []);
      for (const c of conversations) ids.add(c.id);
      onResults({ query, ids, nextCursor });
    },
  });
  const { mutate } = search;
  const searched = results?.query === query;
  useEffect(() => {
    if (!query || query.length > 200 || searched) return;
    const timer = clock.setTimeout(() => mutate(undefined), HISTORY_SEARCH_DELAY_MS);
    return () => clock.clearTimeout(timer);
  }, [query, searched, clock, mutate]);
  if (!query || query.length > 200) return null;
  return (
    <div className="history-search">
      {current ? (
        <p role="status">
          The Platform found {current.ids.size === 0 ? 'no' : current.ids.size} conversation{current.ids.size === 1 ? '' : 's'} with “{query}” in their history.
        </p>
      ) : null}
      {!current && search.isPending && <p role="status">Searching all messages…</p>}
      {current?.nextCursor && (
        <button type="button" className="link-button" disabled={search.isPending} onClick={() => search.mutate(current.nextCursor)}>
          {search.isPending ? 'Searching all messages…' : 'Find more in all messages'}
        </button>
      )}
      {search.isError && !search.isPending && (
        <button type="button" className="link-button" onClick={() => search.mutate(current?.nextCursor)}>
          Search all messages again
        </button>
      )}
      {search.isError && <p role="alert">The Platform search failed: {describeError(search.error)}</p>}
    </div>
  );
}
