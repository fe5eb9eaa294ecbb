import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../protocol/designer-wire.js';
import { toFtsQuery } from '../../../server/conversations/search-query.js';
import type { ConversationRow, EventAtCommit, MessageRow, Storage } from '../../../server/storage/storage.js';
import { newConversationRow } from '../../../server/storage/rows.js';

/**
 * What every storage backend promises (server/storage/storage.ts), as one suite each backend runs:
 * `describeStorageContract('SQLite', open)` and the same for PostgreSQL. `open` gives a fresh, empty storage.
 */
export function describeStorageContract(name: string, open: () => Promise<Storage>, close: (storage: Storage) => Promise<void> = (s) => s.close()): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await close(storage);
    });

    const reloaded = (bot: string, at: number): DomainEvent => ({ type: 'bot.reloaded', bot, at });
    const conversation = (id: string, over: Partial<ConversationRow> = {}): ConversationRow =>
      newConversationRow({ id, bot: 'alpha', clientName: `Name ${id}`, channel: 'widget', sessionKey: `session-${id}`, startedAt: 1_000, ...over });
    const message = (conversationId: string, seq: number, at: number, over: Partial<MessageRow> = {}): MessageRow => ({
      conversationId,
      seq,
      author: 'user',
      text: `message ${seq}`,
      at,
      designer: null,
      notice: null,
      match: null,
      clientId: null,
      ...over,
    });

    describe('events', () => {
      it('gives each bot gap-free ids in commit order under concurrent transactions', async () => {
        const appended = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            storage.transaction(async (tx) => {
              const bot = i % 3 === 0 ? 'beta' : 'alpha';
              await tx.ensureBot(bot);
              const first = await tx.appendEvent(bot, i, reloaded(bot, i));
              const second = await tx.appendEvent(bot, i, reloaded(bot, i));
              return [first, second];
            }),
          ),
        );
        for (const bot of ['alpha', 'beta']) {
          const ids = appended
            .flat()
            .filter((e) => e.bot === bot)
            .map((e) => e.id)
            .sort((a, b) => a - b);
          expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
          expect(await storage.lastEventId(bot)).toBe(ids.length);
          const stored = await storage.eventsAfter(bot, 0, 1000);
          expect(stored.map((e) => e.id)).toEqual(ids);
        }
        // The two events of one transaction are consecutive: nothing committed between them.
        for (const [first, second] of appended) expect(second!.id).toBe(first!.id + 1);
      });

      it('gives events appended at commit their ids at the commit, gap-free and in the order appended with the others', async () => {
        const seen: string[] = [];
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            storage.transaction(async (tx) => {
              await tx.ensureBot('alpha');
              const first = await tx.appendEventAtCommit('alpha', i, reloaded('alpha', i));
              // Not known before the commit, on either backend.
              expect(() => first.envelope).toThrow(/before its transaction commits/);
              const middle = i % 3 === 0 ? await tx.appendEvent('alpha', i, reloaded('alpha', i)) : undefined;
              const last = await tx.appendEventAtCommit('alpha', i, reloaded('alpha', i));
              const other = i % 5 === 0 ? await tx.appendEventAtCommit('beta', i, reloaded('beta', i)) : undefined;
              tx.afterCommit(() => seen.push(`${first.envelope.id}`));
              return { first, middle, last, other };
            }),
          ),
        );
        for (const { first, middle, last } of results) {
          // One transaction's appends are consecutive and in the order made, whichever way each was made.
          const ids = [first.envelope.id, ...(middle ? [middle.id] : []), last.envelope.id];
          expect(ids).toEqual(ids.map((_, k) => first.envelope.id + k));
        }
        const alpha = results.flatMap(({ first, middle, last }) => [first.envelope.id, ...(middle ? [middle.id] : []), last.envelope.id]).sort((a, b) => a - b);
        expect(alpha).toEqual(Array.from({ length: alpha.length }, (_, k) => k + 1));
        expect((await storage.eventsAfter('alpha', 0, 1000)).map((e) => e.id)).toEqual(alpha);
        expect((await storage.eventsAfter('beta', 0, 1000)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(seen).toHaveLength(30);
        const stored = await storage.eventsAfter('alpha', 0, 1000);
        for (const { first } of results) expect(stored.find((e) => e.id === first.envelope.id)?.event).toEqual(first.envelope.event);
      });

      it('appends nothing at commit from a transaction that rolled back', async () => {
        let appended: EventAtCommit | undefined;
        await expect(
          storage.transaction(async (tx) => {
            appended = await tx.appendEventAtCommit('gone', 1, reloaded('gone', 1));
            throw new Error('the rule refused');
          }),
        ).rejects.toThrow('the rule refused');
        expect(() => appended!.envelope).toThrow(/before its transaction commits/);
        expect(await storage.lastEventId('gone')).toBe(0);
        expect(await storage.eventsAfter('gone', 0, 10)).toEqual([]);
      });

      it('keeps the newest events when pruning, and says which is the oldest kept', async () => {
        await storage.transaction(async (tx) => {
          for (let i = 1; i <= 10; i++) await tx.appendEvent('alpha', i, reloaded('alpha', i));
          await tx.appendEvent('beta', 1, reloaded('beta', 1));
        });
        expect(await storage.oldestEventId('alpha')).toBe(1);
        await storage.transaction((tx) => tx.pruneEvents('alpha', 4));
        expect(await storage.oldestEventId('alpha')).toBe(7);
        expect(await storage.lastEventId('alpha')).toBe(10);
        expect((await storage.eventsAfter('alpha', 0, 100)).map((e) => e.id)).toEqual([7, 8, 9, 10]);
        expect((await storage.eventsAfter('alpha', 8, 100)).map((e) => e.event)).toEqual([reloaded('alpha', 9), reloaded('alpha', 10)]);
        expect((await storage.eventsAfter('beta', 0, 10)).map((e) => e.id)).toEqual([1]);
        expect(await storage.oldestEventId('nobody')).toBe(1);
      });
    });

    describe('transactions', () => {
      it('runs afterCommit work only after the commit, in the order queued, with the data visible to every reader', async () => {
        const done: string[] = [];
        const first = storage.transaction(async (tx) => {
          await tx.appendEvent('alpha', 1, reloaded('alpha', 1));
          tx.afterCommit(() => done.push('first a'));
          tx.afterCommit(() => done.push('first b'));
          await tx.ensureBot('alpha');
          expect(done.filter((d) => d.startsWith('first'))).toEqual([]);
          return 'one';
        });
        const second = storage.transaction(async (tx) => {
          const envelope = await tx.appendEvent('alpha', 2, reloaded('alpha', 2));
          tx.afterCommit(() => done.push(`second ${envelope.id}`));
          return 'two';
        });
        expect(await first).toBe('one');
        expect(await storage.lastEventId('alpha')).toBeGreaterThanOrEqual(1);
        expect(await second).toBe('two');
        // In the order queued within a transaction; two independent transactions may commit in either order on a backend
        // with several connections (PostgreSQL), so only their own order is promised.
        expect(done.filter((d) => d.startsWith('first'))).toEqual(['first a', 'first b']);
        expect(done.filter((d) => d.startsWith('second'))).toHaveLength(1);
        expect(await storage.lastEventId('alpha')).toBe(2);
      });

      it('rolls back a transaction that throws: its writes and its afterCommit work are gone, the others stay', async () => {
        const done: string[] = [];
        const kept = storage.transaction(async (tx) => {
          await tx.ensureBot('kept');
          tx.afterCommit(() => done.push('kept'));
        });
        const lost = storage.transaction(async (tx) => {
          await tx.ensureBot('lost');
          await tx.appendEvent('lost', 1, reloaded('lost', 1));
          tx.afterCommit(() => done.push('lost'));
          throw new Error('the rule refused');
        });
        const after = storage.transaction(async (tx) => {
          await tx.ensureBot('after');
          tx.afterCommit(() => done.push('after'));
        });
        await expect(lost).rejects.toThrow('the rule refused');
        await kept;
        await after;
        expect([...done].sort()).toEqual(['after', 'kept']);
        expect(await storage.botNames()).toEqual(['after', 'kept']);
        expect(await storage.lastEventId('lost')).toBe(0);
      });

      it('serialises two read-check-write transactions on one conversation: exactly one takeover wins', async () => {
        await storage.transaction((tx) => tx.insertConversation(conversation('c1')));
        const takeOver = (designer: string) =>
          storage.transaction(async (tx) => {
            const c = await tx.lockConversation('c1');
            if (!c || c.state !== 'active') return `${designer} refused: held by ${c?.heldBy?.name}`;
            // Something else read in between: without the lock the other transaction could slip in here.
            await tx.designerById(designer);
            await tx.updateConversation('c1', { state: 'paused', heldBy: { id: designer, name: designer }, pauseEpoch: c.pauseEpoch + 1 });
            return `${designer} won`;
          });
        const outcomes = await Promise.all([takeOver('ada'), takeOver('bob'), takeOver('cy')]);
        const winners = outcomes.filter((o) => o.endsWith('won'));
        expect(winners).toHaveLength(1);
        const winner = winners[0]!.split(' ')[0];
        expect(outcomes.filter((o) => o.endsWith(`held by ${winner}`))).toHaveLength(2);
        const stored = await storage.getConversation('c1');
        expect(stored?.heldBy?.id).toBe(winner);
        expect(stored?.pauseEpoch).toBe(1);
      });

      it('sees its own writes inside the transaction, and nothing of them outside until it commits', async () => {
        let outsideDuring: ConversationRow | undefined | 'unread' = 'unread';
        await storage.transaction(async (tx) => {
          await tx.insertConversation(conversation('c1'));
          expect((await tx.getConversation('c1'))?.id).toBe('c1');
          outsideDuring = await storage.getConversation('c1');
        });
        expect(outsideDuring).toBeUndefined();
        expect((await storage.getConversation('c1'))?.id).toBe('c1');
      });

      it('resolves flush once everything before it is committed and its afterCommit work has run', async () => {
        const done: string[] = [];
        void storage.transaction(async (tx) => {
          await tx.ensureBot('alpha');
          tx.afterCommit(() => done.push('committed'));
        });
        await storage.flush();
        expect(done).toEqual(['committed']);
        expect(await storage.botNames()).toEqual(['alpha']);
      });
    });

    describe('designer commands', () => {
      it('records a command result at most once per designer and client id, also for concurrent retries', async () => {
        const record = (result: string) => storage.transaction((tx) => tx.recordCommand('d1', 'req-1', 'conversation.reply', { result }, 5));
        const outcomes = await Promise.all([record('first'), record('second')]);
        expect([...outcomes].sort()).toEqual([false, true]);
        // Either may be first on a backend with several connections; the stored result is the one told it was first.
        const winner = outcomes[0] ? 'first' : 'second';
        expect(await storage.commandResult('d1', 'req-1')).toEqual({ method: 'conversation.reply', result: { result: winner } });
        expect(await storage.commandResult('d2', 'req-1')).toBeUndefined();
        expect(await storage.transaction((tx) => tx.recordCommand('d2', 'req-1', 'designer.idle', 1, 5))).toBe(true);
        await storage.transaction((tx) => tx.pruneCommands(6));
        expect(await storage.commandResult('d1', 'req-1')).toBeUndefined();
      });
    });

    describe('presence', () => {
      it('counts open channels per instance, sums them, and clears one instance without touching the others', async () => {
        await storage.transaction(async (tx) => {
          await tx.insertConversation(conversation('c1'));
          await tx.insertConversation(conversation('c2'));
        });
        const change = (id: string, instance: string, delta: 1 | -1) => storage.transaction((tx) => tx.changePresence(id, instance, delta));
        expect(await change('c1', 'one', 1)).toBe(1);
        expect(await change('c1', 'two', 1)).toBe(2);
        expect(await change('c1', 'one', 1)).toBe(3);
        expect(await change('c2', 'one', 1)).toBe(1);
        expect((await storage.getConversation('c1'))?.online).toBe(3);
        expect((await storage.listConversations({ filter: 'live', limit: 10 })).map((c) => c.id).sort()).toEqual(['c1', 'c2']);

        expect(await storage.clearPresence('one')).toEqual(['c2']);
        expect((await storage.getConversation('c1'))?.online).toBe(1);
        expect((await storage.getConversation('c2'))?.online).toBe(0);
        expect(await change('c1', 'two', -1)).toBe(0);
        // Closing more than was opened never counts below zero.
        expect(await change('c1', 'two', -1)).toBe(0);
        expect(await change('c1', 'two', 1)).toBe(1);
        expect(await storage.clearPresence('two')).toEqual(['c1']);
        expect(await storage.listConversations({ filter: 'live', limit: 10 })).toEqual([]);
      });

      it('starts a conversation with no presence, whatever the inserted row says', async () => {
        await storage.transaction((tx) => tx.insertConversation(conversation('c1', { online: 5 })));
        expect((await storage.getConversation('c1'))?.online).toBe(0);
      });

      it('counts a robot name as in use per bot, while online or recently active', async () => {
        await storage.transaction(async (tx) => {
          await tx.insertConversation(conversation('c1', { clientName: 'Rusty Sprocket', lastActivityAt: 100 }));
          await tx.insertConversation(conversation('c2', { bot: 'beta', clientName: 'Shiny Bolt', lastActivityAt: 5_000 }));
        });
        expect(await storage.clientNameInUse('alpha', 'Rusty Sprocket', 50)).toBe(true);
        expect(await storage.clientNameInUse('alpha', 'Rusty Sprocket', 200)).toBe(false);
        expect(await storage.clientNameInUse('alpha', 'Shiny Bolt', 50)).toBe(false);
        await storage.transaction((tx) => tx.changePresence('c1', 'one', 1));
        expect(await storage.clientNameInUse('alpha', 'Rusty Sprocket', 200)).toBe(true);
        expect([...(await storage.liveClientNames('alpha', 200))]).toEqual(['Rusty Sprocket']);
        expect([...(await storage.liveClientNames('beta', 200))]).toEqual(['Shiny Bolt']);
      });
    });

    describe('AIML client state', () => {
      it('keeps the latest state per bot and client', async () => {
        expect(await storage.loadClientState('alpha', 'client-1')).toBeUndefined();
        await storage.transaction((tx) => tx.saveClientState('alpha', 'client-1', '{"name":"Ada"}', 10));
        await storage.transaction((tx) => tx.saveClientState('alpha', 'client-1', '{"name":"Ada","mood":"fine"}', 20));
        await storage.transaction((tx) => tx.saveClientState('beta', 'client-1', '{}', 20));
        expect(await storage.loadClientState('alpha', 'client-1')).toBe('{"name":"Ada","mood":"fine"}');
        expect(await storage.loadClientState('beta', 'client-1')).toBe('{}');
        expect(await storage.loadClientState('alpha', 'client-2')).toBeUndefined();
      });
    });

    describe('conversations and messages', () => {
      it('lists conversations newest first with keyset paging, filters and search', async () => {
        await storage.transaction(async (tx) => {
          for (let i = 1; i <= 5; i++) await tx.insertConversation(conversation(`c${i}`, { lastActivityAt: 1_000 + (i % 3) * 10, clientName: i === 4 ? 'Rusty Sprocket' : `Name ${i}` }));
          await tx.updateConversation('c2', { state: 'paused', heldBy: { id: 'd1', name: 'Ada' }, pausedAt: 5, pauseReason: 'takeover' });
          await tx.updateConversation('c3', { fellBack: true });
          await tx.insertMessage(message('c5', 1, 1_020, { text: 'hello there, robot' }));
        });
        // Activity: c2, c5 at 1020; c1, c4 at 1010; c3 at 1000. Ties broken by id, descending.
        const order = ['c5', 'c2', 'c4', 'c1', 'c3'];
        const seen: string[] = [];
        let after: { lastActivityAt: number; id: string } | undefined;
        for (;;) {
          const page = await storage.listConversations({ filter: 'all', limit: 2, ...(after ? { after } : {}) });
          seen.push(...page.map((c) => c.id));
          const last = page[page.length - 1];
          if (page.length < 2 || !last) break;
          after = { lastActivityAt: last.lastActivityAt, id: last.id };
        }
        expect(seen).toEqual(order);
        expect((await storage.listConversations({ filter: 'paused', limit: 10 })).map((c) => c.id)).toEqual(['c2']);
        expect((await storage.pausedConversations()).map((c) => [c.id, c.heldBy?.name])).toEqual([['c2', 'Ada']]);
        expect((await storage.listConversations({ filter: 'needsHelp', limit: 10 })).map((c) => c.id)).toEqual(['c3']);
        expect((await storage.listConversations({ filter: 'all', match: toFtsQuery('hel'), limit: 10 })).map((c) => c.id)).toEqual(['c5']);
        expect((await storage.listConversations({ filter: 'all', nameLike: 'sprock', limit: 10 })).map((c) => c.id)).toEqual(['c4']);
        expect((await storage.listConversations({ bot: 'beta', filter: 'all', limit: 10 })).map((c) => c.id)).toEqual([]);
        expect((await storage.findConversationBySession('alpha', 'session-c3'))?.id).toBe('c3');
        expect(await storage.findConversationBySession('beta', 'session-c3')).toBeUndefined();
      });

      it('stores messages with their metadata and reads them by seq, by client id, and the unanswered ones', async () => {
        await storage.transaction(async (tx) => {
          await tx.insertConversation(conversation('c1'));
          await tx.insertMessage(message('c1', 1, 10, { clientId: 'k1', text: 'hi' }));
          await tx.insertMessage(message('c1', 2, 11, { author: 'bot', text: 'Hello!', match: [{ pattern: 'HI', that: '*', topic: '*', file: 'a.aiml', defaultCategory: false }] }));
          await tx.insertMessage(message('c1', 3, 12, { clientId: 'k2', text: 'and you?' }));
          await tx.insertMessage(message('c1', 4, 13, { clientId: 'k3', text: 'hello?' }));
          await tx.recordLastMessage('c1', { author: 'user', text: 'hello?', at: 13, seq: 4 });
        });
        const c = await storage.getConversation('c1');
        expect(c?.lastSeq).toBe(4);
        expect(c?.lastMessage).toEqual({ author: 'user', text: 'hello?', at: 13, seq: 4 });
        expect((await storage.messagesAfter('c1', 1, 2)).map((m) => m.seq)).toEqual([2, 3]);
        expect((await storage.messagesBefore('c1', 4, 2)).map((m) => m.seq)).toEqual([2, 3]);
        expect((await storage.messagesAfter('c1', 1, 1))[0]?.match?.[0]?.pattern).toBe('HI');
        expect((await storage.findMessageByClientId('c1', 'k2'))?.seq).toBe(3);
        expect(await storage.findMessageByClientId('c1', 'nope')).toBeUndefined();
        expect((await storage.unansweredUserMessages('c1')).map((m) => m.seq)).toEqual([3, 4]);
        expect((await storage.activeChatConversationsToCheck(1_000_000)).map((x) => x.id)).toEqual(['c1']);
      });

      it('reads a bot’s messages in time order, page by page, within the range', async () => {
        const total = 2_500;
        await storage.transaction(async (tx) => {
          await tx.insertConversation(conversation('a'));
          await tx.insertConversation(conversation('b', { clientName: 'Bee', channel: 'landing' }));
          await tx.insertConversation(conversation('other', { bot: 'beta' }));
          for (let i = 1; i <= total; i++) {
            // Pairs of messages share a time, so the order within a time is (conversation, seq).
            await tx.insertMessage(message(i % 2 ? 'a' : 'b', i, Math.ceil(i / 2)));
            await tx.insertMessage(message('other', i, i));
          }
        });
        const read: Array<[number, string, number]> = [];
        for await (const m of storage.messagesOfBot('alpha', {})) read.push([m.at, m.conversationId, m.seq]);
        expect(read).toHaveLength(total);
        const sorted = [...read].sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]) || x[2] - y[2]);
        expect(read).toEqual(sorted);
        const ranged: string[] = [];
        for await (const m of storage.messagesOfBot('alpha', { from: 100, to: 102 })) ranged.push(`${m.at} ${m.clientName} ${m.channel}`);
        expect(ranged).toEqual(['100 Name a widget', '100 Bee landing', '101 Name a widget', '101 Bee landing']);
      });
    });

    describe('designers, settings and reports', () => {
      it('keeps designers, settings overrides and content reports', async () => {
        await storage.transaction(async (tx) => {
          await tx.insertDesigner({ id: 'd1', name: 'Ada', tokenHash: 'h1', createdAt: 1, lastActivityAt: null });
          await tx.insertDesigner({ id: 'd2', name: 'Bob', tokenHash: 'h2', createdAt: 2, lastActivityAt: null });
          await tx.touchDesigner('d1', 50);
          await tx.touchDesigner('d1', 40);
          await tx.setSettingsOverrides('alpha', { pausedMessage: 'One moment' });
        });
        expect((await storage.designerByTokenHash('h2'))?.name).toBe('Bob');
        expect((await storage.designerById('d1'))?.lastActivityAt).toBe(50);
        expect((await storage.designers()).map((d) => d.id)).toEqual(['d1', 'd2']);
        expect(await storage.settingsOverrides('alpha')).toEqual({ pausedMessage: 'One moment' });
        expect(await storage.settingsOverrides('nobody')).toEqual({});
        const first = await storage.transaction((tx) => tx.insertContentReport({ bot: 'alpha', reason: 'spam', details: 'ads', at: 1 }));
        const second = await storage.transaction((tx) => tx.insertContentReport({ bot: 'beta', reason: 'adult', details: '', at: 2 }));
        expect(second.id).toBeGreaterThan(first.id);
        expect((await storage.contentReports(undefined, 10)).map((r) => r.bot)).toEqual(['beta', 'alpha']);
        expect(await storage.contentReports('alpha', 10)).toEqual([first]);
      });
    });
  });
}
