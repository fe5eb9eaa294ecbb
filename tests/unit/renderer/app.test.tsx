// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/conversation.js';
import type { AppState, ConversationView } from '../../../protocol/studio-api.js';
import { HISTORY_SEARCH_DELAY_MS } from '../../../renderer/src/inbox/HistorySearch.js';
import { App } from '../../../renderer/src/app/App.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { conversation, message, T0 } from './support/fixtures.js';
import { giveElementsASize } from './support/layout-shim.js';
import { onlineState, RecordingNotifications, renderStudio } from './support/render-studio.js';

giveElementsASize();
afterEach(cleanup);

const rusty = conversation('c1', {
  clientName: 'Rusty Sprocket',
  lastActivityAt: T0 - 2_000,
  lastSeq: 5,
  unread: 1,
  lastMessage: { author: 'user', text: 'are you a person?', at: T0 - 2_000, seq: 5 },
});
const shiny = conversation('c2', { clientName: 'Shiny Gear', lastActivityAt: T0 - 60_000, state: 'paused', heldBy: { id: 'd2', name: 'Ana' } });

const transcript: Message[] = [
  message('c1', 1, { author: 'user', text: 'hello' }),
  message('c1', 2, {
    author: 'bot',
    text: 'Hi there!',
    match: [{ pattern: 'HELLO', that: '*', topic: '*', file: 'greetings.aiml', defaultCategory: false }],
  }),
  message('c1', 3, { author: 'system', notice: 'paused', text: 'A person is taking over.' }),
  message('c1', 4, { author: 'human', text: 'I am Mia.', designer: { id: 'me', name: 'Mia' } }),
  message('c1', 5, { author: 'user', text: 'are you a person?' }),
];

function studio(state: AppState = onlineState(), conversations: ConversationView[] = [rusty, shiny]) {
  return new FakeStudioClient()
    .answer('app.state', () => state)
    .answer('conversations.list', () => ({ conversations }))
    .answer('conversation.transcript', () => ({ messages: transcript, hasMore: false }))
    .answer('settings.get', () => ({ hasToken: false, embedded: true, notifications: { newConversation: true, heldConversationMessage: true, badge: true } }));
}

