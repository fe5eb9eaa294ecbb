// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BotSettingsForm } from '../../../renderer/src/settings/BotSettingsForm.js';
import { draftFrom, patchFrom } from '../../../renderer/src/settings/bot-settings-patch.js';
import { StudioSettingsForm } from '../../../renderer/src/settings/StudioSettingsForm.js';
import { AppError } from '../../../protocol/errors.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { BOT_SETTINGS, RecordingNotifications, renderStudio } from './support/render-studio.js';

afterEach(cleanup);

describe('bot settings patch', () => {
  it('sends only what changed, the timeout converted from minutes', () => {
    const draft = { ...draftFrom(BOT_SETTINGS), pausedMessage: 'Hold on, a human is here.', inactivityMinutes: '5' };
    expect(patchFrom(BOT_SETTINGS, draft)).toEqual({ ok: true, changed: true, patch: { pausedMessage: 'Hold on, a human is here.', inactivityTimeoutMs: 300_000 } });
  });

  it('reports nothing to save when nothing changed', () => {
    expect(patchFrom(BOT_SETTINGS, draftFrom(BOT_SETTINGS))).toEqual({ ok: true, changed: false, patch: {} });
  });

  it('explains an empty notice and an impossible timeout in the field words', () => {
    const draft = { ...draftFrom(BOT_SETTINGS), reactivatedMessage: '', inactivityMinutes: '2000' };
    const result = patchFrom(BOT_SETTINGS, draft);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual(['Reactivated message: cannot be empty.', 'Inactivity timeout: between 1 second (0.02 minutes) and 24 hours (1440 minutes).']);
  });

  it('puts appearance changes under appearance', () => {
    const draft = draftFrom(BOT_SETTINGS);
    draft.appearance = { ...draft.appearance, title: 'Help desk', humanStyle: 'human' };
    expect(patchFrom(BOT_SETTINGS, draft)).toMatchObject({ ok: true, patch: { appearance: { title: 'Help desk', humanStyle: 'human' } } });
  });
});

describe('settings screens', () => {
  it('saves a bot notice through bot.settings.update', async () => {
    const client = new FakeStudioClient().answer('bot.settings.update', (args) => ({ settings: { ...BOT_SETTINGS, ...args.patch, appearance: BOT_SETTINGS.appearance, landingPage: BOT_SETTINGS.landingPage } }));
    renderStudio(<BotSettingsForm bot="starter" settings={BOT_SETTINGS} />, client);
    fireEvent.change(screen.getByLabelText('Inactivity message'), { target: { value: 'The bot is answering again.' } });
    fireEvent.change(screen.getByLabelText('Inactivity timeout (minutes)'), { target: { value: '0.5' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { inactivityMessage: 'The bot is answering again.', inactivityTimeoutMs: 30_000 } }]);
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });

  it('refuses to save an empty notice and says why', async () => {
    const client = new FakeStudioClient();
    renderStudio(<BotSettingsForm bot="starter" settings={BOT_SETTINGS} />, client);
    fireEvent.change(screen.getByLabelText('Paused message'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Paused message: cannot be empty.');
    expect(client.callsOf('bot.settings.update')).toEqual([]);
  });

  it('switches a notification kind off through settings.update', async () => {
    const view = { hasToken: true, embedded: false, designerName: 'Mia', notifications: { newConversation: true, heldConversationMessage: true, badge: true } };
    const client = new FakeStudioClient()
      .answer('settings.get', () => view)
      .answer('settings.update', (args) => ({ ...view, notifications: { ...view.notifications, ...args.notifications } }));
    renderStudio(<StudioSettingsForm host="browser" notifications={new RecordingNotifications()} />, client);
    const box = (await screen.findByRole('checkbox', { name: /New conversations/ })) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() => expect((screen.getByRole('checkbox', { name: /New conversations/ }) as HTMLInputElement).checked).toBe(false));
    expect(client.callsOf('settings.update')).toEqual([{ notifications: { newConversation: false } }]);
  });

  it('flips a notification choice back and says why when main refuses it', async () => {
    const view = { hasToken: true, embedded: false, notifications: { newConversation: true, heldConversationMessage: true, badge: true } };
    const client = new FakeStudioClient()
      .answer('settings.get', () => view)
      .answer('settings.update', () => {
        throw new AppError('internal', 'The settings file is read-only.');
      });
    renderStudio(<StudioSettingsForm host="browser" notifications={new RecordingNotifications()} />, client);
    fireEvent.click(await screen.findByRole('checkbox', { name: /Unread count/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('The settings file is read-only.');
    expect((screen.getByRole('checkbox', { name: /Unread count/ }) as HTMLInputElement).checked).toBe(true);
  });
});
