// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveTrainingSettings } from '../../../protocol/bot-settings.js';
import { BotSettingsForm } from '../../../renderer/src/settings/BotSettingsForm.js';
import { draftFrom, patchFrom } from '../../../renderer/src/settings/bot-settings-patch.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { BOT_SETTINGS, renderStudio } from './support/render-studio.js';

afterEach(cleanup);

const LIMITS = { maxSraiDepth: 64, maxStepsPerReply: 200_000, maxMillisPerReply: 2_000, maxLearnedPerClient: 1_000 };
const SETTINGS: LiveTrainingSettings = { ...BOT_SETTINGS, engineLimits: LIMITS };

describe('engine limits in the bot settings patch', () => {
  it('sends the four limits together when one changed', () => {
    const draft = draftFrom(SETTINGS);
    draft.engineLimits = { ...draft.engineLimits!, maxLearnedPerClient: '20000' };
    expect(patchFrom(SETTINGS, draft)).toEqual({ ok: true, changed: true, patch: { engineLimits: { ...LIMITS, maxLearnedPerClient: 20_000 } } });
  });

  it('sends nothing when the limits did not change, and leaves them out for a Platform without them', () => {
    expect(patchFrom(SETTINGS, draftFrom(SETTINGS))).toEqual({ ok: true, changed: false, patch: {} });
    expect(draftFrom(BOT_SETTINGS).engineLimits).toBeUndefined();
  });

  it('explains a value out of range or not a whole number in the field words', () => {
    const draft = draftFrom(SETTINGS);
    draft.engineLimits = { ...draft.engineLimits!, maxSraiDepth: '0', maxMillisPerReply: '1.5', maxStepsPerReply: '' };
    const result = patchFrom(SETTINGS, draft);
    expect(!result.ok && result.problems).toEqual([
      'Srai depth: a whole number from 1 to 500.',
      'Steps per reply: a whole number from 1,000 to 10,000,000.',
      'Time per reply (ms): a whole number from 100 to 30,000.',
    ]);
  });
});

describe('engine limits in the bot settings form', () => {
  it('shows the limits with labels and saves a change through bot.settings.update', async () => {
    const client = new FakeStudioClient().answer('bot.settings.update', (args) => ({ settings: { ...SETTINGS, engineLimits: args.patch.engineLimits ?? LIMITS } }));
    renderStudio(<BotSettingsForm bot="starter" settings={SETTINGS} />, client);
    expect(screen.getByRole('group', { name: 'AIML engine limits' })).toBeTruthy();
    const depth = screen.getByRole('spinbutton', { name: 'Srai depth' }) as HTMLInputElement;
    expect(depth.value).toBe('64');
    expect(depth.getAttribute('aria-describedby')).toBeTruthy();
    expect((screen.getByLabelText('Learned categories per client') as HTMLInputElement).value).toBe('1000');
    fireEvent.change(screen.getByLabelText('Learned categories per client'), { target: { value: '10000' } });
    fireEvent.change(screen.getByLabelText('Steps per reply'), { target: { value: '500000' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(client.callsOf('bot.settings.update')).toEqual([{ bot: 'starter', patch: { engineLimits: { ...LIMITS, maxStepsPerReply: 500_000, maxLearnedPerClient: 10_000 } } }]);
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect((screen.getByLabelText('Learned categories per client') as HTMLInputElement).value).toBe('10000');
  });

  it('refuses an impossible limit and says why, sending nothing', async () => {
    const client = new FakeStudioClient();
    renderStudio(<BotSettingsForm bot="starter" settings={SETTINGS} />, client);
    fireEvent.change(screen.getByLabelText('Time per reply (ms)'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Time per reply (ms): a whole number from 100 to 30,000.');
    expect(client.callsOf('bot.settings.update')).toEqual([]);
  });

  it('has no engine limits section when the Platform does not offer them', () => {
    renderStudio(<BotSettingsForm bot="starter" settings={BOT_SETTINGS} />, new FakeStudioClient());
    expect(screen.queryByRole('group', { name: 'AIML engine limits' })).toBeNull();
  });
});
