import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { TransportStatus } from '../client/studio-client.js';
import { useAppState, useBadge } from '../data/hooks.js';
import { useRememberPlace, useViewMemory } from '../data/view-memory.js';
import { PLATFORM_SECTION_ID } from '../settings/SettingsView.js';
import { ActivityReportsBanner, Banners } from './Banners.js';
import { FirstRun } from './FirstRun.js';
import { LoadError } from './LoadError.js';
import { isTextField, shortcutFor } from './keyboard-map.js';
import { Toasts, useNotificationCenter } from './NotificationCenter.js';
import { ShortcutSheet } from './ShortcutSheet.js';
import { useStudio } from './studio-context.js';
import { useActivityReports } from './use-activity-reports.js';
import { useStudioEvents } from './use-studio-events.js';
import { VIEWS } from './views.js';
import { browserNotifications, titleWithBadge, type WebNotificationApi } from './web-notifications.js';

const TITLE = 'Live Training Studio';

export function App({ notifications = browserNotifications }: { notifications?: WebNotificationApi }) {
  const { client } = useStudio();
  const appState = useAppState();
  const badge = useBadge();
  // Compared as text: a transport may hand out a fresh (equal) status object on every call.
  const transportText = useSyncExternalStore(
    (cb) => client.onTransport(cb),
    () => JSON.stringify(client.transportStatus()),
  );
  const transport = useMemo(() => JSON.parse(transportText) as TransportStatus, [transportText]);
  // Until the designer picks otherwise, Studio opens where it was left (main remembers it across reloads and restarts).
  const memory = useViewMemory();
  const [chosenView, setView] = useState<string | undefined>();
  const [chosenConversation, setSelectedId] = useState<{ id: string | undefined } | undefined>();
  const view = chosenView ?? (VIEWS.some((v) => v.id === memory.data?.view) ? memory.data!.view! : 'inbox');
  const selectedId = chosenConversation ? chosenConversation.id : memory.data?.conversationId;
  const selectConversation = useCallback((id: string | undefined) => setSelectedId({ id }), []);
  useRememberPlace(view, selectedId, memory.isSuccess && appState.data !== undefined && appState.data.link.status !== 'unconfigured');
  const [sheetOpen, setSheetOpen] = useState(false);
  const [permission, setPermission] = useState(() => notifications.permission());

  const openConversation = useCallback((conversationId: string) => {
    setView('inbox');
    setSelectedId({ id: conversationId });
  }, []);
  const center = useNotificationCenter(notifications, openConversation);
  const host = appState.data?.host;
  useStudioEvents({
    navigate: openConversation,
    // In Electron main shows native notifications itself; `notify` is the browser-mode path.
    notify: (event) => {
      if (host !== 'electron') center.notify(event, view === 'inbox');
    },
  });
  const { reportsFailing } = useActivityReports();

  useEffect(() => {
    document.title = titleWithBadge(TITLE, badge);
  }, [badge]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (shortcutFor(event, isTextField(event.target)) !== 'showShortcuts') return;
      event.preventDefault();
      setSheetOpen(true);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const goToPlatformSettings = () => {
    setView('settings');
    requestAnimationFrame(() => document.getElementById(PLATFORM_SECTION_ID)?.focus());
  };

  let body;
  if (appState.isPending || memory.isPending) {
    body = (
      <main className="app-loading" role="status">
        Starting Studio…
      </main>
    );
  } else if (appState.isError) {
    body = (
      <LoadError as="main" className="app-loading" what="Studio could not load its state" error={appState.error} onRetry={() => appState.refetch()} />
    );
  } else if (appState.data.link.status === 'unconfigured') {
    body = <FirstRun />;
  } else {
    const state = appState.data;
    body = (
      <>
        <header className="topbar">
          <span className="brand">Live Training Studio</span>
          <nav aria-label="Views" className="views">
            {VIEWS.map((v) => (
              <button key={v.id} type="button" aria-current={view === v.id ? 'page' : undefined} onClick={() => setView(v.id)}>
                {v.label}
                {v.id === 'inbox' && badge > 0 && (
                  <span className="unread-count" aria-label={`${badge} unread`}>
                    {badge}
                  </span>
                )}
              </button>
            ))}
          </nav>
          <span className="topbar-spacer" />
          {state.host === 'browser' && permission === 'default' && (
            <button type="button" className="link-button" onClick={() => void notifications.requestPermission().then(setPermission)}>
              Turn on desktop notifications
            </button>
          )}
          {state.designer && <span className="designer-name">Signed in as {state.designer.name}</span>}
          <button type="button" className="icon-button" aria-label="Keyboard shortcuts" onClick={() => setSheetOpen(true)}>
            ?
          </button>
        </header>
        <main className="view">
          {(VIEWS.find((v) => v.id === view) ?? VIEWS[0]!).render({ appState: state, notifications, selectedConversation: selectedId, selectConversation, openConversation })}
        </main>
      </>
    );
  }

  return (
    <div className="app">
      <Banners transport={transport} link={appState.data?.link} onChangePlatform={goToPlatformSettings} />
      <ActivityReportsBanner failing={reportsFailing} />
      {body}
      <ShortcutSheet open={sheetOpen} onClose={() => setSheetOpen(false)} />
      <Toasts toasts={center.toasts} onOpen={openConversation} onDismiss={center.dismiss} />
    </div>
  );
}
