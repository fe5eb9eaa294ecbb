import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../e2e/support/stack.js';
import type { Message } from '../../../protocol/conversation.js';
import type { ConversationView, StudioEvent } from '../../../protocol/studio-api.js';
import { compileBot } from '../../../aiml/index.js';
import { ChatUser } from './support/chat-user.js';

let stack: Stack | undefined;
const users: ChatUser[] = [];
afterEach(async () => {
  for (const u of users.splice(0)) u.close();
  await stack?.close();
  stack = undefined;
});

async function call<T = unknown>(s: Stack, designer: string, method: string, args: unknown = {}): Promise<T> {
  const reply = await s.designer(designer).studio.dispatcher.invoke(method, args);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.result as T;
}

async function conversations(s: Stack, designer: string): Promise<ConversationView[]> {
  return (await call<{ conversations: ConversationView[] }>(s, designer, 'conversations.list')).conversations;
}

async function user(s: Stack): Promise<ChatUser> {
  const u = await ChatUser.open(s.platformUrl);
  users.push(u);
  return u;
}

describe('Studio against a real Platform', () => {
  it('takes over with a reply through the Studio API, and learns the answer into the workspace', async () => {
    stack = await startStack({ designers: ['Ada'] });
    const s = stack;
    const u = await user(s);
    u.say('Hello there');
    await vi.waitFor(() => expect(u.messages.filter((m) => m.from === 'bot')).toHaveLength(1), { timeout: 10_000 });
    const [conv] = await vi.waitFor(async () => {
      const list = await conversations(s, 'Ada');
      expect(list).toHaveLength(1);
      expect(list[0]!.lastSeq).toBe(2);
      return list;
    });
    expect(conv!.clientName).toMatch(/\S+ \S+/);
    expect(conv!.unread).toBe(1);

    u.say("What's your favourite colour?");
    await vi.waitFor(() => expect(u.messages.filter((m) => m.from === 'bot')).toHaveLength(2), { timeout: 10_000 });
    const result = await call<{ tookOver: boolean }>(s, 'Ada', 'conversation.reply', { conversationId: conv!.id, text: 'Blue & "green" <always>' });
    expect(result).toEqual({ tookOver: true });

    await vi.waitFor(() => expect(u.messages.at(-1)?.text).toBe('Blue & "green" <always>'));
    expect(u.messages.at(-2)?.from).toBe('notice');
    const after = (await conversations(s, 'Ada'))[0]!;
    expect(after).toMatchObject({ state: 'paused', heldByMe: true, unread: 0, heldBy: { name: 'Ada' } });

    // The workspace learned it: pattern = the input as the bot normalises it, template = the reply, escaped.
    const file = s.workspaceFile('Ada');
    const xml = await vi.waitFor(() => readFileSync(file, 'utf8'));
    expect(xml).toContain('<pattern>WHAT IS YOUR FAVOURITE COLOUR</pattern>');
    expect(xml).toContain('&lt;always&gt;');
    // Valid AIML 2.0 that gives the designer's words back, verbatim, for the same input after the same bot reply.
    const substitutions = readFileSync(new URL('../../../resources/starter-bot/substitutions/normal.substitution', import.meta.url), 'utf8');
    const learned = compileBot({ 'aiml/pand_livetraining.aiml': xml, 'substitutions/normal.substitution': substitutions });
    expect(learned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(learned.bot.categoryCount).toBe(1);
    const botBefore = u.messages.filter((m) => m.from === 'bot')[0]!.text;
    const session = learned.bot.createSession('check');
    expect(learned.bot.respond(session, "What's your favourite colour?", { that: botBefore }).text).toBe('Blue & "green" <always>');
  });

  it("refuses a second designer's reply, naming who holds the conversation", async () => {
    stack = await startStack({ designers: ['Ada', 'Grace'] });
    const s = stack;
    const u = await user(s);
    u.say('Hi');
    const id = await vi.waitFor(async () => {
      const [c] = await conversations(s, 'Grace');
      expect(c).toBeDefined();
      return c!.id;
    });
    await call(s, 'Ada', 'conversation.reply', { conversationId: id, text: 'Ada here.' });
    await vi.waitFor(async () => expect((await conversations(s, 'Grace'))[0]).toMatchObject({ state: 'paused', heldByMe: false, heldBy: { name: 'Ada' } }));
    await expect(call(s, 'Grace', 'conversation.reply', { conversationId: id, text: 'Grace here.' })).rejects.toMatchObject({
      code: 'held_by_other',
      message: expect.stringContaining('Ada'),
    });
  });

  it('switches the bot back on: the user gets the reactivated notice and bot answers again', async () => {
    stack = await startStack();
    const s = stack;
    const u = await user(s);
    u.say('Hello');
    const id = await vi.waitFor(async () => (await conversations(s, 'Ada'))[0]!.id);
    await call(s, 'Ada', 'conversation.reply', { conversationId: id, text: 'A human answers.' });
    u.say('Are you a robot?');
    await vi.waitFor(async () => expect((await conversations(s, 'Ada'))[0]!.lastMessage?.text).toBe('Are you a robot?'));
    expect(u.messages.at(-1)?.from).toBe('user'); // paused: no bot reply
    expect(await call(s, 'Ada', 'conversation.setBotActive', { conversationId: id, active: true })).toEqual({ changed: true });
    await vi.waitFor(() => expect(u.messages.at(-1)?.from).toBe('notice'));
    u.say('Hello again');
    await vi.waitFor(() => expect(u.messages.at(-1)?.from).toBe('bot'));
  });

  it('shows every message once and in order after the Platform restarts mid-conversation', async () => {
    stack = await startStack();
    const s = stack;
    const appended: Message[] = [];
    s.designer('Ada').studio.events.subscribe((e: StudioEvent) => {
      if (e.type === 'messages.appended') appended.push(...e.messages);
    });
    const u = await user(s);
    u.say('one');
    await vi.waitFor(() => expect(appended.map((m) => m.seq)).toEqual([1, 2]));
    const id = appended[0]!.conversationId;
    await call(s, 'Ada', 'conversation.reply', { conversationId: id, text: 'two from a human' });

    await s.stopPlatform();
    await vi.waitFor(() => expect(s.designer('Ada').studio.state().link.status).toBe('reconnecting'));
    await s.startPlatform();
    await u.reconnect();
    u.say('three');
    u.say('four');
    await vi.waitFor(() => expect(s.designer('Ada').studio.state().link.status).toBe('online'), { timeout: 10_000 });
    await vi.waitFor(() => expect(appended.at(-1)?.text).toBe('four'), { timeout: 10_000 });
    const seqs = appended.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const transcript = await call<{ messages: Message[] }>(s, 'Ada', 'conversation.transcript', { conversationId: id });
    expect(transcript.messages.map((m) => m.seq)).toEqual(seqs);
  });

  it('says so when the Platform refuses the token, and asks no more', async () => {
    stack = await startStack();
    const ada = stack.designer('Ada').studio;
    const state = await call<{ link: { status: string } }>(stack, 'Ada', 'platform.configure', { embedded: false, url: stack.platformUrl, token: 'not-a-real-token' });
    expect(['connecting', 'unauthorized']).toContain(state.link.status);
    await vi.waitFor(() => expect(ada.state().link).toMatchObject({ status: 'unauthorized', lastError: expect.stringContaining('refused') }));
    await expect(call(stack, 'Ada', 'conversations.search', { query: 'x' })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
