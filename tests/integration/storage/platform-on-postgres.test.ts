import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresStorage } from '../../../server/storage/postgres-storage.js';
import { needing } from '../../support/requirements.js';
import { postgresInstalled, startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';
import { ChatClient, DesignerClient } from '../server/support/clients.js';
import { startTestPlatform } from '../server/support/test-platform.js';

/**
 * The real Platform (one instance) on the PostgreSQL backend, over its real sockets: the conversation rules above the
 * storage behave as on SQLite. (Several instances on one database are the cluster's own suite.)
 */
describe.skipIf(!postgresInstalled.met)(needing('the Platform on PostgreSQL', postgresInstalled), () => {
  let server: ThrowawayPostgres;
  let t: Awaited<ReturnType<typeof startTestPlatform>>;

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    const storage = await openPostgresStorage(await server.createDatabase(), { log: () => {} });
    t = await startTestPlatform({ storage, chatLimits: { newConversationsBurst: 1000, messagesBurst: 100 } });
  });

  afterAll(async () => {
    await t?.close();
    await server?.destroy();
  });

  it('users talk to the bot while designers connect: every event reaches each designer once, in order, and every message each user once', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => ChatClient.connect(t.url)));
    const early = await DesignerClient.connect(t.url, t.ada.token, { starter: 0 });
    const sent = users.map(async (u, i) => {
      for (const w of ['one', 'two', 'three']) await u.say(`${w} from ${i}`);
    });
    const late = await DesignerClient.connect(t.url, t.bob.token, { starter: 0 });
    await Promise.all(sent);
    for (const u of users) await vi.waitFor(() => expect(u.messages().filter((m) => m.from === 'bot')).toHaveLength(3), { timeout: 20_000 });
    // 4 conversations started, 12 user messages, 12 bot replies.
    const lastEventId = 28;
    for (const designer of [early, late]) {
      await designer.waitForEvent((e) => e.bot === 'starter' && e.id === lastEventId, `event ${lastEventId}`, 20_000);
      expect(designer.events('starter').map((e) => e.id)).toEqual(Array.from({ length: lastEventId }, (_, i) => i + 1));
    }
    for (const u of users) expect(u.messages().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // The inbox search finds a conversation by the start of a word its user wrote.
    const found = await early.request('conversation.list', { bot: 'starter', filter: 'all', search: 'thr' });
    expect(found.conversations).toHaveLength(4);
    expect((await early.request('conversation.list', { bot: 'starter', filter: 'all', search: 'three from 2' })).conversations).toHaveLength(1);
    for (const c of [...users, early, late]) await c.close();
  });

  it('two designers racing a takeover: exactly one wins, the other is refused with the winner’s name', async () => {
    const ada = await DesignerClient.connect(t.url, t.ada.token);
    const bob = await DesignerClient.connect(t.url, t.bob.token);
    for (let round = 0; round < 5; round++) {
      const user = await ChatClient.connect(t.url);
      const first = await user.say('Hello');
      await user.waitForMessage((m) => m.seq === first.seq + 1, 'first reply');
      const started = await ada.waitForEvent((e) => e.event.type === 'message.created' && e.event.message.clientId === first.clientId, 'the first message');
      if (started.event.type !== 'message.created') throw new Error('unreachable');
      const id = started.event.message.conversationId;
      const results = await Promise.all([
        ada.rawRequest('conversation.reply', { conversationId: id, text: 'Ada here.' }),
        bob.rawRequest('conversation.reply', { conversationId: id, text: 'Bob here.' }),
      ]);
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winnerName = (winners[0]!.result as { messages: Array<{ designer?: { name: string } }> }).messages.at(-1)!.designer!.name;
      expect(results.find((r) => !r.ok)!.error).toMatchObject({ code: 'held_by_other', details: { holder: { name: winnerName } } });
      await user.waitForMessage((m) => m.text === `${winnerName} here.`, 'the winner’s reply at the user');
      await user.close();
    }
    await ada.close();
    await bob.close();
  });
});
