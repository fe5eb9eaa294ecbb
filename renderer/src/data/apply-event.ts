import { notifyManager, type QueryClient } from '@tanstack/react-query';
import type { ConversationView, StudioEvent } from '../../../protocol/studio-api.js';
import { upsertConversations } from '../inbox/conversation-order.js';
import type { ConversationJournal } from './conversation-journal.js';
import { queryKeys } from './query-keys.js';
import { leavesGap, mergeMessages, type TranscriptData } from './transcript-merge.js';

/**
 * Applies one pushed event to the query cache with setQueryData: the cache is patched in place of refetching, so
 * a busy bot (hundreds of events a second) costs a few array operations, not a storm of requests. Only a reset
 * or a detected gap triggers a refetch. `navigate` and `notify` are not cache matters; the app handles them.
 */
export function applyStudioEvent(queryClient: QueryClient, journal: ConversationJournal, event: StudioEvent): void {
  switch (event.type) {
    case 'app.state':
      queryClient.setQueryData(queryKeys.appState, event.state);
      // Main's state and its deadline events come in order: the state's deadline is as current as the last event.
      if (event.state.activityDeadline !== undefined) queryClient.setQueryData(queryKeys.deadline, event.state.activityDeadline);
      return;
    case 'conversations.upsert':
      journal.record(event.conversations);
      queryClient.setQueryData<ConversationView[]>(queryKeys.conversations, (list) => (list ? upsertConversations(list, event.conversations) : list));
      return;
    case 'conversations.reset':
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
      void queryClient.invalidateQueries({ queryKey: ['transcript'] });
      return;
    case 'messages.appended': {
      const key = queryKeys.transcript(event.conversationId);
      // Transcripts nobody opened are not kept: they are fetched when opened.
      if (!queryClient.getQueryState(key)) return;
      const cached = queryClient.getQueryData<TranscriptData>(key);
      if (cached && leavesGap(cached.messages, event.messages)) {
        void queryClient.invalidateQueries({ queryKey: key });
        return;
      }
      // While the first fetch is on its way the data is still empty: keep the message, the fetch merges it in.
      queryClient.setQueryData<TranscriptData>(key, {
        messages: mergeMessages(cached?.messages ?? [], event.messages),
        hasMore: cached?.hasMore ?? true,
      });
      return;
    }
    case 'activity.deadline':
      queryClient.setQueryData(queryKeys.deadline, event.deadline);
      return;
    case 'badge':
      queryClient.setQueryData(queryKeys.badge, event.count);
      return;
    case 'navigate':
    case 'notify':
    // The training queries subscribe to these themselves: the cache holds nothing for them.
    case 'training.changed':
    case 'training.progress':
      return;
  }
}

/**
 * Applies a batch of events in order, with every `conversations.upsert` of the batch merged into one list update,
 * and React Query's observers told once at the end: one render per batch instead of one per event.
 */
export function applyStudioEvents(queryClient: QueryClient, journal: ConversationJournal, events: readonly StudioEvent[]): void {
  notifyManager.batch(() => {
    const upserts: ConversationView[] = [];
    for (const event of events) {
      if (event.type === 'conversations.upsert') upserts.push(...event.conversations);
      else applyStudioEvent(queryClient, journal, event);
    }
    if (upserts.length > 0) applyStudioEvent(queryClient, journal, { type: 'conversations.upsert', conversations: upserts });
  });
}
