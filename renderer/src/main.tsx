import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { systemClock } from '../../protocol/clock.js';
import { App } from './app/App.js';
import { StudioServicesProvider } from './app/studio-context.js';
import { pickStudioClient } from './client/pick-client.js';
import { ConversationJournal } from './data/conversation-journal.js';
import { createStudioQueryClient } from './data/query-client.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/inbox.css';
import './styles/transcript.css';
import './styles/settings.css';

const services = { client: pickStudioClient(window), clock: systemClock, journal: new ConversationJournal() };
const queryClient = createStudioQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <StudioServicesProvider services={services}>
        <App />
      </StudioServicesProvider>
    </QueryClientProvider>
  </StrictMode>,
);
