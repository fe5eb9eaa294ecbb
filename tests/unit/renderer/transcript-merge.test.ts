import { describe, expect, it } from 'vitest';
import { combineLatestPage, leavesGap, mergeMessages } from '../../../renderer/src/data/transcript-merge.js';
import { firstUnreadSeq } from '../../../renderer/src/inbox/unread-divider.js';
import { message, messages } from './support/fixtures.js';

const seqs = (l: { seq: number }[]) => l.map((m) => m.seq);

describe('merging messages into a transcript', () => {
  it('appends live messages in order', () => {
    expect(seqs(mergeMessages(messages('c', 1, 3), messages('c', 4, 5)))).toEqual([1, 2, 3, 4, 5]);
  });

  it('shows a message repeated after a reconnect only once, in its place', () => {
    const merged = mergeMessages(messages('c', 1, 5), [message('c', 4), message('c', 6), message('c', 5)]);
    expect(seqs(merged)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('puts an older page in front', () => {
    expect(seqs(mergeMessages(messages('c', 1, 3), messages('c', 4, 6)))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs(mergeMessages(messages('c', 4, 6), messages('c', 1, 3)))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('notices when new messages would leave a hole', () => {
    expect(leavesGap(messages('c', 1, 3), messages('c', 4, 4))).toBe(false);
    expect(leavesGap(messages('c', 1, 3), messages('c', 5, 6))).toBe(true);
    expect(leavesGap([], messages('c', 5, 6))).toBe(false);
  });
});

describe('a refetched latest page meets the cache', () => {
  it('keeps older pages already loaded when the new page overlaps them', () => {
    const cached = { messages: messages('c', 51, 120), hasMore: true };
    const page = { messages: messages('c', 81, 130), hasMore: true };
    const result = combineLatestPage(cached, page);
    expect(seqs(result.messages)).toEqual(Array.from({ length: 80 }, (_, i) => 51 + i));
    expect(result.hasMore).toBe(true);
  });

  it('drops the cached run when the new page does not reach it (no holes in a transcript)', () => {
    const cached = { messages: messages('c', 1, 10), hasMore: false };
    const page = { messages: messages('c', 200, 249), hasMore: true };
    expect(combineLatestPage(cached, page)).toEqual(page);
  });

  it('merges live messages that arrived while the first fetch was on its way', () => {
    const cached = { messages: [message('c', 51)], hasMore: true };
    const page = { messages: messages('c', 1, 50), hasMore: false };
    const result = combineLatestPage(cached, page);
    expect(seqs(result.messages)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(result.hasMore).toBe(false);
  });
});

describe('the "New messages" divider', () => {
  const log = [
    message('c', 1, { author: 'user' }),
    message('c', 2, { author: 'bot' }),
    message('c', 3, { author: 'user' }),
    message('c', 4, { author: 'bot' }),
    message('c', 5, { author: 'user' }),
    message('c', 6, { author: 'bot' }),
  ];

  it('goes before the oldest unread user message', () => {
    expect(firstUnreadSeq(log, 2, 6)).toBe(3);
    expect(firstUnreadSeq(log, 1, 6)).toBe(5);
  });

  it('is absent when nothing was unread', () => {
    expect(firstUnreadSeq(log, 0, 6)).toBeUndefined();
  });

  it('stays put while new messages arrive during reading', () => {
    const more = [...log, message('c', 7, { author: 'user' }), message('c', 8, { author: 'user' })];
    expect(firstUnreadSeq(more, 1, 6)).toBe(5);
  });
});
