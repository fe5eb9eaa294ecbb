import type { ReactNode } from 'react';
import type { AppState } from '../../../protocol/studio-api.js';
import { InboxView } from '../inbox/InboxView.js';
import { SettingsView } from '../settings/SettingsView.js';
import { TrainingView } from '../training/TrainingView.js';
import type { WebNotificationApi } from './web-notifications.js';

/** What the shell hands every top-level view. */
export interface ViewContext {
  appState: AppState;
  notifications: WebNotificationApi;
  /** The open conversation of the inbox (kept by the shell so notifications and `navigate` can set it). */
  selectedConversation: string | undefined;
  selectConversation: (id: string | undefined) => void;
  /** Shows a conversation in the inbox, from any view. */
  openConversation: (id: string) => void;
}

export interface StudioView {
  id: string;
  /** The navigation button's text. */
  label: string;
  render: (context: ViewContext) => ReactNode;
}

/**
 * Studio's top-level views, in the order of the navigation. Another view (the Training workspace, under
 * renderer/src/training/) is one more entry here; the shell needs no other change.
 */
export const VIEWS: readonly StudioView[] = [
  {
    id: 'inbox',
    label: 'Inbox',
    render: (c) => <InboxView appState={c.appState} selectedId={c.selectedConversation} onSelect={c.selectConversation} />,
  },
  {
    id: 'training',
    label: 'Training',
    render: (c) => <TrainingView appState={c.appState} onOpenConversation={c.openConversation} />,
  },
  {
    id: 'settings',
    label: 'Settings',
    render: (c) => <SettingsView appState={c.appState} notifications={c.notifications} />,
  },
];
