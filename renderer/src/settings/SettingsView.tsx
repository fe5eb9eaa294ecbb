import type { AppState } from '../../../protocol/studio-api.js';
import type { WebNotificationApi } from '../app/web-notifications.js';
import { BotSettingsForm } from './BotSettingsForm.js';
import { PlatformForm } from './PlatformForm.js';
import { StudioSettingsForm } from './StudioSettingsForm.js';

const STATUS_WORDS: Record<AppState['link']['status'], string> = {
  unconfigured: 'not set up',
  connecting: 'connecting',
  online: 'connected',
  reconnecting: 'reconnecting',
  unauthorized: 'token refused',
};

export const PLATFORM_SECTION_ID = 'settings-platform';

export function SettingsView({ appState, notifications }: { appState: AppState; notifications: WebNotificationApi }) {
  const link = appState.link;
  return (
    <div className="settings">
      <h1 className="visually-hidden">Settings</h1>
      <StudioSettingsForm host={appState.host} notifications={notifications} />
      <section className="settings-section" aria-labelledby={PLATFORM_SECTION_ID}>
        <h2 id={PLATFORM_SECTION_ID} tabIndex={-1}>
          Platform
        </h2>
        <p>
          {link.embedded ? 'The local Platform on this computer' : (link.platformUrl ?? 'No Platform')}: {STATUS_WORDS[link.status]}.
          {appState.workspaceDir && (
            <>
              {' '}
              Learned categories go to <code>{appState.workspaceDir}</code>.
            </>
          )}
        </p>
        <details open={link.status === 'unauthorized'}>
          <summary>Change Platform or token</summary>
          <PlatformForm key={`${link.status}-${link.platformUrl ?? ''}`} current={link} submitLabel="Save and connect" />
        </details>
      </section>
      <section className="settings-section" aria-labelledby="settings-bots">
        <h2 id="settings-bots">Bots</h2>
        {appState.bots.length === 0 && <p>No bots yet: they appear here once Studio is connected to a Platform.</p>}
        {appState.bots.map((b) => (
          <details key={b.name} className="bot-settings-group" open={appState.bots.length === 1}>
            <summary>{b.name}</summary>
            <BotSettingsForm bot={b.name} settings={b.settings} />
          </details>
        ))}
      </section>
    </div>
  );
}
