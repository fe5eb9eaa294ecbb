import { QueryClient } from '@tanstack/react-query';

/**
 * Everything in the cache is kept current by main's pushed events, so nothing goes stale by age and nothing
 * refetches on focus; a refetch happens only on a reset, a detected gap, or after the host connection came back.
 */
export function createStudioQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // structuralSharing off: the cache is patched with fresh immutable arrays already, and deep-comparing a
      // 10,000-conversation list on every event would cost more than all the rest of the work.
      queries: { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false, retry: 1, structuralSharing: false },
      mutations: { retry: false },
    },
  });
}
