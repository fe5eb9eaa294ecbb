// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../protocol/errors.js';
import { BotActiveSwitch } from '../../../renderer/src/inbox/BotActiveSwitch.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { conversation } from './support/fixtures.js';
import { renderStudio } from './support/render-studio.js';

afterEach(cleanup);

describe('a Bot active change that fails', () => {
  it('stops saying it is on its way, says why it failed, and the switch keeps the Platform’s state', async () => {
    let fail: (e: Error) => void = () => undefined;
    const client = new FakeStudioClient().answer('conversation.setBotActive', () => new Promise((_resolve, reject) => (fail = reject)));
    renderStudio(<BotActiveSwitch conversation={conversation('c1')} />, client);
    const toggle = screen.getByRole('switch', { name: 'Bot active' });
    await act(async () => fireEvent.click(toggle));
    expect((await screen.findByRole('status')).textContent).toBe('Switching the bot off…');
    // What Studio's link reports when the Platform kept refusing it until its deadline.
    await act(async () => fail(new AppError('timeout', 'The Platform was too busy to take it (asked to wait 3 times). (conversation.setBotActive)')));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(screen.getByRole('alert').textContent).toContain('The Platform was too busy to take it');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(toggle.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
  });
});
