import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { startTestPlatform } from '../server/support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('the unanswered queue', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await startTestPlatform();
  });
  afterEach(async () => {
    await t.close();
  });

  async function ask(user: ChatClient, text: string): Promise<string> {
    const sent = await user.say(text);
    return (await user.waitForMessage((m) => m.seq > sent.seq && m.from === 'bot', 'reply')).text;
  }

  it('groups inputs the bot fell back on by their normalised words; answering a group once teaches the bot and answers the users still online', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const gone = await ChatClient.connect(t.url);
    await ask(gone, 'Do you repair zorblax?');
    await gone.close();
    const online = await ChatClient.connect(t.url);
    await ask(online, 'do you REPAIR zorblax');
    const other = await ChatClient.connect(t.url);
    await ask(other, 'Where is the flurbo shop?');
    await ask(other, 'Hello'); // answered by the bot: never in the queue
    await t.platform.learnedSettled();

    const { groups } = await designer.request('unanswered.list', { bot: 'starter' });
    expect(groups.map((g) => [g.groupKey, g.count])).toEqual([
      ['DO YOU REPAIR ZORBLAX', 2],
      ['WHERE IS THE FLURBO SHOP', 1],
    ]);
    const zorblax = groups[0]!;
    expect(zorblax.conversations).toHaveLength(2);
    expect(zorblax.lastSeen).toBeGreaterThanOrEqual(zorblax.firstSeen);

    // Ignored groups leave the list (and come back when asked for).
    await designer.request('unanswered.ignore', { bot: 'starter', groupKey: 'WHERE IS THE FLURBO SHOP' });
    expect((await designer.request('unanswered.list', { bot: 'starter' })).groups.map((g) => g.groupKey)).toEqual(['DO YOU REPAIR ZORBLAX']);
    expect((await designer.request('unanswered.list', { bot: 'starter', includeIgnored: true })).groups.find((g) => g.groupKey === 'WHERE IS THE FLURBO SHOP')?.ignored).toBe(true);

    const answered = await designer.request('unanswered.answer', { bot: 'starter', groupKey: 'DO YOU REPAIR ZORBLAX', template: 'Yes, bring it in & we fix it.', sendToOnline: true });
    expect(answered.categories[0]).toMatchObject({ pattern: 'DO YOU REPAIR ZORBLAX', that: '*', template: 'Yes, bring it in &amp; we fix it.' });
    // Only the user still online got it, through the takeover (paused notice, then the answer).
    expect(answered.sentTo).toHaveLength(1);
    await online.waitForMessage((m) => m.text === 'Yes, bring it in & we fix it.', 'the answer to the user still online');
    expect((await designer.request('unanswered.list', { bot: 'starter' })).groups).toEqual([]);

    await t.platform.learnedSettled();
    const newcomer = await ChatClient.connect(t.url);
    expect(await ask(newcomer, 'Do you repair zorblax?')).toBe('Yes, bring it in & we fix it.');
    // One category: the reply sent to the online user did not capture it again.
    expect((await designer.request('learned.list', { bot: 'starter' })).categories).toHaveLength(1);
    for (const c of [online, other, newcomer]) await c.close();
    await designer.close();
  });

  it('a designer reply that answers a queued input takes it off the queue', async () => {
    const designer = await DesignerClient.connect(t.url, t.ada.token);
    const user = await ChatClient.connect(t.url);
    await ask(user, 'Do you repair zorblax?');
    await t.platform.learnedSettled();
    expect((await designer.request('unanswered.list', { bot: 'starter' })).groups).toHaveLength(1);
    const { conversations } = await designer.request('conversation.list', { filter: 'all' });
    await designer.request('conversation.reply', { conversationId: conversations[0]!.id, text: 'We do.' });
    await t.platform.learnedSettled();
    expect((await designer.request('unanswered.list', { bot: 'starter' })).groups).toEqual([]);
    await user.close();
    await designer.close();
  });
});
