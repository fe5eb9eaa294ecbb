import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Clock } from '../../protocol/clock.js';
import { App } from './app/App.js';
import { StudioServicesProvider } from './app/studio-context.js';
import type { WebNotificationApi } from './app/web-notifications.js';
import type { StudioClient } from './client/studio-client.js';
import { ConversationJournal } from './data/conversation-journal.js';
import { createStudioQueryClient } from './data/query-client.js';
import { queryKeys } from './data/query-keys.js';
import { fetchConversations } from './data/studio-queries.js';
import { fetchViewMemory } from './data/view-memory.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/inbox.css';
import './styles/transcript.css';
import './styles/settings.css';

/** Mounts Studio's UI on `element` over the given client: the app entry and the renderer benchmark both use it. */
export function mountStudio(element: HTMLElement, options: { client: StudioClient; clock: Clock; notifications?: WebNotificationApi }) {
  const services = { client: options.client, clock: options.clock, journal: new ConversationJournal() };
  const queryClient = createStudioQueryClient();
  // Ask for the list together with the app state instead of after it: one round trip less before the inbox shows.
  void queryClient.prefetchQuery({ queryKey: queryKeys.conversations, queryFn: () => fetchConversations(options.client, services.journal) });
  void queryClient.prefetchQuery({ queryKey: queryKeys.viewMemory, queryFn: () => fetchViewMemory(options.client) });
  const root = createRoot(element);
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <StudioServicesProvider services={services}>
          <App notifications={options.notifications} />
        </StudioServicesProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
  return { root, queryClient };
}
