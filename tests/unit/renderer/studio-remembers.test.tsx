// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/conversation.js';
import type { AppState, ConversationView, ViewMemory } from '../../../protocol/studio-api.js';
import { App } from '../../../renderer/src/app/App.js';
import { DRAFT_SAVE_DELAY_MS } from '../../../renderer/src/data/view-memory.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { conversation, message, T0 } from './support/fixtures.js';
import { giveElementsASize } from './support/layout-shim.js';
import { BOT_SETTINGS, onlineState, RecordingNotifications, renderStudio } from './support/render-studio.js';

// Issue 10, point 6: a reloaded (or restarted) Studio opens where the designer left it, with the countdown right
// from the first frame. Time is the fake clock: the page "loads" at T0.

giveElementsASize();
afterEach(cleanup);

const FIVE_MINUTES = 5 * 60_000;
const held = conversation('c1', { clientName: 'Rusty Sprocket', state: 'paused', heldBy: { id: 'me', name: 'Mia' }, heldByMe: true, pausedAt: T0 - 10_000, lastSeq: 2 });
const other = conversation('c2', { clientName: 'Shiny Gear', lastActivityAt: T0 - 60_000 });
const transcript: Message[] = [message('c1', 1, { text: 'hello' }), message('c1', 2, { author: 'human', text: 'Hi, Mia here.', designer: { id: 'me', name: 'Mia' } })];

function studio(memory: Partial<ViewMemory>, state: AppState) {
  const conversations: ConversationView[] = [held, other];
  return new FakeStudioClient()
    .answer('app.state', () => state)
    .answer('memory.get', () => ({ drafts: {}, scroll: {}, ...memory }))
    .answer('conversations.list', () => ({ conversations }))
    .answer('conversation.transcript', () => ({ messages: transcript, hasMore: false }));
}

const fiveMinuteBot = { bots: [{ name: 'starter', settings: { ...BOT_SETTINGS, inactivityTimeoutMs: FIVE_MINUTES } }] };

describe('Studio remembers', () => {
  it('opens the conversation that was open, with its unsent draft', async () => {
    renderStudio(<App notifications={new RecordingNotifications()} />, studio({ conversationId: 'c1', drafts: { c1: 'Let me check that for y' } }, onlineState()));
    expect(await screen.findByRole('heading', { level: 2, name: 'Rusty Sprocket' })).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement).value).toBe('Let me check that for y');
  });

  it('opens the view that was open', async () => {
    renderStudio(<App notifications={new RecordingNotifications()} />, studio({ view: 'settings' }, onlineState()));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Settings' }).getAttribute('aria-current')).toBe('page'));
  });

  it('saves a draft a moment after typing stops, and the open conversation when it changes', async () => {
    const client = studio({}, onlineState());
    const { clock } = renderStudio(<App notifications={new RecordingNotifications()} />, client);
    fireEvent.click(await screen.findByRole('option', { name: 'Rusty Sprocket' }));
    await waitFor(() => expect(client.callsOf('memory.update')).toContainEqual({ view: 'inbox', conversationId: 'c1' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Reply' }), { target: { value: 'Half a thought' } });
    act(() => clock.advance(DRAFT_SAVE_DELAY_MS - 1));
    expect(client.callsOf('memory.update')).not.toContainEqual({ draft: { conversationId: 'c1', text: 'Half a thought' } });
    act(() => clock.advance(1));
    expect(client.callsOf('memory.update')).toContainEqual({ draft: { conversationId: 'c1', text: 'Half a thought' } });
  });

  it('saves a draft at once when the page goes away (a reload, a closed window)', async () => {
    const client = studio({ conversationId: 'c1' }, onlineState());
    renderStudio(<App notifications={new RecordingNotifications()} />, client);
    fireEvent.change(await screen.findByRole('textbox', { name: 'Reply' }), { target: { value: 'Typed just before the reload' } });
    window.dispatchEvent(new Event('pagehide'));
    expect(client.callsOf('memory.update')).toContainEqual({ draft: { conversationId: 'c1', text: 'Typed just before the reload' } });
  });

  it('shows the hand-back countdown from the first frame after a reload, from the deadline main already had', async () => {
    // Main's tracker says the lease runs out 4:30 from now; no `activity.deadline` event comes after the reload.
    const client = studio({ conversationId: 'c1' }, onlineState({ ...fiveMinuteBot, activityDeadline: T0 + 270_000 }));
    renderStudio(<App notifications={new RecordingNotifications()} />, client);
    await screen.findByRole('heading', { level: 2, name: 'Rusty Sprocket' });
    expect(screen.getByRole('timer', { name: 'Inactivity countdown' }).textContent).toContain('4:30');
  });

  it('never shows more than the timeout, even when the deadline is a moment ahead of this clock', async () => {
    // 5 minutes and 800 ms ahead (main's clock is a little ahead, or the deadline came in just after a tick).
    const client = studio({ conversationId: 'c1' }, onlineState({ ...fiveMinuteBot, activityDeadline: T0 + FIVE_MINUTES + 800 }));
    const { clock } = renderStudio(<App notifications={new RecordingNotifications()} />, client);
    await screen.findByRole('heading', { level: 2, name: 'Rusty Sprocket' });
    const timer = () => screen.getByRole('timer', { name: 'Inactivity countdown' }).textContent;
    expect(timer()).toContain('5:00');
    expect(timer()).not.toContain('5:01');
    act(() => clock.advance(1_000));
    expect(timer()).toContain('5:00');
    act(() => clock.advance(1_000));
    expect(timer()).toContain('4:59');
  });

  it('reads the time at render, so a deadline arriving between ticks is not measured against an old reading', async () => {
    const client = studio({ conversationId: 'c1' }, onlineState(fiveMinuteBot));
    const { clock } = renderStudio(<App notifications={new RecordingNotifications()} />, client);
    await screen.findByRole('heading', { level: 2, name: 'Rusty Sprocket' });
    // 900 ms after the last tick, main reports a takeover lease of exactly 5 minutes from now.
    act(() => clock.advance(900));
    act(() => client.push({ type: 'activity.deadline', deadline: clock.now() + FIVE_MINUTES }));
    expect((await screen.findByRole('timer', { name: 'Inactivity countdown' })).textContent).toContain('5:00');
  });
});
