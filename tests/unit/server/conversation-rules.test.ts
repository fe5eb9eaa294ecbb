import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../server/conversations/rule-errors.js';
import { answer, serviceHarness } from './service-harness.js';

const authors = (h: ReturnType<typeof serviceHarness>, id: string) => h.repo.messagesAfter(id, 0, 100).map((m) => `${m.author}:${m.text}`);

describe('conversation rules (DESIGN.md section 4)', () => {
  it('starts active, and the bot answers a user message', () => {
    const h = serviceHarness();
    const c = h.start();
    expect(c.state).toBe('active');
    const { ticket } = h.service.acceptUserMessage(c.id, 'hello', 'm1');
    expect(ticket).toBeDefined();
    expect(h.service.commitBotReply(ticket!, answer('Hi there!'))?.seq).toBe(2);
    expect(authors(h, c.id)).toEqual(['user:hello', 'bot:Hi there!']);
  });

  it('a takeover is pause, paused notice, human reply, on consecutive sequence numbers', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.acceptUserMessage(c.id, 'I need a person', 'm1');
    const r = h.service.reply(h.ada, c.id, 'I am here to help.');
    expect(r.tookOver).toBe(true);
    expect(r.messages.map((m) => [m.seq, m.author, m.notice ?? ''])).toEqual([
      [2, 'system', 'paused'],
      [3, 'human', ''],
    ]);
    expect(r.messages[0]!.text).toBe(h.settings.get('starter').pausedMessage);
    const types = h.events.filter((e) => e.id > 2).map((e) => e.event.type);
    expect(types).toEqual(['conversation.paused', 'message.created', 'message.created']);
    const stored = h.service.get(c.id)!;
    expect(stored.state).toBe('paused');
    expect(stored.heldBy).toEqual(h.ada);
  });

  it('a paused conversation logs the user message and produces no bot reply', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.reply(h.ada, c.id, 'Hello, a human here.');
    const accepted = h.service.acceptUserMessage(c.id, 'thanks!', 'm2');
    expect(accepted.ticket).toBeUndefined();
    expect(h.service.get(c.id)!.waitingSince).toBe(h.clock.now());
    expect(authors(h, c.id).at(-1)).toBe('user:thanks!');
  });

  it('drops a bot reply computed before a takeover that committed first', () => {
    const h = serviceHarness();
    const c = h.start();
    const { ticket } = h.service.acceptUserMessage(c.id, 'what time is it', 'm1');
    h.service.reply(h.ada, c.id, 'Let me check for you.');
    expect(h.service.commitBotReply(ticket!, answer('It is noon.'))).toBeUndefined();
    expect(authors(h, c.id)).not.toContain('bot:It is noon.');
  });

  it('drops a stale bot reply even when the conversation was paused and resumed in between', () => {
    const h = serviceHarness();
    const c = h.start();
    const { ticket } = h.service.acceptUserMessage(c.id, 'hello', 'm1');
    h.service.reply(h.ada, c.id, 'Hi, human here.');
    h.service.setBotActive(h.ada, c.id, true);
    expect(h.service.get(c.id)!.state).toBe('active');
    expect(h.service.commitBotReply(ticket!, answer('Hello!'))).toBeUndefined();
  });

  it('refuses a second designer, naming the holder', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.reply(h.ada, c.id, 'Mine.');
    let refusal: unknown;
    try {
      h.service.reply(h.bob, c.id, 'No, mine.');
    } catch (error) {
      refusal = error;
    }
    expect(RuleError.is(refusal)).toBe(true);
    expect((refusal as RuleError).code).toBe('held_by_other');
    expect((refusal as RuleError).message).toContain('Ada');
    expect(() => h.service.setBotActive(h.bob, c.id, true)).toThrow(/Ada/);
  });

  it('the holder replying again continues without a second paused notice', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.reply(h.ada, c.id, 'One.');
    const again = h.service.reply(h.ada, c.id, 'Two.');
    expect(again.tookOver).toBe(false);
    expect(authors(h, c.id).filter((a) => a.startsWith('system:'))).toHaveLength(1);
  });

  it('switching the bot back on sends the reactivated notice and the bot answers again', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.reply(h.ada, c.id, 'Human.');
    const r = h.service.setBotActive(h.ada, c.id, true);
    expect(r.changed).toBe(true);
    expect(r.messages.map((m) => m.notice)).toEqual(['reactivated']);
    const { ticket } = h.service.acceptUserMessage(c.id, 'hello again', 'm9');
    expect(h.service.commitBotReply(ticket!, answer('Welcome back.'))).toBeDefined();
    expect(h.service.setBotActive(h.ada, c.id, true).changed).toBe(false);
  });

  it('switching the bot off pauses with the paused notice and no human message', () => {
    const h = serviceHarness();
    const c = h.start();
    const r = h.service.setBotActive(h.ada, c.id, false);
    expect(r.messages.map((m) => `${m.author}:${m.notice}`)).toEqual(['system:paused']);
    expect(h.service.get(c.id)!.pauseReason).toBe('manual');
  });

  it('resumes with the inactivity notice when the holder is inactive for the timeout', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.reply(h.ada, c.id, 'Hi.');
    const timeout = h.settings.get('starter').inactivityTimeoutMs;
    h.clock.advance(timeout - 1);
    expect(h.service.get(c.id)!.state).toBe('paused');
    h.clock.advance(1);
    expect(h.service.get(c.id)!.state).toBe('active');
    expect(authors(h, c.id).at(-1)).toBe(`system:${h.settings.get('starter').inactivityMessage}`);
  });

  it('designer activity renews the lease', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.reply(h.ada, c.id, 'Hi.');
    const timeout = h.settings.get('starter').inactivityTimeoutMs;
    h.clock.advance(timeout - 1000);
    const holds = h.service.designerActivity(h.ada.id);
    expect(holds).toEqual([{ conversationId: c.id, bot: 'starter', expiresAt: h.clock.now() + timeout }]);
    h.clock.advance(timeout - 1);
    expect(h.service.get(c.id)!.state).toBe('paused');
    h.clock.advance(1);
    expect(h.service.get(c.id)!.state).toBe('active');
  });

  it('designer.idle resumes everything the designer holds, and only that', () => {
    const h = serviceHarness();
    const a = h.start();
    const b = h.start();
    h.service.reply(h.ada, a.id, 'Mine.');
    h.service.reply(h.bob, b.id, 'Mine too.');
    const r = h.service.designerIdle(h.ada.id);
    expect(r.resumed).toEqual([a.id]);
    expect(h.service.get(a.id)!.state).toBe('active');
    expect(h.service.get(b.id)!.state).toBe('paused');
    expect(h.service.designerIdle(h.ada.id).resumed).toEqual([]);
  });

  it('a resent user message (same client id) is stored once and gets no second reply', () => {
    const h = serviceHarness();
    const c = h.start();
    const first = h.service.acceptUserMessage(c.id, 'hello', 'same');
    const again = h.service.acceptUserMessage(c.id, 'hello', 'same');
    expect(again.duplicate).toBe(true);
    expect(again.ticket).toBeUndefined();
    expect(again.message.seq).toBe(first.message.seq);
    expect(h.repo.messagesAfter(c.id, 0, 10)).toHaveLength(1);
  });

  it('marks a conversation that fell back to the default category', () => {
    const h = serviceHarness();
    const c = h.start();
    const { ticket } = h.service.acceptUserMessage(c.id, 'xyzzy', 'm1');
    h.service.commitBotReply(ticket!, answer('I do not know that yet.', true));
    expect(h.service.get(c.id)!.fellBack).toBe(true);
    expect(h.history.list({ filter: 'needsHelp', limit: 10 }).conversations.map((s) => s.id)).toEqual([c.id]);
  });

  it('API conversations are read-only for designers', () => {
    const h = serviceHarness();
    const c = h.service.startConversation({ bot: 'starter', channel: 'api', sessionKey: 'api:x:1', readOnly: true, clientName: 'x' });
    expect(() => h.service.reply(h.ada, c.id, 'hi')).toThrow(/read-only/);
  });

  it('event ids per bot are gap-free and increasing', () => {
    const h = serviceHarness();
    const c = h.start();
    h.service.acceptUserMessage(c.id, 'one', 'a');
    h.service.reply(h.ada, c.id, 'two');
    h.service.start();
    const other = h.start('otherbot');
    h.service.acceptUserMessage(other.id, 'x', 'b');
    const ids = (bot: string) => h.events.filter((e) => e.bot === bot).map((e) => e.id);
    expect(ids('starter')).toEqual([1, 2, 3, 4, 5]);
    expect(ids('otherbot')).toEqual([1, 2]);
  });

  it('live conversations never share a client name, even past the number of word pairs', () => {
    const h = serviceHarness(':memory:', { adjectives: ['Rusty', 'Shiny', 'Tiny'], nouns: ['Bolt', 'Cog'] });
    const names = [];
    for (let i = 0; i < 10; i++) names.push(h.start('starter', `s${i}`).clientName);
    expect(new Set(names).size).toBe(10);
    expect(names.filter((n) => !/ \d+$/.test(n))).toHaveLength(6);
  });

  it('a name is free again once its conversation is no longer live (offline and quiet for the live window)', () => {
    const h = serviceHarness(':memory:', { adjectives: ['Rusty'], nouns: ['Bolt'] });
    const first = h.start('starter', 's1');
    h.service.presence(first.id, -1);
    expect(h.start('starter', 's2').clientName).toBe('Rusty Bolt 2');
    h.service.presence(h.service.findBySession('starter', 's2')!.id, -1);
    h.clock.advance(31 * 60_000);
    expect(h.start('starter', 's3').clientName).toBe('Rusty Bolt');
  });
});
