import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, DesignerClient } from './support/clients.js';
import { startTestPlatform } from './support/test-platform.js';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('races on the real sockets', () => {
  let t: TestPlatform;
  let ada: DesignerClient;
  let bob: DesignerClient;
  beforeAll(async () => {
    // Generous limits: this test opens many conversations from one address in a burst.
    t = await startTestPlatform({ chatLimits: { newConversationsBurst: 1000, messagesBurst: 100 } });
    ada = await DesignerClient.connect(t.url, t.ada.token);
    bob = await DesignerClient.connect(t.url, t.bob.token);
  });
  afterAll(async () => {
    await ada.close();
    await bob.close();
    await t.close();
  });

  async function newConversation(): Promise<{ user: ChatClient; id: string }> {
    const user = await ChatClient.connect(t.url);
    const first = await user.say('Hello');
    await user.waitForMessage((m) => m.seq === first.seq + 1, 'first reply');
    const started = await ada.waitForEvent(
      (e) => e.event.type === 'message.created' && e.event.message.clientId === first.clientId,
      'the first message at the designer',
    );
    if (started.event.type !== 'message.created') throw new Error('unreachable');
    return { user, id: started.event.message.conversationId };
  }

  it('two designers racing a takeover: exactly one wins, the other is refused with the winner’s name', async () => {
    for (let round = 0; round < 15; round++) {
      const { user, id } = await newConversation();
      const results = await Promise.all([
        ada.rawRequest('conversation.reply', { conversationId: id, text: 'Ada here.' }),
        bob.rawRequest('conversation.reply', { conversationId: id, text: 'Bob here.' }),
      ]);
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winnerName = (winners[0]!.result as { messages: Array<{ designer?: { name: string } }> }).messages.at(-1)!.designer!.name;
      expect(losers[0]!.error).toMatchObject({ code: 'held_by_other', details: { holder: { name: winnerName } } });
      expect(losers[0]!.error!.message).toContain(winnerName);
      const transcript = await ada.request('conversation.transcript', { conversationId: id });
      expect(transcript.messages.filter((m) => m.author === 'system')).toHaveLength(1);
      expect(transcript.messages.filter((m) => m.author === 'human').map((m) => m.designer?.name)).toEqual([winnerName]);
      await user.close();
    }
  });

  it('a user message racing a takeover never gets a bot reply after the pause', async () => {
    let lostRaces = 0;
    for (let round = 0; round < 25; round++) {
      const { user, id } = await newConversation();
      // The user's message and the takeover leave at the same moment; on some rounds the user's message is stored
      // first and its bot reply is being prepared when the takeover commits.
      const clientId = `race-${round}`;
      user.ws.send(JSON.stringify({ type: 'send', clientId, text: 'Hello' }));
      const takeover = await ada.request('conversation.reply', { conversationId: id, text: 'A person answers.' });
      await user.waitForMessage((m) => m.clientId === clientId, 'the raced user message stored');
      // Its bot reply, if any, is stored on the next event-loop turn: before this request is even received.
      const { messages } = await ada.request('conversation.transcript', { conversationId: id });
      const pausedAt = messages.find((m) => m.author === 'system' && m.notice === 'paused')!.seq;
      expect(takeover.messages[0]!.seq).toBe(pausedAt);
      expect(messages.filter((m) => m.author === 'bot' && m.seq > pausedAt)).toEqual([]);
      // What the user saw agrees: nothing from the bot after the paused notice.
      const seen = user.messages();
      const noticeSeen = seen.find((m) => m.from === 'notice')!.seq;
      expect(seen.filter((m) => m.seq > noticeSeen && m.from === 'bot' && m.text !== 'A person answers.')).toEqual([]);
      const raced = messages.find((m) => m.clientId === clientId)!;
      if (raced.seq < pausedAt && !messages.some((m) => m.author === 'bot' && m.seq === raced.seq + 1)) lostRaces += 1;
      await user.close();
    }
    // The race was real: in some rounds the user's message was stored while the bot was active, and its reply
    // (already scheduled) was dropped at commit. Both frames arrive in one I/O turn, so this happens in most rounds.
    expect(lostRaces).toBeGreaterThan(0);
  });
});
