import type { Message } from '../../../../protocol/conversation.js';
import type { ConversationView } from '../../../../protocol/studio-api.js';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

export function conversation(id: string, overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    bot: 'starter',
    clientName: `Robot ${id}`,
    channel: 'landing',
    startedAt: T0 - 60_000,
    lastActivityAt: T0,
    state: 'active',
    online: true,
    lastSeq: 0,
    fellBack: false,
    readOnly: false,
    unread: 0,
    heldByMe: false,
    ...overrides,
  };
}

export function message(conversationId: string, seq: number, overrides: Partial<Message> = {}): Message {
  return { id: `${conversationId}-${seq}`, conversationId, seq, author: 'user', text: `message ${seq}`, at: T0 + seq * 1000, ...overrides };
}

export function messages(conversationId: string, from: number, to: number, overrides: Partial<Message> = {}): Message[] {
  const out: Message[] = [];
  for (let seq = from; seq <= to; seq += 1) out.push(message(conversationId, seq, overrides));
  return out;
}
