// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepConversationForm } from '../../../renderer/src/settings/KeepConversationForm.js';
import { WidgetOriginsForm } from '../../../renderer/src/settings/WidgetOriginsForm.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { BOT_SETTINGS, renderStudio } from './support/render-studio.js';

afterEach(cleanup);

const savingClient = () =>
  new FakeStudioClient().answer('bot.settings.update', (args) => ({ settings: { ...BOT_SETTINGS, allowedOrigins: args.patch.allowedOrigins ?? BOT_SETTINGS.allowedOrigins } }));

describe("Studio: the sites that may show a bot's Chat Widget", () => {
  it('restricts an any-site widget to a listed site, normalised, and saves the list', async () => {
    const client = savingClient();
    renderStudio(<WidgetOriginsForm bot="starter" settings={{ ...BOT_SETTINGS, allowedOrigins: ['*'] }} />, client);
    expect((screen.getByRole('radio', { name: 'Any site' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText('Add a site'), { target: { value: ' https://Shop.Example/ ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add site' }));
    expect(within(screen.getByRole('list', { name: 'Listed sites' })).getByText('https://shop.example')).toBeTruthy();
    expect((screen.getByRole('radio', { name: /Only the sites listed here/ }) as HTMLInputElement).checked).toBe(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save sites' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { allowedOrigins: ['https://shop.example'] } }]);
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });

  it('opens a restricted widget to any site again, keeping the list for later', async () => {
    const client = savingClient();
    renderStudio(<WidgetOriginsForm bot="starter" settings={{ ...BOT_SETTINGS, allowedOrigins: ['https://shop.example'] }} />, client);
    fireEvent.click(screen.getByRole('radio', { name: 'Any site' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save sites' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { allowedOrigins: ['*', 'https://shop.example'] } }]);
  });

  it('explains a site that is not an origin and sends nothing; removing the last site says what that means', async () => {
    const client = savingClient();
    renderStudio(<WidgetOriginsForm bot="starter" settings={{ ...BOT_SETTINGS, allowedOrigins: ['https://shop.example'] }} />, client);
    fireEvent.change(screen.getByLabelText('Add a site'), { target: { value: 'https://shop.example/checkout' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add site' }));
    expect(screen.getByRole('alert').textContent).toContain('give only https://shop.example');
    fireEvent.click(screen.getByRole('button', { name: 'Remove https://shop.example' }));
    expect(screen.getByText(/works on no other site, only on the Landing Page/)).toBeTruthy();
    expect(client.callsOf('bot.settings.update')).toEqual([]);
  });
});

describe('Studio: sites the Platform refused', () => {
  it('lists each refused site beside the allowed ones and allows it in one click', async () => {
    const client = savingClient();
    const settings = { ...BOT_SETTINGS, allowedOrigins: ['https://shop.example'], refusedOrigins: [{ origin: 'https://blog.example', at: Date.UTC(2026, 0, 2), count: 3 }] };
    renderStudio(<WidgetOriginsForm bot="starter" settings={settings} />, client);
    const refused = screen.getByRole('region', { name: 'Sites refused recently' });
    expect(refused.textContent).toContain('https://blog.example (3 times');
    await act(async () => fireEvent.click(within(refused).getByRole('button', { name: 'Allow https://blog.example' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { allowedOrigins: ['https://shop.example', 'https://blog.example'] } }]);
    expect(screen.queryByRole('region', { name: 'Sites refused recently' })).toBeNull();
  });
});

describe('Studio: how long a visitor keeps a conversation', () => {
  it('shows the default in days, saves a new time in minutes, and refuses an impossible one', async () => {
    const client = new FakeStudioClient().answer('bot.settings.update', (args) => ({ settings: { ...BOT_SETTINGS, keepConversationMinutes: args.patch.keepConversationMinutes } }));
    renderStudio(<KeepConversationForm bot="starter" settings={BOT_SETTINGS} />, client);
    const days = screen.getByLabelText('Keep conversations for (days)') as HTMLInputElement;
    expect(days.value).toBe('7');
    fireEvent.change(days, { target: { value: '400' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save time' }));
    expect(screen.getByRole('alert').textContent).toContain('between 1 minute and 365 days');
    fireEvent.change(days, { target: { value: '0.5' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save time' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { keepConversationMinutes: 720 } }]);
    expect(await screen.findByText('Saved.')).toBeTruthy();
  });
});
