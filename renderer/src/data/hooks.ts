import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppState } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { queryKeys } from './query-keys.js';
import { fetchConversations, fetchLatestTranscript } from './studio-queries.js';

export function useAppState() {
  const { client } = useStudio();
  return useQuery({ queryKey: queryKeys.appState, queryFn: () => client.invoke('app.state', {}) as Promise<AppState> });
}

export function useConversations() {
  const { client, journal } = useStudio();
  return useQuery({ queryKey: queryKeys.conversations, queryFn: () => fetchConversations(client, journal) });
}

export function useTranscript(conversationId: string) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.transcript(conversationId),
    queryFn: () => fetchLatestTranscript(client, queryClient, conversationId),
    // Transcripts are kept fresh by pushed events; only visited ones stay in memory, briefly.
    gcTime: 5 * 60_000,
  });
}

/** Pushed-only values: the query never fetches, events fill it (see applyStudioEvent). */
export function useDeadline(): number | null {
  return useQuery<number | null>({ queryKey: queryKeys.deadline, queryFn: () => null, initialData: null, staleTime: Infinity }).data;
}

export function useBadge(): number {
  return useQuery<number>({ queryKey: queryKeys.badge, queryFn: () => 0, initialData: 0, staleTime: Infinity }).data;
}

export function useSettings() {
  const { client } = useStudio();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => client.invoke('settings.get', {}) });
}
