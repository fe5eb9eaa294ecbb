import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/manual-clock.js';
import { ChatClient, DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('conversation history for designers', () => {
  let t: TestPlatform;
  let clock: ManualClock;
  let designer: DesignerClient;
  const ids: Record<string, string> = {};

  async function conversation(name: string, lines: string[], keepOpen = false): Promise<ChatClient> {
    const user = await ChatClient.connect(t.url);
    for (const line of lines) {
      const sent = await user.say(line);
      await user.waitForMessage((m) => m.seq === sent.seq + 1, `reply to ${line}`);
      clock.advance(1_000);
    }
    const last = lines[lines.length - 1];
    const started = await designer.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.text === last, `"${last}" at the designer`);
    if (started?.event.type !== 'message.created') throw new Error('conversation not seen by the designer');
    ids[name] = started.event.message.conversationId;
    if (!keepOpen) await user.close();
    return user;
  }

  beforeAll(async () => {
    clock = new ManualClock();
    t = await startTestPlatform({ clock, chatLimits: { newConversationsBurst: 100, messagesBurst: 100 } });
    designer = await DesignerClient.connect(t.url, t.ada.token);
    // Inputs the starter bot knows (HELLO *, HELP *, CAN I TALK TO A PERSON), except the gibberish.
    await conversation('pizza', ['Hello', 'Hello pizza margherita']);
    await conversation('gibberish', ['qwxzv flumpf blorb']); // the starter bot's default category answers
    await conversation('refund', ['Hello', 'Help with a refund for my order']);
    const waiting = await conversation('waiting', ['Hello', 'Can I talk to a person'], true);
    await designer.request('conversation.reply', { conversationId: ids.refund!, text: 'I can help with the refund.' });
    clock.advance(1_000);
    await designer.request('conversation.reply', { conversationId: ids.waiting!, text: 'Yes, I am here.' });
    clock.advance(1_000);
    // Written after the human's reply: this user now waits for the human.
    await waiting.say('Great, one more question');
  });
  afterAll(async () => {
    await designer.close();
    await t.close();
  });

  const listIds = async (params: Parameters<DesignerClient['request']>[1] & object) =>
    (await designer.request('conversation.list', { filter: 'all', ...params })).conversations.map((c) => c.id);

  it('lists the most recently active first', async () => {
    expect(await listIds({})).toEqual([ids.waiting, ids.refund, ids.gibberish, ids.pizza]);
  });

  it('filters: live now, paused, needs help (fell back to the default category, or waiting for a human)', async () => {
    expect(await listIds({ filter: 'live' })).toEqual([ids.waiting]);
    expect(await listIds({ filter: 'paused' })).toEqual([ids.waiting, ids.refund]);
    // A user who writes to a paused conversation waits for the human: that needs help too, until answered.
    expect(await listIds({ filter: 'needsHelp' })).toEqual([ids.waiting, ids.gibberish]);
    await designer.request('conversation.reply', { conversationId: ids.waiting!, text: 'Go ahead.' });
    expect(await listIds({ filter: 'needsHelp' })).toEqual([ids.waiting, ids.gibberish].slice(1));
  });

  it('searches the full text of messages (prefix words, any case) and client names', async () => {
    expect(await listIds({ search: 'pizza' })).toEqual([ids.pizza]);
    expect(await listIds({ search: 'MARGH' })).toEqual([ids.pizza]);
    expect(await listIds({ search: 'refund order' })).toEqual([ids.refund]);
    expect(await listIds({ search: 'refund pizza' })).toEqual([]);
    // Human replies are searchable too.
    expect(await listIds({ search: 'I can help with the refund' })).toEqual([ids.refund]);
    // FTS5 syntax is taken literally, not as an error.
    expect(await listIds({ search: '"pizza" OR NEAR(' })).toEqual([]);
    const { conversation } = await designer.request('conversation.get', { conversationId: ids.gibberish! });
    expect(await listIds({ search: conversation.clientName })).toContain(ids.gibberish);
    expect(await listIds({ search: 'pizza', filter: 'paused' })).toEqual([]);
  });

  it('pages with an opaque cursor, without repeats or gaps', async () => {
    const first = await designer.request('conversation.list', { filter: 'all', limit: 3 });
    expect(first.conversations).toHaveLength(3);
    expect(first.nextCursor).toBeDefined();
    const second = await designer.request('conversation.list', { filter: 'all', limit: 3, cursor: first.nextCursor! });
    expect([...first.conversations, ...second.conversations].map((c) => c.id)).toEqual([ids.waiting, ids.refund, ids.gibberish, ids.pizza]);
    expect(second.nextCursor).toBeUndefined();
    const broken = await designer.rawRequest('conversation.list', { filter: 'all', cursor: 'not-a-cursor' });
    expect(broken.error?.code).toBe('invalid_params');
  });

  it('pages a transcript back in time', async () => {
    const latest = await designer.request('conversation.transcript', { conversationId: ids.refund!, limit: 2 });
    expect(latest.messages.map((m) => m.seq)).toEqual([5, 6]);
    expect(latest.hasMore).toBe(true);
    const older = await designer.request('conversation.transcript', { conversationId: ids.refund!, beforeSeq: 5, limit: 10 });
    expect(older.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(older.hasMore).toBe(false);
  });

  it('exports a transcript as text with the match metadata, and as JSON', async () => {
    const text = await designer.request('conversation.export', { conversationId: ids.refund! });
    expect(text.fileName).toMatch(/^transcript-starter-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(text.text).toContain('User: Help with a refund for my order');
    expect(text.text).toContain('Ada (human): I can help with the refund.');
    expect(text.text).toMatch(/Notice \(paused\): /);
    expect(text.text).toMatch(/\(pattern [^)]*file /);
    const json = await designer.request('conversation.export', { conversationId: ids.refund!, format: 'json' });
    const parsed = JSON.parse(json.text) as { messages: Array<{ seq: number }> };
    expect(parsed.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('Pandorabots API conversations', () => {
  it('a talk exchange is logged as a read-only api conversation designers can see but not take over', async () => {
    const t = await startTestPlatform();
    try {
      const designer = await DesignerClient.connect(t.url, t.ada.token);
      const { appId, userKey } = t.platform.apiCredentials;
      const response = await fetch(`${t.url}/talk/${appId}/starter?user_key=${userKey}&input=Hello&client_name=apiclient1`, { method: 'POST' });
      expect(response.status).toBe(200);
      const started = await designer.waitForEvent((e) => e.event.type === 'conversation.started', 'api conversation');
      if (started.event.type !== 'conversation.started') throw new Error('unreachable');
      expect(started.event.conversation).toMatchObject({ channel: 'api', readOnly: true, clientName: 'apiclient1' });
      const id = started.event.conversation.id;
      const transcript = await designer.request('conversation.transcript', { conversationId: id });
      expect(transcript.messages.map((m) => [m.author, m.text.length > 0])).toEqual([
        ['user', true],
        ['bot', true],
      ]);
      const refused = await designer.rawRequest('conversation.reply', { conversationId: id, text: 'hi' });
      expect(refused.error?.code).toBe('read_only');
      await designer.close();
    } finally {
      await t.close();
    }
  });
});
