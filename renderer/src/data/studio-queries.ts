import type { QueryClient } from '@tanstack/react-query';
import type { Message } from '../../../protocol/conversation.js';
import type { ConversationView } from '../../../protocol/studio-api.js';
import type { StudioClient } from '../client/studio-client.js';
import { sortByActivity, upsertConversations } from '../inbox/conversation-order.js';
import type { ConversationJournal } from './conversation-journal.js';
import { queryKeys } from './query-keys.js';
import { combineLatestPage, mergeMessages, type TranscriptData } from './transcript-merge.js';

/** How many messages a transcript page holds: the latest page loads first, older ones on scroll-up. */
export const TRANSCRIPT_PAGE = 50;

/** The conversation list, with the upserts that arrived while the request was on its way replayed on top. */
export async function fetchConversations(client: StudioClient, journal: ConversationJournal): Promise<ConversationView[]> {
  const mark = journal.mark();
  const { conversations } = await client.invoke('conversations.list', {});
  const missed = journal.since(mark);
  // Forgotten upserts mean a flood arrived meanwhile; the answer is still a consistent snapshot of main's cache.
  return upsertConversations(sortByActivity(conversations), missed ?? []);
}

/** The latest page of a transcript, merged with whatever is cached (live messages, older pages already loaded). */
export async function fetchLatestTranscript(client: StudioClient, queryClient: QueryClient, conversationId: string): Promise<TranscriptData> {
  const page = await client.invoke('conversation.transcript', { conversationId, limit: TRANSCRIPT_PAGE });
  const cached = queryClient.getQueryData<TranscriptData>(queryKeys.transcript(conversationId));
  return combineLatestPage(cached, page);
}

/** Loads the page before the oldest loaded message and adds it to the cache. */
export async function loadOlderMessages(client: StudioClient, queryClient: QueryClient, conversationId: string): Promise<void> {
  const key = queryKeys.transcript(conversationId);
  const cached = queryClient.getQueryData<TranscriptData>(key);
  const oldest = cached?.messages[0];
  if (!cached || !oldest || !cached.hasMore || oldest.seq <= 1) return;
  const page = await client.invoke('conversation.transcript', { conversationId, beforeSeq: oldest.seq, limit: TRANSCRIPT_PAGE });
  queryClient.setQueryData<TranscriptData>(key, (now) => {
    const base = now ?? cached;
    const messages: Message[] = mergeMessages(page.messages, base.messages);
    return { messages, hasMore: page.hasMore };
  });
}
