import { afterEach, describe, expect, it } from 'vitest';
import { startPlatform } from '../../../server/platform.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ChatClient, DesignerClient } from './support/clients.js';
import { startTestPlatform, tempDataDir } from './support/test-platform.js';

const MINUTE = 60_000;
const limits = { messagesBurst: 100, newConversationsBurst: 100 };

describe('the inactivity lease is the Platform’s (fake clock: 15 minutes in no time)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  async function takenOver(clock: ManualClock) {
    const t = await startTestPlatform({ clock, chatLimits: limits });
    cleanups.push(() => t.close());
    const user = await ChatClient.connect(t.url);
    cleanups.push(() => void user.close());
    await user.say('Hello');
    await user.waitForMessage((m) => m.seq === 2, 'bot reply');
    const studio = await DesignerClient.connect(t.url, t.ada.token);
    const { conversations } = await studio.request('conversation.list', { filter: 'all' });
    const id = conversations[0]!.id;
    await studio.request('conversation.reply', { conversationId: id, text: 'Ada here, how can I help?' });
    await user.waitForMessage((m) => m.text === 'Ada here, how can I help?', 'human reply');
    return { t, user, studio, id };
  }

  it('resumes a held conversation with the inactivity notice when Studio is gone for the timeout', async () => {
    const clock = new ManualClock();
    const { t, user, studio, id } = await takenOver(clock);
    await studio.close(); // Studio crashed or was closed: nobody will ever send designer.idle.
    const observer = await DesignerClient.connect(t.url, t.bob.token);

    // The lease fires inside clock.advance: a request answered after it sees whatever it did (the Platform only
    // sends the user what it has stored, so an unchanged transcript means the user was sent nothing).
    clock.advance(15 * MINUTE - 1);
    expect((await observer.request('conversation.get', { conversationId: id })).conversation.state).toBe('paused');
    expect((await observer.request('conversation.transcript', { conversationId: id })).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);

    clock.advance(1);
    const notice = await user.waitForMessage((m) => m.seq === 5, 'inactivity notice');
    expect(notice.from).toBe('notice');
    const { conversation } = await observer.request('conversation.get', { conversationId: id });
    expect(conversation.state).toBe('active');
    expect(conversation.heldBy).toBeUndefined();
    const settings = await observer.request('bot.settings', { bot: 'starter' });
    expect(notice.text).toBe(settings.settings.inactivityMessage);
    // And the bot answers again.
    const next = await user.say('Hello');
    await user.waitForMessage((m) => m.seq === next.seq + 1 && m.from === 'bot', 'bot reply after resume');
    await observer.close();
  });

  it('activity reported by the holder keeps the conversation held', async () => {
    const clock = new ManualClock();
    const { user, studio, id } = await takenOver(clock);
    clock.advance(10 * MINUTE);
    const { holds } = await studio.request('designer.activity', {});
    expect(holds).toEqual([{ conversationId: id, bot: 'starter', expiresAt: clock.now() + 15 * MINUTE }]);
    clock.advance(14 * MINUTE);
    // The lease fires inside clock.advance, so this request, answered after it, sees any resume.
    expect((await studio.request('conversation.get', { conversationId: id })).conversation.state).toBe('paused');
    clock.advance(MINUTE);
    await user.waitForMessage((m) => m.from === 'notice' && m.seq === 5, 'inactivity notice');
    await studio.close();
  });

  it('the bot’s own timeout applies, and a lease that ran out while the Platform was down resumes at start', async () => {
    const clock = new ManualClock();
    const data = tempDataDir('lease');
    cleanups.push(() => data.remove());
    const first = await startPlatform({ dataDir: data.dir, clock, logger: false, chatLimits: limits });
    const token = (await first.createDesigner('Ada')).token;
    const user = await ChatClient.connect(first.url);
    await user.say('Hello');
    const studio = await DesignerClient.connect(first.url, token);
    await studio.request('bot.updateSettings', { bot: 'starter', patch: { inactivityTimeoutMs: 2 * MINUTE } });
    const { conversations } = await studio.request('conversation.list', { filter: 'all' });
    await studio.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'Hi.' });
    await studio.close();
    await user.close();
    await first.close();

    clock.advance(3 * MINUTE);
    const second = await startPlatform({ dataDir: data.dir, clock, logger: false, chatLimits: limits });
    cleanups.push(() => second.close());
    const back = await ChatClient.connect(second.url, 'starter', { session: user.session });
    const notices = back.welcome.messages.filter((m) => m.from === 'notice').map((m) => m.seq);
    expect(notices).toEqual([3, 5]); // paused (3) ... inactivity (5) after the human reply (4)
    await back.close();
  });
});
