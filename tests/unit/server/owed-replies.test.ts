import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../protocol/designer-wire.js';
import type { ReplyTicket } from '../../../server/conversations/conversation-rules.js';
import { answerOwedReplies } from '../../../server/conversations/owed-replies.js';
import { answer, serviceHarness, type ServiceHarness } from './service-harness.js';

const quiet = pino({ enabled: false });

/** What the Platform would answer at start: the tickets handed to the worker, and the conversations left to humans. */
async function owed(h: ServiceHarness, maxAgeMs?: number, hasBot?: (bot: string) => boolean) {
  const tickets: ReplyTicket[] = [];
  const published: DomainEvent[] = [];
  const outcome = await answerOwedReplies({
    storage: h.storage,
    clock: h.clock,
    logger: quiet,
    enqueue: (t) => tickets.push(t),
    publishIn: (tx, bot, e) => {
      tx.afterCommit(() => published.push(e));
      return h.service.publishIn(tx, bot, e);
    },
    maxAgeMs,
    hasBot,
  });
  return { tickets, handedToHumans: outcome.handedToHumans, published };
}

describe('replies owed since before a crash', () => {
  it('finds the acknowledged messages whose replies were lost, in order, and none that were answered', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const first = (await h.service.acceptUserMessage(c.id, 'Hello', 'a')).ticket!;
    await h.service.commitBotReply(first, answer('Hi!'));
    // Two more messages were acknowledged; the reply to the first of them was stored, then the process died.
    const second = (await h.service.acceptUserMessage(c.id, 'Who are you', 'b')).ticket!;
    await h.service.acceptUserMessage(c.id, 'What can you do', 'c');
    await h.service.commitBotReply(second, answer('A bot.'));
    const { tickets } = await owed(h);
    expect(tickets.map((t) => t.input)).toEqual(['What can you do']);
    expect(tickets[0]).toMatchObject({ conversationId: c.id, bot: 'starter', pauseEpoch: 0 });
    // A bot deleted meanwhile cannot answer: its conversations are left as they are.
    expect((await owed(h, undefined, () => false)).tickets).toEqual([]);
  });

  it('owes nothing in a paused conversation, nor for what was said before a hand-back', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.acceptUserMessage(c.id, 'Hello', 'a');
    await h.service.reply(h.ada, c.id, 'Ada here.');
    await h.service.acceptUserMessage(c.id, 'Thanks Ada', 'b');
    expect((await owed(h)).tickets).toEqual([]);
    await h.service.setBotActive(h.ada, c.id, true);
    expect((await owed(h)).tickets).toEqual([]);
  });

  it('past the age limit the bot does not answer: the conversation waits for a human', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const saidAt = h.clock.now();
    await h.service.acceptUserMessage(c.id, 'Hello?', 'a');
    h.clock.advance(2 * 3600_000);
    const { tickets, handedToHumans, published } = await owed(h, 3600_000);
    expect(tickets).toEqual([]);
    expect(handedToHumans).toEqual([c.id]);
    // Designers are told, as an event they also get when they resume.
    expect(published).toEqual([{ type: 'conversation.waiting', conversationId: c.id, since: saidAt }]);
    expect(h.events.at(-1)?.event).toEqual({ type: 'conversation.waiting', conversationId: c.id, since: saidAt });
    expect((await h.storage.getConversation(c.id))!.waitingSince).toBe(saidAt);
    expect((await h.storage.listConversations({ filter: 'needsHelp', limit: 10 })).map((x) => x.id)).toEqual([c.id]);
  });
});
