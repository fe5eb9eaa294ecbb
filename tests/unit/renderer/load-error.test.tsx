// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadError } from '../../../renderer/src/app/LoadError.js';
import { AppError } from '../../../protocol/errors.js';
import { App } from '../../../renderer/src/app/App.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { onlineState, renderStudio } from './support/render-studio.js';

afterEach(cleanup);

describe('the "could not load ... Try again" block', () => {
  it('says what could not be loaded and why, is an alert named by that message, and loads again on "Try again"', () => {
    let retries = 0;
    render(<LoadError what="The messages could not be loaded" error={new AppError('disconnected', 'Studio cannot reach its host right now.')} onRetry={() => retries++} />);
    const alert = screen.getByRole('alert', { name: 'The messages could not be loaded: Studio cannot reach its host right now.' });
    expect(alert.textContent).toContain('The messages could not be loaded: Studio cannot reach its host right now.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retries).toBe(2);
  });

  it('stands in for the whole window where asked', () => {
    const { container } = render(<LoadError as="main" className="app-loading" what="Studio could not load its state" error={new Error('boom')} onRetry={() => undefined} />);
    expect(container.querySelector('main.app-loading')?.getAttribute('role')).toBe('alert');
  });

  it('is what Studio shows when its state cannot be loaded, and "Try again" loads it', async () => {
    let failing = true;
    const client = new FakeStudioClient().answer('app.state', () => {
      if (failing) throw new AppError('disconnected', 'Studio cannot reach its host right now.');
      return onlineState();
    });
    renderStudio(<App />, client);
    // The query client tries once more (after about a second) before it gives up and shows the error.
    const alert = await screen.findByRole('alert', { name: 'Studio could not load its state: Studio cannot reach its host right now.' }, { timeout: 10_000 });
    failing = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(alert.isConnected).toBe(false));
    expect(client.callsOf('app.state').length).toBeGreaterThanOrEqual(2);
  });
});
