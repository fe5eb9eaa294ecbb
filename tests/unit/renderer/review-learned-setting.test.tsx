// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BotSettingsForm } from '../../../renderer/src/settings/BotSettingsForm.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { BOT_SETTINGS, renderStudio } from './support/render-studio.js';

afterEach(cleanup);

describe('"Review learned answers before the bot uses them" in the bot settings', () => {
  it('is off by default, and turning it on saves only that through bot.settings.update', async () => {
    const client = new FakeStudioClient().answer('bot.settings.update', (args) => ({ settings: { ...BOT_SETTINGS, ...args.patch } as typeof BOT_SETTINGS }));
    renderStudio(<BotSettingsForm bot="starter" settings={BOT_SETTINGS} />, client);
    const review = screen.getByRole('checkbox', { name: 'Review learned answers before the bot uses them' }) as HTMLInputElement;
    expect(review.checked).toBe(false);
    fireEvent.click(review);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { reviewLearnedAnswers: true } }]);
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Review learned answers before the bot uses them' }) as HTMLInputElement).checked).toBe(true);
  });
});
