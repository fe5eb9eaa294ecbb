import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { applyStudioEvent } from '../../../renderer/src/data/apply-event.js';
import { ConversationJournal } from '../../../renderer/src/data/conversation-journal.js';
import { queryKeys } from '../../../renderer/src/data/query-keys.js';
import { fetchConversations, fetchLatestTranscript, loadOlderMessages } from '../../../renderer/src/data/studio-queries.js';
import type { TranscriptData } from '../../../renderer/src/data/transcript-merge.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { conversation, message, messages, T0 } from './support/fixtures.js';

function setup() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const journal = new ConversationJournal();
  const client = new FakeStudioClient();
  return { queryClient, journal, client };
}

const listOf = (qc: QueryClient) => qc.getQueryData<ConversationView[]>(queryKeys.conversations)!.map((c) => c.id);

describe('pushed events patch the cache', () => {
  it('a new conversation appears at the top of the cached list without a refetch', async () => {
    const { queryClient, journal, client } = setup();
    client.answer('conversations.list', () => ({ conversations: [conversation('a', { lastActivityAt: T0 })] }));
    await queryClient.fetchQuery({ queryKey: queryKeys.conversations, queryFn: () => fetchConversations(client, journal) });
    applyStudioEvent(queryClient, journal, { type: 'conversations.upsert', conversations: [conversation('b', { lastActivityAt: T0 + 1 })] });
    expect(listOf(queryClient)).toEqual(['b', 'a']);
    expect(client.callsOf('conversations.list')).toHaveLength(1);
  });

  it('an upsert that arrives while the list is being fetched survives the older answer', async () => {
    const { queryClient, journal, client } = setup();
    let answer!: (v: { conversations: ConversationView[] }) => void;
    client.answer('conversations.list', () => new Promise((resolve) => (answer = resolve)));
    const fetching = queryClient.fetchQuery({ queryKey: queryKeys.conversations, queryFn: () => fetchConversations(client, journal) });
    await Promise.resolve();
    applyStudioEvent(queryClient, journal, { type: 'conversations.upsert', conversations: [conversation('a', { lastActivityAt: T0 + 9, state: 'paused' })] });
    answer({ conversations: [conversation('a', { lastActivityAt: T0 }), conversation('z', { lastActivityAt: T0 + 1 })] });
    await fetching;
    const list = queryClient.getQueryData<ConversationView[]>(queryKeys.conversations)!;
    expect(list.map((c) => [c.id, c.state])).toEqual([
      ['a', 'paused'],
      ['z', 'active'],
    ]);
  });

  it('a reset refetches the list the inbox shows', async () => {
    const { queryClient, journal, client } = setup();
    client.answer('conversations.list', () => ({ conversations: [conversation('old')] }));
    const observer = new QueryObserver(queryClient, { queryKey: queryKeys.conversations, queryFn: () => fetchConversations(client, journal) });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(observer.getCurrentResult().data).toBeDefined());
    client.answer('conversations.list', () => ({ conversations: [conversation('fresh')] }));
    applyStudioEvent(queryClient, journal, { type: 'conversations.reset' });
    await vi.waitFor(() => expect(listOf(queryClient)).toEqual(['fresh']));
    expect(client.callsOf('conversations.list')).toHaveLength(2);
    unsubscribe();
  });

  it('messages for a transcript nobody opened are not kept', () => {
    const { queryClient, journal } = setup();
    applyStudioEvent(queryClient, journal, { type: 'messages.appended', conversationId: 'c', messages: [message('c', 1)] });
    expect(queryClient.getQueryData(queryKeys.transcript('c'))).toBeUndefined();
  });

  it('new messages are appended to an open transcript once each', () => {
    const { queryClient, journal } = setup();
    queryClient.setQueryData<TranscriptData>(queryKeys.transcript('c'), { messages: messages('c', 1, 3), hasMore: false });
    applyStudioEvent(queryClient, journal, { type: 'messages.appended', conversationId: 'c', messages: [message('c', 4)] });
    applyStudioEvent(queryClient, journal, { type: 'messages.appended', conversationId: 'c', messages: [message('c', 4), message('c', 5)] });
    const t = queryClient.getQueryData<TranscriptData>(queryKeys.transcript('c'))!;
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a message that skips sequence numbers makes the transcript load again instead of showing a hole', async () => {
    const { queryClient, journal, client } = setup();
    client.answer('conversation.transcript', () => ({ messages: messages('c', 1, 3), hasMore: false }));
    await queryClient.fetchQuery({ queryKey: queryKeys.transcript('c'), queryFn: () => fetchLatestTranscript(client, queryClient, 'c') });
    client.answer('conversation.transcript', () => ({ messages: messages('c', 1, 7), hasMore: false }));
    applyStudioEvent(queryClient, journal, { type: 'messages.appended', conversationId: 'c', messages: [message('c', 7)] });
    await queryClient.refetchQueries({ queryKey: queryKeys.transcript('c'), type: 'all' });
    const t = queryClient.getQueryData<TranscriptData>(queryKeys.transcript('c'))!;
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(client.callsOf('conversation.transcript')).toHaveLength(2);
  });

  it('older pages load before the oldest loaded message and join the front', async () => {
    const { queryClient, client } = setup();
    queryClient.setQueryData<TranscriptData>(queryKeys.transcript('c'), { messages: messages('c', 51, 100), hasMore: true });
    client.answer('conversation.transcript', (args) => ({ messages: messages('c', 1, (args.beforeSeq ?? 101) - 1), hasMore: false }));
    await loadOlderMessages(client, queryClient, 'c');
    expect(client.callsOf('conversation.transcript')).toEqual([{ conversationId: 'c', beforeSeq: 51, limit: 50 }]);
    const t = queryClient.getQueryData<TranscriptData>(queryKeys.transcript('c'))!;
    expect(t.messages.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(t.hasMore).toBe(false);
  });

  it('keeps app state, the hand-back deadline and the badge count', () => {
    const { queryClient, journal } = setup();
    const state = { link: { status: 'online' as const, embedded: true }, bots: [], host: 'browser' as const };
    applyStudioEvent(queryClient, journal, { type: 'app.state', state });
    applyStudioEvent(queryClient, journal, { type: 'activity.deadline', deadline: T0 + 900_000 });
    applyStudioEvent(queryClient, journal, { type: 'badge', count: 4 });
    expect(queryClient.getQueryData(queryKeys.appState)).toEqual(state);
    expect(queryClient.getQueryData(queryKeys.deadline)).toBe(T0 + 900_000);
    expect(queryClient.getQueryData(queryKeys.badge)).toBe(4);
    applyStudioEvent(queryClient, journal, { type: 'activity.deadline', deadline: null });
    expect(queryClient.getQueryData(queryKeys.deadline)).toBeNull();
  });
});
