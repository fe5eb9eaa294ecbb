import { describe, expect, it, vi } from 'vitest';
import { ConversationCache, type CacheChange } from '../../../main/conversation-cache.js';
import { envelope, message, summary } from './support/fixtures.js';

const me = { id: 'd1', name: 'Ada' };
const grace = { id: 'd2', name: 'Grace' };

function cache(fetch = vi.fn(async (_id: string) => undefined as ReturnType<typeof summary> | undefined)) {
  const c = new ConversationCache(fetch);
  const changes: CacheChange[] = [];
  c.subscribe((ch) => changes.push(ch));
  c.setDesigner(me);
  return { c, changes, fetch };
}

const msg = (id: number, conv: string, seq: number, author: 'user' | 'bot' | 'human' | 'system', text: string, over = {}) =>
  envelope(id, { type: 'message.created', message: message(conv, seq, author, text, over) });

describe('conversation cache', () => {
  it('lists conversations most recent first', () => {
    const { c } = cache();
    c.applySnapshot('starter', [summary('a', { lastActivityAt: 1 }), summary('b', { lastActivityAt: 3 }), summary('c', { lastActivityAt: 2 })]);
    expect(c.views().map((v) => v.id)).toEqual(['b', 'c', 'a']);
  });

  it('counts user messages since the designer last read, and clears them on read', () => {
    const { c } = cache();
    c.applyEvent(envelope(1, { type: 'conversation.started', conversation: summary('a') }));
    c.applyEvent(msg(2, 'a', 1, 'user', 'hello'));
    c.applyEvent(msg(3, 'a', 2, 'bot', 'Hi there'));
    c.applyEvent(msg(4, 'a', 3, 'user', 'who are you'));
    expect(c.get('a')!.unread).toBe(2);
    expect(c.totalUnread()).toBe(2);
    c.markRead('a', 1);
    expect(c.get('a')!.unread).toBe(1);
    c.markRead('a', 3);
    expect(c.get('a')!.unread).toBe(0);
  });

  it('leaves read-only conversations (the bot API) out of the total the badge shows, not out of their own count', () => {
    const { c } = cache();
    c.applyEvent(envelope(1, { type: 'conversation.started', conversation: summary('live') }));
    c.applyEvent(envelope(2, { type: 'conversation.started', conversation: summary('api', { channel: 'api', readOnly: true }) }));
    c.applyEvent(msg(3, 'live', 1, 'user', 'hello'));
    c.applyEvent(msg(4, 'api', 1, 'user', 'hello from a script'));
    c.applyEvent(msg(5, 'api', 3, 'user', 'and again'));
    expect(c.get('api')!.unread).toBe(2);
    expect(c.totalUnread()).toBe(1);
  });

  it('counts a message delivered twice once', () => {
    const { c } = cache();
    c.applyEvent(envelope(1, { type: 'conversation.started', conversation: summary('a') }));
    c.applyEvent(msg(2, 'a', 1, 'user', 'hello'));
    c.applyEvent(msg(3, 'a', 1, 'user', 'hello'));
    expect(c.get('a')!.unread).toBe(1);
  });

  it('marks everything up to your own reply as read', () => {
    const { c } = cache();
    c.applyEvent(envelope(1, { type: 'conversation.started', conversation: summary('a') }));
    c.applyEvent(msg(2, 'a', 1, 'user', 'help'));
    c.applyEvent(msg(3, 'a', 2, 'system', 'paused', { notice: 'paused' }));
    c.applyEvent(msg(4, 'a', 3, 'human', 'I am here', { designer: me }));
    expect(c.get('a')!.unread).toBe(0);
  });

  it('knows who holds a conversation: you or someone else', () => {
    const { c } = cache();
    c.applySnapshot('starter', [summary('a'), summary('b')]);
    c.applyEvent(envelope(1, { type: 'conversation.paused', conversationId: 'a', heldBy: me, at: 5, reason: 'takeover' }));
    c.applyEvent(envelope(2, { type: 'conversation.paused', conversationId: 'b', heldBy: grace, at: 6, reason: 'manual' }));
    expect(c.get('a')).toMatchObject({ state: 'paused', heldByMe: true, pausedAt: 5 });
    expect(c.get('b')).toMatchObject({ state: 'paused', heldByMe: false, heldBy: grace });
    expect(c.held().map((v) => v.id)).toEqual(['a']);
    c.applyEvent(envelope(3, { type: 'conversation.resumed', conversationId: 'a', at: 7, reason: 'inactivity' }));
    expect(c.get('a')).toMatchObject({ state: 'active', heldByMe: false, heldBy: undefined });
  });

  it('tracks the last message, the default-category fallback and a user waiting on a human', () => {
    const { c } = cache();
    c.applySnapshot('starter', [summary('a')]);
    c.applyEvent(msg(1, 'a', 1, 'user', 'what is a flux capacitor'));
    c.applyEvent(msg(2, 'a', 2, 'bot', 'I do not know', { match: [{ pattern: '*', that: '*', topic: '*', file: 'default.aiml', defaultCategory: true }] }));
    expect(c.get('a')).toMatchObject({ fellBack: true, lastSeq: 2, lastMessage: { author: 'bot', text: 'I do not know', seq: 2 } });
    c.applyEvent(envelope(3, { type: 'conversation.paused', conversationId: 'a', heldBy: me, at: 10, reason: 'manual' }));
    c.applyEvent(msg(4, 'a', 3, 'user', 'hello?', { at: 20 }));
    expect(c.get('a')!.waitingSince).toBe(20);
    c.applyEvent(msg(5, 'a', 4, 'human', 'yes', { designer: me }));
    expect(c.get('a')!.waitingSince).toBeUndefined();
  });

  it('shows an active conversation whose owed reply was too old to send as waiting for a human, until someone answers', () => {
    const { c } = cache();
    c.applySnapshot('starter', [summary('a')]);
    c.applyEvent(envelope(1, { type: 'conversation.waiting', conversationId: 'a', since: 42 }));
    expect(c.get('a')).toMatchObject({ state: 'active', waitingSince: 42 });
    c.applyEvent(msg(2, 'a', 2, 'human', 'Sorry for the wait!', { designer: me }));
    expect(c.get('a')!.waitingSince).toBeUndefined();
  });

  it('tells listeners about new conversations and new messages, and the transcript what was appended', () => {
    const { c, changes } = cache();
    changes.length = 0;
    c.applyEvent(envelope(1, { type: 'conversation.started', conversation: summary('a') }));
    c.applyEvent(msg(2, 'a', 1, 'user', 'hi'));
    expect(changes.map((x) => x.type)).toEqual(['upsert', 'started', 'appended', 'upsert', 'message']);
    expect(changes[2]).toMatchObject({ type: 'appended', conversationId: 'a', messages: [{ seq: 1, text: 'hi' }] });
  });

  it('rebuilds a bot from a snapshot: drops what the snapshot left out, keeps read marks, resets the list', () => {
    const { c, changes } = cache();
    c.applySnapshot('starter', [summary('a'), summary('old')]);
    c.applySnapshot('other', [summary('x', { bot: 'other' })]);
    c.applyEvent(msg(1, 'a', 1, 'user', 'one'));
    c.markRead('a', 1);
    changes.length = 0;
    c.applySnapshot('starter', [summary('a', { lastSeq: 1, lastMessage: { author: 'user', text: 'one', at: 1, seq: 1 } })]);
    expect(changes).toEqual([{ type: 'reset' }]);
    expect(c.views().map((v) => v.id).sort()).toEqual(['a', 'x']);
    expect(c.get('a')!.unread).toBe(0);
  });

  it('counts a user message it did not see arrive (found in a snapshot) as unread', () => {
    const { c } = cache();
    c.applySnapshot('starter', [summary('a', { lastSeq: 4, lastMessage: { author: 'user', text: 'anyone?', at: 1, seq: 4 } })]);
    expect(c.get('a')!.unread).toBe(1);
  });

  it('fetches a conversation it hears of but does not know, once', async () => {
    const fetch = vi.fn(async (id: string) => summary(id, { lastSeq: 7, state: 'paused', heldBy: me }));
    const { c } = cache(fetch);
    c.applyEvent(msg(1, 'old', 7, 'user', 'back again'));
    c.applyEvent(envelope(2, { type: 'conversation.presence', conversationId: 'old', online: true }));
    await vi.waitFor(() => expect(c.get('old')).toBeDefined());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(c.get('old')).toMatchObject({ lastSeq: 7, heldByMe: true });
  });

  it('adds conversations found by a search', () => {
    const { c, changes } = cache();
    changes.length = 0;
    const views = c.applyList([summary('s1'), summary('s2')]);
    expect(views.map((v) => v.id)).toEqual(['s1', 's2']);
    expect(c.get('s1')).toBeDefined();
    expect(changes).toHaveLength(1);
  });
});
