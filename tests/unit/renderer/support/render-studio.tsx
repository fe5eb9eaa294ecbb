import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { AppState } from '../../../../protocol/studio-api.js';
import { StudioServicesProvider } from '../../../../renderer/src/app/studio-context.js';
import type { WebNotificationApi } from '../../../../renderer/src/app/web-notifications.js';
import { ConversationJournal } from '../../../../renderer/src/data/conversation-journal.js';
import { createStudioQueryClient } from '../../../../renderer/src/data/query-client.js';
import { ManualClock } from '../../../support/manual-clock.js';
import { FakeStudioClient } from './fake-studio-client.js';
import { T0 } from './fixtures.js';

export const BOT_SETTINGS = {
  pausedMessage: 'A person is taking over.',
  reactivatedMessage: 'The bot is back.',
  inactivityMessage: 'The bot is back after a pause.',
  inactivityTimeoutMs: 900_000,
  allowedOrigins: [],
  appearance: {
    title: 'Starter',
    subtitle: '',
    openingMessage: 'Hi!',
    placeholder: 'Say something',
    avatarUrl: '',
    themeColour: '#2557d6',
    textColour: '#ffffff',
    callToAction: { enabled: false, title: '', text: '', buttonText: '' },
    humanStyle: 'bot' as const,
    systemStyle: 'notice' as const,
  },
  landingPage: { title: '', description: '', imageUrl: '', author: { name: '', email: '', website: '', links: [] } },
};

export function onlineState(overrides: Partial<AppState> = {}): AppState {
  return {
    link: { status: 'online', embedded: true },
    designer: { id: 'me', name: 'Mia' },
    bots: [{ name: 'starter', settings: BOT_SETTINGS }],
    host: 'browser',
    ...overrides,
  };
}

/** Records what the app asked the Web Notifications API to show; `granted` decides whether it could. */
export class RecordingNotifications implements WebNotificationApi {
  shown: { title: string; body: string; tag: string; click: () => void }[] = [];
  constructor(public granted = true) {}
  permission() {
    return this.granted ? ('granted' as const) : ('default' as const);
  }
  requested = 0;
  /** Asking grants: the person says yes. */
  requestPermission() {
    this.requested += 1;
    this.granted = true;
    return Promise.resolve(this.permission());
  }
  show(title: string, options: { body: string; tag: string }, onClick: () => void) {
    if (!this.granted) return false;
    this.shown.push({ title, ...options, click: onClick });
    return true;
  }
}

export function renderStudio(ui: ReactElement, client = new FakeStudioClient(), clock = new ManualClock(T0)) {
  const queryClient = createStudioQueryClient();
  const services = { client, clock, journal: new ConversationJournal() };
  const result = render(
    <QueryClientProvider client={queryClient}>
      <StudioServicesProvider services={services}>{ui}</StudioServicesProvider>
    </QueryClientProvider>,
  );
  return { ...result, client, clock, queryClient };
}
