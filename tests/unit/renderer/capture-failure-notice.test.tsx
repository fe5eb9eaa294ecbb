// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureFailure } from '../../../protocol/capture-failures.js';
import { CaptureFailureNotice } from '../../../renderer/src/app/CaptureFailureNotice.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { T0 } from './support/fixtures.js';
import { renderStudio } from './support/render-studio.js';

afterEach(cleanup);

const failure = (conversationId: string, seq: number): CaptureFailure => ({
  conversationId,
  seq,
  bot: 'starter',
  reason: 'Studio is not allowed to write to /ws/starter. Make the workspace folder writable (or choose another one in Settings), then try again.',
  file: '/ws/starter/pand_livetraining.aiml',
  at: T0,
});

describe('a reply that was sent but not saved', () => {
  it('is shown in its conversation with why; "Try again" re-runs the capture, and the notice goes once it is saved', async () => {
    const client = new FakeStudioClient()
      .answer('capture.failures', () => ({ failures: [failure('c1', 4), failure('c2', 7)] }))
      .answer('capture.retry', () => ({ saved: true }));
    renderStudio(<CaptureFailureNotice conversationId="c1" />, client);
    const notice = await screen.findByRole('alert');
    expect(notice.textContent).toContain('Your reply was sent, but not saved to pand_livetraining.aiml: Studio is not allowed to write to /ws/starter.');
    expect(screen.getAllByRole('alert')).toHaveLength(1); // c2's failure belongs to another conversation

    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(client.callsOf('capture.retry')).toEqual([{ conversationId: 'c1', seq: 4 }]));
    act(() => client.push({ type: 'capture.saved', conversationId: 'c1', seq: 4 }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('appears when main reports a new failure for this conversation', async () => {
    const client = new FakeStudioClient().answer('capture.failures', () => ({ failures: [] }));
    renderStudio(<CaptureFailureNotice conversationId="c1" />, client);
    await waitFor(() => expect(client.callsOf('capture.failures')).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => client.push({ type: 'capture.failed', failure: failure('c1', 9) }));
    expect((await screen.findByRole('alert')).textContent).toContain('not saved to pand_livetraining.aiml');
  });
});
