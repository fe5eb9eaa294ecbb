import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../protocol/designer-wire.js';
import type { ReplyTicket } from '../../../server/conversations/conversation-rules.js';
import { answerOwedReplies } from '../../../server/conversations/owed-replies.js';
import { answer, serviceHarness } from './service-harness.js';

const quiet = pino({ enabled: false });

/** What the Platform would answer at start: the tickets handed to the worker, and the conversations left to humans. */
function owed(h: ReturnType<typeof serviceHarness>, maxAgeMs?: number, hasBot?: (bot: string) => boolean) {
  const tickets: ReplyTicket[] = [];
  const published: DomainEvent[] = [];
  const outcome = answerOwedReplies({ repo: h.repo, clock: h.clock, logger: quiet, enqueue: (t) => tickets.push(t), publish: (_bot, e) => published.push(e), maxAgeMs, hasBot });
  return { tickets, handedToHumans: outcome.handedToHumans, published };
}

describe('replies owed since before a crash', () => {
  it('finds the acknowledged messages whose replies were lost, in order, and none that were answered', () => {
    const h = serviceHarness();
    const c = h.start();
    const first = h.service.acceptUserMessage(c.id, 'Hello', 'a').ticket!;
    h.service.commitBotReply(first, answer('Hi!'));
    // Two more messages were acknowledged; the reply to the first of them was stored, then the process died.
    const second = h.service.acceptUserMessage(c.id, 'Who are you', 'b').ticket!;
    h.service.acceptUserMessage(c.id, 'What can you do', 'c');
    h.service.commitBotReply(second, answer('A bot.'));
    const { tickets } = owed(h);
    expect(tickets.map((t) => t.input)).toEqual(['What can you do']);
    expect(tickets[0]).toMatchObject({ conversationId: c.id, bot: 'starter', pauseEpoch: 0 });
    // A bot deleted meanwhile cannot answer: its conversations are left as they are.
    expect(owed(h, undefined, () => false).tickets).toEqual([]);
  });

  it('owes nothing in a paused conversation, nor for what was said before a hand-back', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.acceptUserMessage(c.id, 'Hello', 'a');
    h.service.reply(h.ada, c.id, 'Ada here.');
    h.service.acceptUserMessage(c.id, 'Thanks Ada', 'b');
    expect(owed(h).tickets).toEqual([]);
    h.service.setBotActive(h.ada, c.id, true);
    expect(owed(h).tickets).toEqual([]);
  });

  it('past the age limit the bot does not answer: the conversation waits for a human', () => {
    const h = serviceHarness();
    const c = h.start();
    const saidAt = h.clock.now();
    h.service.acceptUserMessage(c.id, 'Hello?', 'a');
    h.clock.advance(2 * 3600_000);
    const { tickets, handedToHumans, published } = owed(h, 3600_000);
    expect(tickets).toEqual([]);
    expect(handedToHumans).toEqual([c.id]);
    // Designers are told, as an event they also get when they resume.
    expect(published).toEqual([{ type: 'conversation.waiting', conversationId: c.id, since: saidAt }]);
    expect(h.repo.getConversation(c.id)!.waitingSince).toBe(saidAt);
    expect(h.repo.listConversations({ filter: 'needsHelp', limit: 10 }).map((x) => x.id)).toEqual([c.id]);
  });
});