describe('Studio app', () => {
  it('asks for a Platform on first run, and can start the local one', async () => {
    const client = studio(onlineState({ link: { status: 'unconfigured', embedded: false } })).answer('platform.configure', () => onlineState());
    renderStudio(<App notifications={new RecordingNotifications()} />, client);
    expect(await screen.findByRole('heading', { name: 'Welcome to Live Training Studio' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Start the local Platform' }));
    await screen.findByRole('listbox', { name: 'Conversations' });
    expect(client.callsOf('platform.configure')).toEqual([{ embedded: true }]);
  });

  it('lets the designer choose the name the local Platform knows them by, on first run', async () => {
    const client = studio(onlineState({ link: { status: 'unconfigured', embedded: false } })).answer('platform.configure', () => onlineState());
    renderStudio(<App notifications={new RecordingNotifications()} />, client);
    const name = await screen.findByRole('textbox', { name: 'Your name' });
    fireEvent.change(name, { target: { value: '  Mia Jones ' } });
    fireEvent.blur(name);
    fireEvent.click(screen.getByRole('button', { name: 'Start the local Platform' }));
    await screen.findByRole('listbox', { name: 'Conversations' });
    expect(client.calls.filter((c) => c.method === 'settings.update' || c.method === 'platform.configure')).toEqual([
      { method: 'settings.update', args: { designerName: 'Mia Jones' } },
      { method: 'platform.configure', args: { embedded: true } },
    ]);
  });

  it('explains a bad Platform address before sending anything', async () => {
    const client = studio(onlineState({ link: { status: 'unconfigured', embedded: false } }));
    renderStudio(<App notifications={new RecordingNotifications()} />, client);
    fireEvent.click(await screen.findByRole('radio', { name: /A Platform server/ }));
    fireEvent.change(screen.getByLabelText('Platform URL'), { target: { value: 'bots.example.com' } });
    fireEvent.change(screen.getByLabelText('Designer token'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/starts with https:\/\/ or http:\/\//);
    expect(client.callsOf('platform.configure')).toEqual([]);
  });

  it('lists conversations named by their client names, most recent first, with their state', async () => {
    renderStudio(<App notifications={new RecordingNotifications()} />, studio());
    const list = await screen.findByRole('listbox', { name: 'Conversations' });
    const options = await within(list).findAllByRole('option');
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual(['Rusty Sprocket', 'Shiny Gear']);
    expect(options[0]!.textContent).toContain('Bot active');
    expect(options[0]!.textContent).toContain('are you a person?');
    expect(options[1]!.textContent).toContain('Paused by Ana');
  });

  it('opens a conversation: messages styled by author, the "What matched" details, the unread divider', async () => {
    const client = studio();
    renderStudio(<App notifications={new RecordingNotifications()} />, client);
    fireEvent.click(await screen.findByRole('option', { name: 'Rusty Sprocket' }));
    const log = await screen.findByRole('log', { name: 'Transcript' });
    await within(log).findByText('Hi there!');
    expect(within(log).getByText('hello').closest('.message-user')).toBeTruthy();
    expect(within(log).getByText('Hi there!').closest('.message-bot')).toBeTruthy();
    expect(within(log).getByText('I am Mia.').closest('.message-human')!.querySelector('.message-author')!.textContent).toBe('You');
    expect(within(log).getByText('A person is taking over.').closest('.message-system')!.textContent).toContain('Bot paused');
    const matched = within(log).getByText('What matched').closest('details')!;
    expect(matched.textContent).toContain('HELLO');
    expect(matched.textContent).toContain('greetings.aiml');
    const divider = within(log).getByRole('separator', { name: 'New messages' });
    expect(divider.nextElementSibling!.textContent).toContain('are you a person?');
  });

  it('moves to the next conversation with J and opens the shortcut sheet with ?', async () => {
    renderStudio(<App notifications={new RecordingNotifications()} />, studio());
    await screen.findByRole('option', { name: 'Rusty Sprocket' });
    fireEvent.keyDown(document.body, { key: 'j' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Rusty Sprocket' }).getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(document.body, { key: 'j' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Shiny Gear' }).getAttribute('aria-selected')).toBe('true'));
    expect(screen.getByRole('heading', { level: 2, name: 'Shiny Gear' })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: '?' });
    await waitFor(() => expect(document.querySelector('dialog')!.open).toBe(true));
    expect(document.querySelector('dialog')!.textContent).toContain('Next conversation');
  });

  it('filters to conversations that need help and searches by name', async () => {
    const fell = conversation('c3', { clientName: 'Quiet Piston', fellBack: true, lastActivityAt: T0 - 500 });
    renderStudio(<App notifications={new RecordingNotifications()} />, studio(onlineState(), [rusty, shiny, fell]));
    await screen.findByRole('option', { name: 'Quiet Piston' });
    fireEvent.click(screen.getByRole('button', { name: /Needs help/ }));
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual(['Quiet Piston']));
    fireEvent.click(screen.getByRole('button', { name: /^All/ }));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search conversations' }), { target: { value: 'shiny' } });
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual(['Shiny Gear']));
  });

  it('shows the unread badge in the window title', async () => {
    const { client } = renderStudio(<App notifications={new RecordingNotifications()} />, studio());
    await screen.findByRole('listbox', { name: 'Conversations' });
    act(() => client.push({ type: 'badge', count: 3 }));
    await waitFor(() => expect(document.title).toBe('(3) Live Training Studio'));
    act(() => client.push({ type: 'badge', count: 0 }));
    await waitFor(() => expect(document.title).toBe('Live Training Studio'));
  });

  it('shows a desktop notification for `notify`; clicking it opens that conversation', async () => {
    const notifications = new RecordingNotifications(true);
    const { client } = renderStudio(<App notifications={notifications} />, studio());
    await screen.findByRole('option', { name: 'Shiny Gear' });
    act(() => client.push({ type: 'notify', title: 'New conversation', body: 'Shiny Gear: hi', conversationId: 'c2' }));
    expect(notifications.shown.map((n) => [n.title, n.body, n.tag])).toEqual([['New conversation', 'Shiny Gear: hi', 'c2']]);
    act(() => notifications.shown[0]!.click());
    await waitFor(() => expect(screen.getByRole('option', { name: 'Shiny Gear' }).getAttribute('aria-selected')).toBe('true'));
  });

  it('without desktop notifications, shows the notification inside the page when the inbox is not in front', async () => {
    const { client } = renderStudio(<App notifications={new RecordingNotifications(false)} />, studio());
    await screen.findByRole('option', { name: 'Shiny Gear' });
    // In the inbox the new row says it already: no toast over the controls.
    act(() => client.push({ type: 'notify', title: 'New conversation', body: 'Shiny Gear: hi', conversationId: 'c2' }));
    expect(screen.getByRole('region', { name: 'New activity' }).children).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    await screen.findByRole('heading', { name: 'Notifications' });
    act(() => client.push({ type: 'notify', title: 'New conversation', body: 'Shiny Gear: hi', conversationId: 'c2' }));
    const region = screen.getByRole('region', { name: 'New activity' });
    fireEvent.click(within(region).getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(screen.getByRole('option', { name: 'Shiny Gear' }).getAttribute('aria-selected')).toBe('true'));
  });

  it('counts down to the hand-back while you hold the open conversation', async () => {
    const mine = conversation('c1', { clientName: 'Rusty Sprocket', state: 'paused', heldBy: { id: 'me', name: 'Mia' }, heldByMe: true });
    const { client, clock } = renderStudio(<App notifications={new RecordingNotifications()} />, studio(onlineState(), [mine]));
    fireEvent.click(await screen.findByRole('option', { name: 'Rusty Sprocket' }));
    act(() => client.push({ type: 'activity.deadline', deadline: T0 + 15 * 60_000 }));
    const timer = await screen.findByRole('timer', { name: 'Inactivity countdown' });
    expect(timer.textContent).toContain('15:00');
    act(() => clock.advance(10_000));
    await waitFor(() => expect(timer.textContent).toContain('14:50'));
  });

  it('says when the Platform connection is lost and when it refused the token', async () => {
    const { client, clock } = renderStudio(<App notifications={new RecordingNotifications()} />, studio());
    await screen.findByRole('listbox', { name: 'Conversations' });
    act(() => client.push({ type: 'app.state', state: onlineState({ link: { status: 'reconnecting', embedded: true, retryAt: clock.now() + 8_000, lastError: 'connection refused' } }) }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Lost the connection to the local Platform \(connection refused\)\. Reconnecting in 8 s/);
    act(() => clock.advance(3_000));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('in 5 s'));
    act(() =>
      client.push({ type: 'app.state', state: onlineState({ link: { status: 'unauthorized', embedded: false, platformUrl: 'https://bots.example.com', lastError: 'The Platform refused the designer token (HTTP 401).' } }) }),
    );
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe("The Platform at https://bots.example.com refused Studio's designer token. Enter a valid token to connect again.Change token"));
    fireEvent.click(screen.getByRole('button', { name: 'Change token' }));
    expect(await screen.findByLabelText('Designer token')).toBeTruthy();
  });

  it('reports designer activity to main, throttled', async () => {
    const { client, clock } = renderStudio(<App notifications={new RecordingNotifications()} />, studio());
    await screen.findByRole('listbox', { name: 'Conversations' });
    for (let i = 0; i < 20; i++) fireEvent.keyDown(document.body, { key: 'Shift' });
    expect(client.callsOf('activity.report')).toHaveLength(1);
    act(() => clock.advance(5_000));
    expect(client.callsOf('activity.report')).toHaveLength(2);
  });

  it('opens the conversation main asks for (a native notification was clicked)', async () => {
    const { client } = renderStudio(<App notifications={new RecordingNotifications()} />, studio());
    await screen.findByRole('option', { name: 'Shiny Gear' });
    fireEvent.click([...screen.getByRole('navigation', { name: 'Views' }).querySelectorAll('button')].find((b) => b.textContent === 'Settings')!);
    await screen.findByRole('heading', { name: 'Notifications' });
    act(() => client.push({ type: 'navigate', conversationId: 'c2' }));
    await waitFor(() => expect(screen.getByRole('option', { name: 'Shiny Gear' }).getAttribute('aria-selected')).toBe('true'));
    expect(screen.getByRole('heading', { level: 2, name: 'Shiny Gear' })).toBeTruthy();
  });

  it('says when its own host connection drops, and fetches everything again when it is back', async () => {
    const client = studio();
    const { clock } = renderStudio(<App notifications={new RecordingNotifications()} />, client);
    await screen.findByRole('option', { name: 'Shiny Gear' });
    const listCalls = client.callsOf('conversations.list').length;
    act(() => client.setTransport({ state: 'reconnecting', retryAt: clock.now() + 2_000 }));
    expect((await screen.findByRole('alert')).textContent).toContain('Studio lost the connection to its background service. Reconnecting in 2 s');
    act(() => client.setTransport({ state: 'open' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await waitFor(() => expect(client.callsOf('conversations.list').length).toBe(listCalls + 1));
  });

  it('searches every message on the Platform once typing pauses, and shows what it found', async () => {
    const client = studio().answer('conversations.search', () => ({ conversations: [shiny] }));
    const { clock } = renderStudio(<App notifications={new RecordingNotifications()} />, client);
    await screen.findByRole('option', { name: 'Shiny Gear' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search conversations' }), { target: { value: 'parcel' } });
    await waitFor(() => expect(screen.queryAllByRole('option')).toHaveLength(0));
    act(() => clock.advance(HISTORY_SEARCH_DELAY_MS - 1));
    expect(client.callsOf('conversations.search')).toEqual([]);
    act(() => clock.advance(1));
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual(['Shiny Gear']));
    expect(client.callsOf('conversations.search')).toEqual([{ query: 'parcel', cursor: undefined }]);
    expect(screen.getByText(/The Platform found 1 conversation with “parcel” in their history/)).toBeTruthy();
  });

  it('offers to turn on desktop notifications in a browser that has not been asked yet', async () => {
    const notifications = new RecordingNotifications(false);
    renderStudio(<App notifications={notifications} />, studio());
    fireEvent.click(await screen.findByRole('button', { name: 'Turn on desktop notifications' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Turn on desktop notifications' })).toBeNull());
    expect(notifications.requested).toBe(1);
  });
});
