import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../server/conversations/rule-errors.js';
import { answer, serviceHarness, type ServiceHarness } from './service-harness.js';

const authors = async (h: ServiceHarness, id: string) => (await h.storage.messagesAfter(id, 0, 100)).map((m) => `${m.author}:${m.text}`);
const state = async (h: ServiceHarness, id: string) => (await h.service.get(id))!;

describe('conversation rules (DESIGN.md section 4)', () => {
  it('starts active, and the bot answers a user message', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    expect(c.state).toBe('active');
    const { ticket } = await h.service.acceptUserMessage(c.id, 'hello', 'm1');
    expect(ticket).toBeDefined();
    expect((await h.service.commitBotReply(ticket!, answer('Hi there!')))?.seq).toBe(2);
    expect(await authors(h, c.id)).toEqual(['user:hello', 'bot:Hi there!']);
  });

  it('a takeover is pause, paused notice, human reply, on consecutive sequence numbers', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.acceptUserMessage(c.id, 'I need a person', 'm1');
    const r = await h.service.reply(h.ada, c.id, 'I am here to help.');
    expect(r.tookOver).toBe(true);
    expect(r.messages.map((m) => [m.seq, m.author, m.notice ?? ''])).toEqual([
      [2, 'system', 'paused'],
      [3, 'human', ''],
    ]);
    expect(r.messages[0]!.text).toBe(h.settings.get('starter').pausedMessage);
    const types = h.events.filter((e) => e.id > 2).map((e) => e.event.type);
    expect(types).toEqual(['conversation.paused', 'message.created', 'message.created']);
    const stored = await state(h, c.id);
    expect(stored.state).toBe('paused');
    expect(stored.heldBy).toEqual(h.ada);
  });

  it('a paused conversation logs the user message and produces no bot reply', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.reply(h.ada, c.id, 'Hello, a human here.');
    const accepted = await h.service.acceptUserMessage(c.id, 'thanks!', 'm2');
    expect(accepted.ticket).toBeUndefined();
    expect((await state(h, c.id)).waitingSince).toBe(h.clock.now());
    expect((await authors(h, c.id)).at(-1)).toBe('user:thanks!');
  });

  it('drops a bot reply computed before a takeover that committed first', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const { ticket } = await h.service.acceptUserMessage(c.id, 'what time is it', 'm1');
    await h.service.reply(h.ada, c.id, 'Let me check for you.');
    expect(await h.service.commitBotReply(ticket!, answer('It is noon.'))).toBeUndefined();
    expect(await authors(h, c.id)).not.toContain('bot:It is noon.');
  });

  it('drops a bot reply whose commit was queued behind a takeover in the same batch', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const { ticket } = await h.service.acceptUserMessage(c.id, 'what time is it', 'm1');
    // Neither awaited: both run in one group commit, the takeover first.
    const takeover = h.service.reply(h.ada, c.id, 'Let me check for you.');
    const botReply = h.service.commitBotReply(ticket!, answer('It is noon.'));
    expect((await takeover).tookOver).toBe(true);
    expect(await botReply).toBeUndefined();
    expect(await authors(h, c.id)).toEqual(['user:what time is it', `system:${h.settings.get('starter').pausedMessage}`, 'human:Let me check for you.']);
  });

  it('drops a stale bot reply even when the conversation was paused and resumed in between', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const { ticket } = await h.service.acceptUserMessage(c.id, 'hello', 'm1');
    await h.service.reply(h.ada, c.id, 'Hi, human here.');
    await h.service.setBotActive(h.ada, c.id, true);
    expect((await state(h, c.id)).state).toBe('active');
    expect(await h.service.commitBotReply(ticket!, answer('Hello!'))).toBeUndefined();
  });

  it('refuses a second designer, naming the holder', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.reply(h.ada, c.id, 'Mine.');
    const refusal = await h.service.reply(h.bob, c.id, 'No, mine.').catch((error: unknown) => error);
    expect(RuleError.is(refusal)).toBe(true);
    expect((refusal as RuleError).code).toBe('held_by_other');
    expect((refusal as RuleError).message).toContain('Ada');
    await expect(h.service.setBotActive(h.bob, c.id, true)).rejects.toThrow(/Ada/);
  });

  it('two designers replying at once: exactly one takes over, the other is refused naming them', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const outcomes = await Promise.allSettled([h.service.reply(h.ada, c.id, 'Ada here.'), h.service.reply(h.bob, c.id, 'Bob here.')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect(((outcomes[1] as PromiseRejectedResult).reason as RuleError).message).toContain('Ada');
    expect((await authors(h, c.id)).filter((a) => a.startsWith('human:'))).toEqual(['human:Ada here.']);
  });

  it('the holder replying again continues without a second paused notice', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.reply(h.ada, c.id, 'One.');
    const again = await h.service.reply(h.ada, c.id, 'Two.');
    expect(again.tookOver).toBe(false);
    expect((await authors(h, c.id)).filter((a) => a.startsWith('system:'))).toHaveLength(1);
  });

  it('switching the bot back on sends the reactivated notice and the bot answers again', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.reply(h.ada, c.id, 'Human.');
    const r = await h.service.setBotActive(h.ada, c.id, true);
    expect(r.changed).toBe(true);
    expect(r.messages.map((m) => m.notice)).toEqual(['reactivated']);
    const { ticket } = await h.service.acceptUserMessage(c.id, 'hello again', 'm9');
    expect(await h.service.commitBotReply(ticket!, answer('Welcome back.'))).toBeDefined();
    expect((await h.service.setBotActive(h.ada, c.id, true)).changed).toBe(false);
  });

  it('switching the bot off pauses with the paused notice and no human message', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const r = await h.service.setBotActive(h.ada, c.id, false);
    expect(r.messages.map((m) => `${m.author}:${m.notice}`)).toEqual(['system:paused']);
    expect((await state(h, c.id)).pauseReason).toBe('manual');
  });

  it('resumes with the inactivity notice when the holder is inactive for the timeout', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.reply(h.ada, c.id, 'Hi.');
    const timeout = h.settings.get('starter').inactivityTimeoutMs;
    h.clock.advance(timeout - 1);
    await h.storage.flush();
    expect((await state(h, c.id)).state).toBe('paused');
    h.clock.advance(1);
    // The hand-back is a transaction started by the timer: flush waits for it.
    await h.storage.flush();
    expect((await state(h, c.id)).state).toBe('active');
    expect((await authors(h, c.id)).at(-1)).toBe(`system:${h.settings.get('starter').inactivityMessage}`);
  });

  it('designer activity renews the lease', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.reply(h.ada, c.id, 'Hi.');
    const timeout = h.settings.get('starter').inactivityTimeoutMs;
    h.clock.advance(timeout - 1000);
    const holds = await h.service.designerActivity(h.ada.id);
    expect(holds).toEqual([{ conversationId: c.id, bot: 'starter', expiresAt: h.clock.now() + timeout }]);
    h.clock.advance(timeout - 1);
    await h.storage.flush();
    expect((await state(h, c.id)).state).toBe('paused');
    h.clock.advance(1);
    await h.storage.flush();
    expect((await state(h, c.id)).state).toBe('active');
  });

  it('designer.idle resumes everything the designer holds, and only that', async () => {
    const h = await serviceHarness();
    const a = await h.start();
    const b = await h.start();
    await h.service.reply(h.ada, a.id, 'Mine.');
    await h.service.reply(h.bob, b.id, 'Mine too.');
    const r = await h.service.designerIdle(h.ada.id);
    expect(r.resumed).toEqual([a.id]);
    expect((await state(h, a.id)).state).toBe('active');
    expect((await state(h, b.id)).state).toBe('paused');
    expect((await h.service.designerIdle(h.ada.id)).resumed).toEqual([]);
  });

  it('a resent user message (same client id) is stored once and gets no second reply', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const first = await h.service.acceptUserMessage(c.id, 'hello', 'same');
    const again = await h.service.acceptUserMessage(c.id, 'hello', 'same');
    expect(again.duplicate).toBe(true);
    expect(again.ticket).toBeUndefined();
    expect(again.message.seq).toBe(first.message.seq);
    expect(await h.storage.messagesAfter(c.id, 0, 10)).toHaveLength(1);
  });

  it('marks a conversation that fell back to the default category, until a human answers it', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    const { ticket } = await h.service.acceptUserMessage(c.id, 'xyzzy', 'm1');
    await h.service.commitBotReply(ticket!, answer('I do not know that yet.', true));
    expect((await state(h, c.id)).fellBack).toBe(true);
    expect((await h.history.list({ filter: 'needsHelp', limit: 10 })).conversations.map((s) => s.id)).toEqual([c.id]);
    await h.service.reply(h.ada, c.id, 'It means nothing, it is a magic word.');
    expect((await state(h, c.id)).fellBack).toBe(false);
    expect((await h.history.list({ filter: 'needsHelp', limit: 10 })).conversations).toEqual([]);
  });

  it('API conversations are read-only for designers', async () => {
    const h = await serviceHarness();
    const c = await h.service.startConversation({ bot: 'starter', channel: 'api', sessionKey: 'api:x:1', readOnly: true, clientName: 'x' });
    await expect(h.service.reply(h.ada, c.id, 'hi')).rejects.toThrow(/read-only/);
  });

  it('event ids per bot are gap-free and increasing', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.acceptUserMessage(c.id, 'one', 'a');
    await h.service.reply(h.ada, c.id, 'two');
    await h.service.start();
    const other = await h.start('otherbot');
    await h.service.acceptUserMessage(other.id, 'x', 'b');
    const ids = (bot: string) => h.events.filter((e) => e.bot === bot).map((e) => e.id);
    expect(ids('starter')).toEqual([1, 2, 3, 4, 5]);
    expect(ids('otherbot')).toEqual([1, 2]);
  });

  it('live conversations never share a client name, even past the number of word pairs', async () => {
    const h = await serviceHarness(':memory:', { adjectives: ['Rusty', 'Shiny', 'Tiny'], nouns: ['Bolt', 'Cog'] });
    const names = [];
    for (let i = 0; i < 10; i++) names.push((await h.start('starter', `s${i}`)).clientName);
    expect(new Set(names).size).toBe(10);
    expect(names.filter((n) => !/ \d+$/.test(n))).toHaveLength(6);
  });

  it('conversations started at once still get different names', async () => {
    const h = await serviceHarness(':memory:', { adjectives: ['Rusty', 'Shiny'], nouns: ['Bolt'] });
    const started = await Promise.all([h.start('starter', 's1'), h.start('starter', 's2'), h.start('starter', 's3')]);
    expect(new Set(started.map((c) => c.clientName)).size).toBe(3);
  });

  it('a name is free again once its conversation is no longer live (offline and quiet for the live window)', async () => {
    const h = await serviceHarness(':memory:', { adjectives: ['Rusty'], nouns: ['Bolt'] });
    const first = await h.start('starter', 's1');
    await h.service.presence(first.id, -1);
    expect((await h.start('starter', 's2')).clientName).toBe('Rusty Bolt 2');
    await h.service.presence((await h.service.findBySession('starter', 's2'))!.id, -1);
    h.clock.advance(31 * 60_000);
    expect((await h.start('starter', 's3')).clientName).toBe('Rusty Bolt');
  });

  it('tells designers when the first channel opens and the last one closes', async () => {
    const h = await serviceHarness();
    const c = await h.start();
    await h.service.presence(c.id, 1);
    await h.service.presence(c.id, -1);
    await h.service.presence(c.id, -1);
    const presence = h.events.filter((e) => e.event.type === 'conversation.presence').map((e) => (e.event as { online: boolean }).online);
    expect(presence).toEqual([false]);
    expect((await state(h, c.id)).online).toBe(0);
  });
});
