import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('the Live Training loop over real sockets', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await startTestPlatform();
  });
  afterEach(async () => {
    await t.close();
  });

  it('an end user chats with the starter bot and a designer sees it under a robot name', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await ChatClient.connect(t.url);
    const sent = await user.say('Hello');
    expect(sent).toMatchObject({ seq: 1, from: 'user', text: 'Hello' });
    const reply = await user.waitForMessage((m) => m.seq === 2, 'bot reply');
    expect(reply.from).toBe('bot');
    expect(reply.text.length).toBeGreaterThan(0);

    const started = await designer.waitForEvent((e) => e.event.type === 'conversation.started', 'conversation.started');
    const summary = started.event.type === 'conversation.started' ? started.event.conversation : undefined;
    expect(summary?.clientName).toMatch(/^\S+ \S+$/);
    expect(summary?.bot).toBe('starter');
    const botMessage = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.author === 'bot', 'bot message');
    if (botMessage.event.type !== 'message.created') throw new Error('unreachable');
    expect(botMessage.event.message.match?.[0]).toMatchObject({ file: expect.any(String), pattern: expect.any(String) });
    await user.close();
    await designer.close();
  });

  it('takeover: the user sees the paused notice then the reply, gets no bot reply while paused, and the reactivated notice after', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await ChatClient.connect(t.url);
    await user.say('Hello');
    await user.waitForMessage((m) => m.from === 'bot', 'bot reply');
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const id = conversations[0]!.id;

    const takeover = await designer.request('conversation.reply', { conversationId: id, text: 'Hi, Ada from the team here.' });
    expect(takeover.tookOver).toBe(true);
    expect(takeover.messages.map((m) => m.author)).toEqual(['system', 'human']);
    const notice = await user.waitForMessage((m) => m.from === 'notice', 'paused notice');
    const human = await user.waitForMessage((m) => m.text === 'Hi, Ada from the team here.', 'human reply');
    expect(human.seq).toBe(notice.seq + 1);
    // Default appearance: the human reply looks like the bot's; the user is never told who wrote it.
    expect(human.from).toBe('bot');

    const waiting = await user.say('Are you a person?');
    const userEvent = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.seq === waiting.seq, 'user message while paused');
    expect(userEvent.event.type === 'message.created' && userEvent.event.message.author).toBe('user');
    const conversation = await designer.request('conversation.get', { conversationId: id });
    expect(conversation.conversation.waitingSince).toBeDefined();
    // A bot reply would have been stored on the event-loop turn after the user's message, long before this request
    // arrives: the transcript answered now is final, and the user is only ever sent what is stored.
    const { messages } = await designer.request('conversation.transcript', { conversationId: id });
    expect(messages.filter((m) => m.seq > waiting.seq)).toEqual([]);
    expect(user.messages().filter((m) => m.seq > waiting.seq)).toEqual([]);

    const back = await designer.request('conversation.setBotActive', { conversationId: id, active: true });
    expect(back.changed).toBe(true);
    await user.waitForMessage((m) => m.from === 'notice' && m.seq === waiting.seq + 1, 'reactivated notice');
    const again = await user.say('Hello');
    await user.waitForMessage((m) => m.from === 'bot' && m.seq === again.seq + 1, 'bot answers again');
    await user.close();
    await designer.close();
  });

  it('a reload (same session key) continues the conversation with its history, each message once', async () => {
    const first = await ChatClient.connect(t.url);
    await first.say('Hello');
    await first.waitForMessage((m) => m.seq === 2, 'reply');
    await first.close();
    const reloaded = await ChatClient.connect(t.url, 'starter', { session: first.session });
    expect(reloaded.welcome.messages.map((m) => m.seq)).toEqual([1, 2]);
    const next = await reloaded.say('Thanks');
    expect(next.seq).toBe(3);
    await reloaded.close();
  });

  it('a resent message (same client id, after a lost connection) is stored once and answered once', async () => {
    const user = await ChatClient.connect(t.url);
    await user.say('Hello', 'same-id');
    await user.waitForMessage((m) => m.seq === 2, 'reply');
    await user.close();
    const back = await ChatClient.connect(t.url, 'starter', { session: user.session, lastSeq: 2 });
    const again = await back.say('Hello', 'same-id');
    expect(again.seq).toBe(1);
    // A second answer would be stored on the turn after the resend, before any later request is answered.
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const transcript = await designer.request('conversation.transcript', { conversationId: conversations[0]!.id });
    expect(transcript.messages.map((m) => m.author)).toEqual(['user', 'bot']);
    await back.close();
    await designer.close();
  });

  it('designers read and change a bot’s Live Training texts, and the next takeover uses them', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const updated = await designer.request('bot.updateSettings', { bot: 'starter', patch: { pausedMessage: 'A human is here now.' } });
    expect(updated.settings.pausedMessage).toBe('A human is here now.');
    const read = await designer.request('bot.settings', { bot: 'starter' });
    expect(read.settings.pausedMessage).toBe('A human is here now.');
    expect(read.settings.reactivatedMessage.length).toBeGreaterThan(0);
    await designer.waitForEvent((e) => e.event.type === 'settings.updated', 'settings.updated');

    const user = await ChatClient.connect(t.url);
    await user.say('Hello');
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Hello!' });
    const notice = await user.waitForMessage((m) => m.from === 'notice', 'paused notice');
    expect(notice.text).toBe('A human is here now.');
    await user.close();
    await designer.close();
  });

  it('the bot owner can mark human replies as from a person, and show the notices like bot messages', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    await designer.request('bot.updateSettings', { bot: 'starter', patch: { appearance: { humanStyle: 'human', systemStyle: 'bot' } } });
    const user = await ChatClient.connect(t.url);
    expect(user.welcome.appearance.humanStyle).toBe('human');
    await user.say('Hello');
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Person here.' });
    const human = await user.waitForMessage((m) => m.text === 'Person here.', 'human reply');
    expect(human.from).toBe('human');
    expect(user.messages().find((m) => m.seq === human.seq - 1)?.from).toBe('bot'); // the paused notice, bot-styled
    // Marked as a person, still never named: no frame the user got carries the designer's name or id.
    const everything = JSON.stringify(user.log.frames);
    expect(everything).not.toContain(t.ada.id);
    expect(everything).not.toMatch(/"designer"|Ada/);
    await user.close();
    await designer.close();
  });

  it('a designer’s reply is shown as typed, even when it looks like rich media (no parts)', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await ChatClient.connect(t.url);
    await user.say('Hello');
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Try <button>this</button> & see' });
    const human = await user.waitForMessage((m) => m.text === 'Try <button>this</button> & see', 'human reply');
    expect(human.parts).toBeUndefined();
    await user.close();
    await designer.close();
  });
});
