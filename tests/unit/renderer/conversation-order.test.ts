import { describe, expect, it } from 'vitest';
import { sortByActivity, upsertConversations } from '../../../renderer/src/inbox/conversation-order.js';
import { conversation, T0 } from './support/fixtures.js';

const ids = (list: { id: string }[]) => list.map((c) => c.id);

describe('conversation order', () => {
  it('puts the most recent activity first', () => {
    const list = sortByActivity([conversation('a', { lastActivityAt: T0 }), conversation('b', { lastActivityAt: T0 + 5 }), conversation('c', { lastActivityAt: T0 - 5 })]);
    expect(ids(list)).toEqual(['b', 'a', 'c']);
  });

  it('orders equal activity times the same way every time (start time, then id)', () => {
    const a = conversation('a', { startedAt: T0 - 10 });
    const b = conversation('b', { startedAt: T0 - 5 });
    const c = conversation('c', { startedAt: T0 - 5 });
    expect(ids(sortByActivity([a, b, c]))).toEqual(['b', 'c', 'a']);
    expect(ids(sortByActivity([c, a, b]))).toEqual(['b', 'c', 'a']);
  });

  it('moves a conversation with a new message to the top', () => {
    const list = sortByActivity([conversation('a', { lastActivityAt: T0 + 2 }), conversation('b', { lastActivityAt: T0 + 1 }), conversation('c', { lastActivityAt: T0 })]);
    const next = upsertConversations(list, [conversation('c', { lastActivityAt: T0 + 3, unread: 1 })]);
    expect(ids(next)).toEqual(['c', 'a', 'b']);
    expect(next[0]!.unread).toBe(1);
    expect(ids(list)).toEqual(['a', 'b', 'c']);
  });

  it('leaves a row in place when an update does not change its activity (read, presence)', () => {
    const list = sortByActivity([conversation('a', { lastActivityAt: T0 + 2 }), conversation('b', { lastActivityAt: T0 + 1 }), conversation('c', { lastActivityAt: T0 })]);
    const next = upsertConversations(list, [conversation('b', { lastActivityAt: T0 + 1, online: false, unread: 0 })]);
    expect(ids(next)).toEqual(['a', 'b', 'c']);
    expect(next[1]!.online).toBe(false);
  });

  it('adds new conversations in their place and keeps one row per id when an id comes twice', () => {
    const list = sortByActivity([conversation('a', { lastActivityAt: T0 + 2 }), conversation('b', { lastActivityAt: T0 })]);
    const next = upsertConversations(list, [conversation('n', { lastActivityAt: T0 + 1 }), conversation('n', { lastActivityAt: T0 + 1, unread: 2 })]);
    expect(ids(next)).toEqual(['a', 'n', 'b']);
    expect(next[1]!.unread).toBe(2);
  });

  it('gives the same result when many conversations change at once', () => {
    const list = sortByActivity(Array.from({ length: 300 }, (_, i) => conversation(`c${i}`, { lastActivityAt: T0 + i })));
    const changed = Array.from({ length: 100 }, (_, i) => conversation(`c${i * 3}`, { lastActivityAt: T0 + 1000 + ((i * 37) % 100) }));
    const next = upsertConversations(list, changed);
    expect(next).toHaveLength(300);
    expect(ids(next)).toEqual(ids(sortByActivity(next)));
    expect(next[0]!.lastActivityAt).toBe(T0 + 1099);
  });
});
