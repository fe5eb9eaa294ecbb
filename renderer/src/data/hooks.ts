import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AppState } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import { queryKeys } from './query-keys.js';
import { fetchConversations, fetchLatestTranscript } from './studio-queries.js';

export function useAppState() {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.appState,
    queryFn: async () => {
      const state = (await client.invoke('app.state', {})) as AppState;
      // A page that (re)loads while the designer holds a conversation shows its countdown from the first frame,
      // not from the next `activity.deadline` event (which may be many seconds away).
      seedDeadline(queryClient, state);
      return state;
    },
  });
}

/** The hand-back deadline main had when it answered, unless a pushed event already said something newer. */
function seedDeadline(queryClient: QueryClient, state: AppState): void {
  if (state.activityDeadline === undefined) return;
  if (queryClient.getQueryState(queryKeys.deadline)?.dataUpdatedAt) return;
  queryClient.setQueryData(queryKeys.deadline, state.activityDeadline);
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
  const queryClient = useQueryClient();
  return useQuery<number | null>({
    queryKey: queryKeys.deadline,
    queryFn: () => null,
    initialData: () => queryClient.getQueryData<AppState>(queryKeys.appState)?.activityDeadline ?? null,
    staleTime: Infinity,
  }).data;
}

export function useBadge(): number {
  return useQuery<number>({ queryKey: queryKeys.badge, queryFn: () => 0, initialData: 0, staleTime: Infinity }).data;
}

export function useSettings() {
  const { client } = useStudio();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => client.invoke('settings.get', {}) });
}
