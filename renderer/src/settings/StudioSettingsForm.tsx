import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { StudioArgs, StudioSettingsView } from '../../../protocol/studio-api.js';
import { useStudio } from '../app/studio-context.js';
import type { WebNotificationApi } from '../app/web-notifications.js';
import { describeError } from '../client/studio-client.js';
import { useSettings } from '../data/hooks.js';
import { queryKeys } from '../data/query-keys.js';

type Notifications = StudioSettingsView['notifications'];
const NOTIFICATION_CHOICES: { key: keyof Notifications; label: string; help: string }[] = [
  { key: 'newConversation', label: 'New conversations', help: 'When someone starts talking to one of your bots.' },
  { key: 'heldConversationMessage', label: 'Messages in conversations you answer', help: 'When the user writes while Studio is in the background.' },
  { key: 'badge', label: 'Unread count', help: 'On the Studio icon, or in the tab title in a browser.' },
];

/** Studio's own settings: the designer's name, which notifications to get, and what captured categories hold. */
export function StudioSettingsForm({ host, notifications }: { host: 'electron' | 'browser'; notifications: WebNotificationApi }) {
  const { client } = useStudio();
  const queryClient = useQueryClient();
  const settings = useSettings();
  const update = useMutation({
    mutationFn: (args: StudioArgs<'settings.update'>) => client.invoke('settings.update', args),
    onSuccess: (result) => queryClient.setQueryData(queryKeys.settings, result),
  });
  // A checkbox answers the click at once (React state, set in the event itself); when main has answered the
  // saved value takes over again, so a refusal flips it back and the error says why.
  const [pendingChecks, setPendingChecks] = useState<Record<string, boolean>>({});
  const setCheck = (key: keyof Notifications, value: boolean) => {
    setPendingChecks((p) => ({ ...p, [key]: value }));
    const args: StudioArgs<'settings.update'> = { notifications: { [key]: value } };
    update.mutate(args, {
      onSettled: () =>
        setPendingChecks((p) => {
          const rest = { ...p };
          delete rest[key];
          return rest;
        }),
    });
  };

  if (settings.isPending) return <p role="status">Loading settings…</p>;
  if (settings.isError) return <p role="alert">Settings could not be loaded: {describeError(settings.error)}</p>;
  const s = settings.data;

  return (
    <>
      <section className="settings-section" aria-labelledby="settings-you">
        <h2 id="settings-you">You</h2>
        <DesignerNameField key={s.designerName ?? ''} value={s.designerName ?? ''} saving={update.isPending} onSave={(designerName) => update.mutate({ designerName })} />
      </section>
      <section className="settings-section" aria-labelledby="settings-notifications">
        <h2 id="settings-notifications">Notifications</h2>
        {NOTIFICATION_CHOICES.map((choice) => (
          <label key={choice.key} className="check">
            <input
              type="checkbox"
              checked={pendingChecks[choice.key] ?? s.notifications[choice.key]}
              onChange={(e) => setCheck(choice.key, e.target.checked)}
            />
            <span>
              {choice.label}
              <span className="choice-help">{choice.help}</span>
            </span>
          </label>
        ))}
        {host === 'browser' && <BrowserPermission api={notifications} />}
      </section>
      {update.isError && (
        <p className="form-error" role="alert">
          Not saved: {describeError(update.error)}
        </p>
      )}
    </>
  );
}

function DesignerNameField({ value, saving, onSave }: { value: string; saving: boolean; onSave: (name: string) => void }) {
  const [name, setName] = useState(value);
  const id = useId();
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(name.trim());
      }}
    >
      <label htmlFor={id}>Your name</label>
      <input id={id} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
      <span className="choice-help">Other designers see it on conversations you answer; end users never do.</span>
      <button type="submit" disabled={saving || name.trim() === value}>
        Save name
      </button>
    </form>
  );
}

function BrowserPermission({ api }: { api: WebNotificationApi }) {
  const [permission, setPermission] = useState(api.permission());
  if (permission === 'unsupported') return <p className="choice-help">This browser cannot show desktop notifications; Studio shows them inside the page.</p>;
  if (permission === 'granted') return <p className="choice-help">Desktop notifications are allowed in this browser.</p>;
  if (permission === 'denied')
    return <p className="choice-help">This browser blocks Studio's desktop notifications; Studio shows them inside the page. Allow them in the site settings to get them outside too.</p>;
  return (
    <button type="button" onClick={() => void api.requestPermission().then(setPermission)}>
      Allow desktop notifications
    </button>
  );
}
