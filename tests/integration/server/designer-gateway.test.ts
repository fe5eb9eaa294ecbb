import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient, openSocket } from './support/clients.js';
import { startPlatform } from '../../../server/platform.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

/** A user who says `n` things and waits for each reply: 1 started + 2 messages per exchange = 2n+1 events. */
async function chatter(url: string, n: number, session?: string): Promise<ChatClient> {
  const user = await ChatClient.connect(url, 'starter', session ? { session } : {});
  for (let i = 0; i < n; i++) {
    const sent = await user.say(`Hello number ${i}`);
    await user.waitForMessage((m) => m.seq === sent.seq + 1, 'reply');
  }
  return user;
}

describe('designer gateway /ws/designer', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await startTestPlatform();
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses a missing or wrong token with HTTP 401 before any frame', async () => {
    const ws = t.url.replace('http', 'ws') + '/ws/designer';
    await expect(openSocket(ws)).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(ws, { Authorization: 'Bearer ltd_not-a-real-token' })).rejects.toMatchObject({ status: 401 });
  });

  it('welcomes with the designer, the bots and their settings, then a snapshot and synced per bot', async () => {
    const user = await chatter(t.url, 1);
    const designer = await DesignerClient.connect(t.url, t.ada.token, null);
    const welcome = await designer.hello({});
    expect(welcome.designer).toEqual({ id: t.ada.id, name: 'Ada' });
    expect(welcome.bots.map((b) => b.name)).toContain('starter');
    const starter = welcome.bots.find((b) => b.name === 'starter')!;
    expect(starter.lastEventId).toBe(3);
    expect(starter.settings.inactivityTimeoutMs).toBe(15 * 60_000);
    const kinds = designer.log.frames.map((f) => (f.type === 'snapshot' || f.type === 'synced' ? `${f.type}:${f.bot}` : f.type));
    expect(kinds.slice(0, 3)).toEqual(['welcome', 'snapshot:starter', 'synced:starter']);
    const snapshot = designer.log.frames.find((f) => f.type === 'snapshot');
    expect(snapshot?.type === 'snapshot' && snapshot.conversations.map((c) => c.lastSeq)).toEqual([2]);
    await user.close();
    await designer.close();
  });

  it('answers requests before hello with not_ready', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token, null);
    const response = await designer.rawRequest('bot.list', {});
    expect(response.ok).toBe(false);
    expect(response.error?.code).toBe('not_ready');
    await designer.close();
  });

  it('a designer who reconnects with the last event id gets exactly the missed events, in order, then live ones', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await chatter(t.url, 1);
    await designer.waitForEvent((e) => e.id === 3, 'event 3');
    const lastSeen = Math.max(...designer.events('starter').map((e) => e.id));
    await designer.close();

    // Missed while away: two more exchanges (events 4-7) and a takeover by Bob (3 events: 8-10).
    for (const text of ['Hello', 'Who are you']) {
      const sent = await user.say(text);
      await user.waitForMessage((m) => m.seq === sent.seq + 1, 'reply');
    }
    const bob = await DesignerClient.connect(t.url, t.bob.token);
    const { conversations } = await bob.request('conversation.list', { filter: 'all' });
    await bob.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Bob here.' });

    const back = await DesignerClient.connect(t.url, t.ada.token, { starter: lastSeen });
    const replayed = back.events('starter').map((e) => e.id);
    expect(replayed).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(back.log.frames.some((f) => f.type === 'snapshot')).toBe(false);
    const types = back.events('starter').map((e) => e.event.type);
    expect(types.slice(-3)).toEqual(['conversation.paused', 'message.created', 'message.created']);
    // Live from here, without a gap.
    await user.say('Still there?');
    const live = await back.waitForEvent((e) => e.id === 11, 'live event 11');
    expect(live.event.type).toBe('message.created');
    expect(back.events('starter').map((e) => e.id)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    await user.close();
    await bob.close();
    await back.close();
  });

  it('a designer whose last event id is unknown to the Platform (from another data dir) gets a snapshot', async () => {
    const user = await chatter(t.url, 1);
    const designer = await DesignerClient.connect(t.url, t.ada.token, { starter: 9_999 });
    expect(designer.log.frames.some((f) => f.type === 'snapshot' && f.bot === 'starter')).toBe(true);
    expect(designer.events()).toEqual([]);
    await user.close();
    await designer.close();
  });

  it('applies a mutating request at most once: a retry with the same id returns the first result and changes nothing', async () => {
    const user = await chatter(t.url, 1);
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const params = { conversationId: conversations[0]!.id, text: 'Only once, please.' };
    const first = await designer.request('conversation.reply', params, 'client-id-1');
    await designer.close();
    const again = await DesignerClient.connect(t.url, t.ada.token);
    const retry = await again.request('conversation.reply', params, 'client-id-1');
    expect(retry).toEqual(first);
    const transcript = await again.request('conversation.transcript', { conversationId: params.conversationId });
    expect(transcript.messages.filter((m) => m.text === 'Only once, please.')).toHaveLength(1);
    // The same id for another method is a mistake, said plainly.
    const misuse = await again.rawRequest('conversation.setBotActive', { conversationId: params.conversationId, active: true }, 'client-id-1');
    expect(misuse.error?.code).toBe('invalid_params');
    await user.close();
    await again.close();
  });

  it('at most once survives a Platform restart: a retry after it returns the stored result and changes nothing', async () => {
    const user = await chatter(t.url, 1);
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    const params = { conversationId: conversations[0]!.id, text: 'Said before the restart.' };
    const first = await designer.request('conversation.reply', params, 'before-restart');
    await user.close();
    await designer.close();
    const port = t.platform.port;
    await t.platform.close();
    const restarted = await startPlatform({ dataDir: t.dataDir, port, logger: false });
    try {
      const again = await DesignerClient.connect(restarted.url, t.ada.token);
      expect(await again.request('conversation.reply', params, 'before-restart')).toEqual(first);
      const transcript = await again.request('conversation.transcript', { conversationId: params.conversationId });
      expect(transcript.messages.filter((m) => m.author === 'human' || m.author === 'system').map((m) => m.text)).toHaveLength(2);
      await again.close();
    } finally {
      await restarted.close();
    }
  });

  it('designer.activity reports what the designer holds and until when', async () => {
    const user = await chatter(t.url, 1);
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Mine.' });
    const { holds } = await designer.request('designer.activity', {});
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ conversationId: conversations[0]!.id, bot: 'starter' });
    expect(holds[0]!.expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    const idle = await designer.request('designer.idle', {});
    expect(idle.resumed).toEqual([conversations[0]!.id]);
    await user.waitForMessage((m) => m.from === 'notice' && m.seq === 5, 'inactivity notice');
    await user.close();
    await designer.close();
  });

  it('a user going online and offline is reported as presence', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await chatter(t.url, 1);
    const id = (await designer.request('conversation.list', { filter: 'live' })).conversations[0]!.id;
    await user.close();
    const offline = await designer.waitForEvent((e) => e.event.type === 'conversation.presence' && !e.event.online, 'offline');
    expect(offline.event.type === 'conversation.presence' && offline.event.conversationId).toBe(id);
    expect((await designer.request('conversation.list', { filter: 'live' })).conversations).toEqual([]);
    await designer.close();
  });

  it('a designer who missed more than the log keeps gets a snapshot with the current state, then live events', async () => {
    const small = await startTestPlatform({ eventRetention: 5 });
    try {
      const designer = await DesignerClient.connect(small.url, small.ada.token);
      const user = await chatter(small.url, 1);
      await designer.waitForEvent((e) => e.id === 3, 'event 3');
      await designer.close();
      for (let i = 0; i < 4; i++) {
        const sent = await user.say(`Hello ${i}`);
        await user.waitForMessage((m) => m.seq === sent.seq + 1, 'reply');
      }
      // Events 4-11 happened while away; the log keeps only the newest 5, so event 4 is gone.
      const back = await DesignerClient.connect(small.url, small.ada.token, { starter: 3 });
      const snapshot = back.log.frames.find((f) => f.type === 'snapshot');
      expect(snapshot?.type === 'snapshot' && snapshot.lastEventId).toBe(11);
      expect(snapshot?.type === 'snapshot' && snapshot.conversations[0]!.lastSeq).toBe(10);
      expect(back.events()).toEqual([]);
      await user.say('live');
      await back.waitForEvent((e) => e.id === 12, 'live event after the snapshot');
      await user.close();
      await back.close();
    } finally {
      await small.close();
    }
  });
});
