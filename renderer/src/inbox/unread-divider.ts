import type { Message } from '../../../protocol/conversation.js';

/**
 * Where the "New messages" divider goes: before the oldest of the `unread` user messages the designer had not
 * read when they opened the conversation. Only messages up to `lastSeqAtOpen` count, so the divider stays put
 * while new messages arrive during reading.
 */
export function firstUnreadSeq(messages: readonly Message[], unreadAtOpen: number, lastSeqAtOpen: number): number | undefined {
  if (unreadAtOpen <= 0) return undefined;
  let remaining = unreadAtOpen;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i]!;
    if (m.seq > lastSeqAtOpen || m.author !== 'user') continue;
    remaining -= 1;
    if (remaining === 0) return m.seq;
  }
  // More unread than loaded: the divider belongs above the loaded part, which the top of the list shows anyway.
  return messages.find((m) => m.author === 'user' && m.seq <= lastSeqAtOpen)?.seq;
}
