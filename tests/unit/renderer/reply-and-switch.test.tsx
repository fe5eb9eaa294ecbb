// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import type { ConversationView } from '../../../protocol/studio-api.js';
import { AppError } from '../../../protocol/errors.js';
import { BotActiveSwitch } from '../../../renderer/src/inbox/BotActiveSwitch.js';
import { ReplyBox } from '../../../renderer/src/inbox/ReplyBox.js';
import { FakeStudioClient } from './support/fake-studio-client.js';
import { conversation } from './support/fixtures.js';
import { renderStudio } from './support/render-studio.js';

afterEach(cleanup);

function ReplyHarness({ c }: { c: ConversationView }) {
  const [draft, setDraft] = useState('');
  return <ReplyBox conversation={c} draft={draft} onDraftChange={setDraft} onSent={(t) => setDraft((d) => (d.trim() === t ? '' : d))} onBack={() => undefined} />;
}

const replyBox = () => screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;

describe('reply box', () => {
  it('sends the reply on Enter and empties the box', async () => {
    const client = new FakeStudioClient().answer('conversation.reply', () => ({ tookOver: true }));
    renderStudio(<ReplyHarness c={conversation('c1')} />, client);
    fireEvent.change(replyBox(), { target: { value: '  We open at nine.  ' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter' });
    await waitFor(() => expect(replyBox().value).toBe(''));
    expect(client.callsOf('conversation.reply')).toEqual([{ conversationId: 'c1', text: 'We open at nine.' }]);
  });

  it('does not send on Shift+Enter (that is a new line)', () => {
    const client = new FakeStudioClient();
    renderStudio(<ReplyHarness c={conversation('c1')} />, client);
    fireEvent.change(replyBox(), { target: { value: 'line one' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter', shiftKey: true });
    expect(client.callsOf('conversation.reply')).toEqual([]);
  });

  it('does not send an empty reply', () => {
    const client = new FakeStudioClient();
    renderStudio(<ReplyHarness c={conversation('c1')} />, client);
    fireEvent.change(replyBox(), { target: { value: '   ' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter' });
    expect(client.callsOf('conversation.reply')).toEqual([]);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says the first reply takes over while the bot is active', () => {
    renderStudio(<ReplyHarness c={conversation('c1')} />);
    expect(replyBox().getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/Your first reply pauses the bot and takes over/)).toBeTruthy();
  });

  it('keeps the text and says why when the reply is refused', async () => {
    const client = new FakeStudioClient().answer('conversation.reply', () => {
      throw new AppError('held_by_other', 'Ana took over this conversation a moment ago.');
    });
    renderStudio(<ReplyHarness c={conversation('c1')} />, client);
    fireEvent.change(replyBox(), { target: { value: 'Hello there' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter' });
    expect((await screen.findByRole('alert')).textContent).toContain('Ana took over this conversation a moment ago.');
    expect(replyBox().value).toBe('Hello there');
  });

  it('is disabled with the holder named when another designer answers the conversation', () => {
    renderStudio(<ReplyHarness c={conversation('c1', { state: 'paused', heldBy: { id: 'd2', name: 'Ana' }, heldByMe: false })} />);
    expect(replyBox().disabled).toBe(true);
    const describedBy = replyBox().getAttribute('aria-describedby')!;
    expect(document.getElementById(describedBy)!.textContent).toMatch(/^Ana is answering this conversation/);
  });

  it('is disabled for read-only API conversations, saying so', () => {
    renderStudio(<ReplyHarness c={conversation('c1', { channel: 'api', readOnly: true })} />);
    expect(replyBox().disabled).toBe(true);
    expect(screen.getByText(/came through the bot API/)).toBeTruthy();
  });
});

describe('"Bot active" switch', () => {
  it('is a switch that is on while the bot answers', () => {
    renderStudio(<BotActiveSwitch conversation={conversation('c1')} />);
    expect(screen.getByRole('switch', { name: 'Bot active' }).getAttribute('aria-checked')).toBe('true');
  });

  it('is off in a conversation you hold, and switching it on hands the conversation back', async () => {
    const client = new FakeStudioClient().answer('conversation.setBotActive', () => ({ changed: true }));
    renderStudio(<BotActiveSwitch conversation={conversation('c1', { state: 'paused', heldBy: { id: 'me', name: 'Mia' }, heldByMe: true })} />, client);
    const toggle = screen.getByRole('switch', { name: 'Bot active' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await act(async () => fireEvent.click(toggle));
    expect(client.callsOf('conversation.setBotActive')).toEqual([{ conversationId: 'c1', active: true }]);
  });

  it('says the click was taken while the Platform has not answered yet (it may be offline), then follows the Platform', async () => {
    let answer: (r: { changed: boolean }) => void = () => undefined;
    const client = new FakeStudioClient().answer('conversation.setBotActive', () => new Promise((resolve) => (answer = resolve)));
    let show: (c: ConversationView) => void = () => undefined;
    function Harness() {
      const [c, setC] = useState(conversation('c1'));
      show = setC;
      return <BotActiveSwitch conversation={c} />;
    }
    renderStudio(<Harness />, client);
    const toggle = screen.getByRole('switch', { name: 'Bot active' });
    await act(async () => fireEvent.click(toggle));
    expect((await screen.findByRole('status')).textContent).toBe('Switching the bot off…');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    // A second click while the first is on its way sends nothing more.
    await act(async () => fireEvent.click(toggle));
    expect(client.callsOf('conversation.setBotActive')).toHaveLength(1);
    await act(async () => answer({ changed: true }));
    act(() => show(conversation('c1', { state: 'paused', heldBy: { id: 'me', name: 'Mia' }, heldByMe: true })));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });

  it('cannot be used in a conversation another designer holds', () => {
    const client = new FakeStudioClient();
    renderStudio(<BotActiveSwitch conversation={conversation('c1', { state: 'paused', heldBy: { id: 'd2', name: 'Ana' } })} />, client);
    const toggle = screen.getByRole('switch', { name: 'Bot active' }) as HTMLButtonElement;
    expect(toggle.disabled).toBe(true);
    fireEvent.click(toggle);
    expect(client.callsOf('conversation.setBotActive')).toEqual([]);
  });
});
