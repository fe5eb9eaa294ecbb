// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/app/App.js';
import { AppError } from '../../../protocol/errors.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { giveElementsASize } from './support/layout-shim.js';
import { onlineState, RecordingNotifications, renderStudio } from './support/render-studio.js';

giveElementsASize();
afterEach(cleanup);

const WARNING = /cannot report your activity.*hand-back timer may run out/;

/** A Studio whose activity reports succeed or fail as `reportsWork` says at the moment of each report. */
function studio(reportsWork: { now: boolean }) {
  return new FakeStudioClient()
    .answer('app.state', () => onlineState())
    .answer('conversations.list', () => ({ conversations: [] }))
    .answer('activity.report', () => {
      if (!reportsWork.now) throw new AppError('unavailable', 'Studio lost the connection to its background service.');
      return {};
    });
}

describe('activity reports that fail', () => {
  it('warn that the hand-back timer may run out when reports keep failing, and the warning clears when one succeeds', async () => {
    const reportsWork = { now: false };
    const { client, clock } = renderStudio(<App notifications={new RecordingNotifications()} />, studio(reportsWork));
    await screen.findByRole('listbox', { name: 'Conversations' });

    // One failure can be a blip: no warning yet.
    fireEvent.keyDown(document.body, { key: 'a' });
    await waitFor(() => expect(client.callsOf('activity.report')).toHaveLength(1));
    await act(async () => undefined);
    expect(screen.queryByText(WARNING)).toBeNull();

    // The next one fails too: the designer is told.
    act(() => clock.advance(5_000));
    fireEvent.keyDown(document.body, { key: 'b' });
    await waitFor(() => expect(client.callsOf('activity.report')).toHaveLength(2));
    expect((await screen.findByRole('alert')).textContent).toMatch(WARNING);

    // Reports work again: the warning goes with the first success.
    reportsWork.now = true;
    act(() => clock.advance(5_000));
    fireEvent.keyDown(document.body, { key: 'c' });
    await waitFor(() => expect(client.callsOf('activity.report')).toHaveLength(3));
    await waitFor(() => expect(screen.queryByText(WARNING)).toBeNull());
  });

  it("warns too when main answers but its own reports to the Platform keep failing", async () => {
    const client = new FakeStudioClient()
      .answer('app.state', () => onlineState())
      .answer('conversations.list', () => ({ conversations: [] }))
      .answer('activity.report', () => ({ platformReportFailed: true }));
    const { clock } = renderStudio(<App notifications={new RecordingNotifications()} />, client);
    await screen.findByRole('listbox', { name: 'Conversations' });
    fireEvent.keyDown(document.body, { key: 'a' });
    act(() => clock.advance(5_000));
    fireEvent.keyDown(document.body, { key: 'b' });
    await waitFor(() => expect(client.callsOf('activity.report')).toHaveLength(2));
    expect((await screen.findByRole('alert')).textContent).toMatch(WARNING);
  });

  it('shows no warning while reports succeed', async () => {
    const { client, clock } = renderStudio(<App notifications={new RecordingNotifications()} />, studio({ now: true }));
    await screen.findByRole('listbox', { name: 'Conversations' });
    for (let i = 0; i < 3; i++) {
      fireEvent.keyDown(document.body, { key: 'a' });
      act(() => clock.advance(5_000));
    }
    await waitFor(() => expect(client.callsOf('activity.report').length).toBeGreaterThanOrEqual(3));
    await act(async () => undefined);
    expect(screen.queryByText(WARNING)).toBeNull();
  });
});
